"""Loading the catalog: typed objects, placeholders in the text's language, fallbacks, cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from content import loader
from content.loader import ContentError, load_catalog
from content.model import Text
from tests.content.conftest import edit


def test_the_kiosk_sees_active_guides_and_the_withdrawn_one_is_kept_and_flagged(
    content_dir: Path,
) -> None:
    catalog = load_catalog(content_dir)
    assert [g.id for g in catalog.active_guides] == ["copy"]
    assert [g.id for g in catalog.withdrawn_guides] == ["old-voucher"]
    assert catalog.guide("old-voucher").withdrawn
    assert catalog.lesson("intro-01-power").order == 1
    assert len(catalog.faq_topic("koseki-juminhyo").questions) == 3
    with pytest.raises(KeyError):
        catalog.guide("nothing")


def test_a_placeholder_takes_the_language_of_the_text_around_it(content_dir: Path) -> None:
    guide = load_catalog(content_dir).guide("copy")
    assert guide.fee.get("ja") == "１通300円です。"
    assert guide.fee.get("en") == "300 yen per copy."
    assert guide.stuck.counter.get("ja") == "区民課（サンプル）"
    assert guide.stuck.counter.get("ja-easy") == "くみんか（サンプル）"
    assert guide.stuck.counter.get("en") == "Residents Section (sample)"
    assert guide.handoff.url == "https://example.lg.jp/copy"


def test_a_deployment_settings_file_replaces_the_sample(
    content_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = tmp_path / "ward.yaml"
    ward.write_text(
        "sample: false\nfees: {copy: 200}\nurls: {copy: 'https://ward.example/copy'}\n"
        "counters: {citizens: {ja: 戸籍住民課, en: Citizens Desk}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TSUNAGU_CONTENT_SETTINGS", str(ward))
    catalog = load_catalog(content_dir)
    guide = catalog.guide("copy")
    assert not catalog.settings.sample
    assert guide.fee.get("en") == "200 yen per copy."
    assert guide.handoff.url == "https://ward.example/copy"
    # the ward gave no ja-easy counter name: ja-easy falls back to ja
    assert guide.stuck.counter.get("ja-easy") == "戸籍住民課"


def test_a_missing_language_falls_back_to_japanese_never_to_a_third_language() -> None:
    """A Chinese or Korean reader gets the Japanese text (what the counter says), and the
    page tells them so; never silently English (issue 14)."""
    full = Text({"ja": "申し込む", "en": "Apply"})
    assert full.get("ja-easy") == "申し込む"
    assert full.get("zh-Hans") == "申し込む"
    assert full.get("ko") == "申し込む"
    assert full.get("en") == "Apply"
    assert Text({"ja": "申し込む"}).get("ko") == "申し込む"
    assert Text({"ja": "申し込む", "ko": "신청"}).get("ko") == "신청"
    assert full.languages == ("ja", "en")


def test_an_unknown_placeholder_stays_visible_for_check_to_report(content_dir: Path) -> None:
    edit(content_dir / "guides/copy.yaml", "１通{fees.copy}円", "１通{fees.kopy}円")
    assert load_catalog(content_dir).guide("copy").fee.get("ja") == "１通{fees.kopy}円です。"


def test_a_file_that_does_not_fit_names_itself_and_the_check_command(content_dir: Path) -> None:
    edit(content_dir / "guides/copy.yaml", "steps:\n", "stepz:\n")
    with pytest.raises(ContentError, match=r"copy\.yaml does not fit .*tsunagu content check"):
        load_catalog(content_dir)


def test_a_yaml_error_is_a_content_error(content_dir: Path) -> None:
    edit(content_dir / "guides/copy.yaml", "kind: guide\n", "kind: [guide\n")
    with pytest.raises(ContentError, match=r"copy\.yaml"):
        load_catalog(content_dir)


def test_files_are_parsed_once_until_they_change(
    content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog(content_dir)
    parses: list[object] = []
    real_load = loader.yaml.load
    monkeypatch.setattr(loader.yaml, "load", lambda *a, **k: parses.append(a) or real_load(*a, **k))
    load_catalog(content_dir)
    assert parses == []
    guide = content_dir / "guides/copy.yaml"
    edit(guide, "duration_minutes: 10", "duration_minutes: 12")
    stat = guide.stat()
    os.utime(guide, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_catalog(content_dir).guide("copy").duration_minutes == 12
    assert len(parses) == 1
