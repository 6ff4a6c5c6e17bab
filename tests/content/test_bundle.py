"""The kiosk bundle: deterministic bytes, a version that moves exactly with the content."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from content.bundle import ZIP_EPOCH, build_bundle
from content.cli import content
from content.loader import load_catalog
from content.speech import AudioCache, Utterance, build_speech
from tests.content.conftest import edit


@pytest.fixture
def voiced(tmp_path: Path) -> AudioCache:
    """A cache holding the audio of one of the fixture guide's texts."""
    cache = AudioCache.open(tmp_path / "audio")
    build_speech([Utterance("アプリを開きます。", "ja")], cache, "offline", progress=False)
    return AudioCache.open(cache.root)


def bundle(content_dir: Path, cache: AudioCache, out: Path):
    return build_bundle(load_catalog(content_dir), cache, out)


def test_two_builds_of_the_same_content_are_byte_identical(
    content_dir: Path, voiced: AudioCache, tmp_path: Path
) -> None:
    first = bundle(content_dir, voiced, tmp_path / "a")
    second = bundle(content_dir, voiced, tmp_path / "b")
    assert first.version == second.version
    assert first.path.name == f"tsunagu-content-{first.version}.zip"
    assert first.path.read_bytes() == second.path.read_bytes()


def test_the_version_changes_when_a_text_changes(
    content_dir: Path, voiced: AudioCache, tmp_path: Path
) -> None:
    before = bundle(content_dir, voiced, tmp_path / "a").version
    edit(content_dir / "guides/copy.yaml", "Enter your PIN.", "Enter your 4-digit PIN.")
    assert bundle(content_dir, voiced, tmp_path / "b").version != before


def test_the_version_changes_when_a_ward_setting_changes(
    content_dir: Path, voiced: AudioCache, tmp_path: Path
) -> None:
    before = bundle(content_dir, voiced, tmp_path / "a").version
    edit(content_dir / "settings.sample.yaml", "copy: 300", "copy: 350")
    assert bundle(content_dir, voiced, tmp_path / "b").version != before


def test_the_bundle_holds_content_settings_media_audio_and_a_checked_manifest(
    content_dir: Path, voiced: AudioCache, tmp_path: Path
) -> None:
    result = bundle(content_dir, voiced, tmp_path / "kiosk.zip")
    assert result.path == tmp_path / "kiosk.zip"
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        assert names == sorted(names)
        assert all(info.date_time == ZIP_EPOCH for info in archive.infolist())
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
        clips = json.loads(archive.read("audio/manifest.json"))["clips"]
    assert manifest["version"] == result.version and manifest["sample_settings"] is True
    assert {
        "guides/copy.yaml",
        "guides/old-voucher.yaml",
        "lessons/intro-01-power.yaml",
        "faq/koseki-juminhyo.yaml",
        "settings.yaml",
        "media/card.svg",
    } <= set(names)
    assert [clip["text"] for clip in clips.values()] == ["アプリを開きます。"]
    assert all(f"audio/{name}" in names for name in clips)
    assert result.missing_audio > 0


def test_the_bundle_command_refuses_content_with_errors(content_dir: Path, tmp_path: Path) -> None:
    edit(content_dir / "guides/copy.yaml", "status: active\n", "status: retired\n")
    result = CliRunner().invoke(
        content, ["bundle", "--dir", str(content_dir), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "run 'tsunagu content check' first" in result.output
    assert not (tmp_path / "out").exists()


def test_the_bundle_command_reports_version_and_missing_audio(
    content_dir: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        content,
        [
            "bundle",
            "--dir",
            str(content_dir),
            "--out",
            str(tmp_path / "out"),
            "--cache",
            str(tmp_path / "empty-cache"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "texts have no audio yet" in result.output
    assert len(list((tmp_path / "out").glob("tsunagu-content-*.zip"))) == 1


def test_a_kiosk_reads_the_unpacked_bundle_with_the_same_api(
    content_dir: Path, voiced: AudioCache, tmp_path: Path
) -> None:
    from content.speech import audio_path

    result = bundle(content_dir, voiced, tmp_path / "kiosk.zip")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(result.path) as archive:
        archive.extractall(unpacked)
    edit(content_dir / "settings.sample.yaml", "copy: 300", "copy: 999")  # not the bundle's
    catalog = load_catalog(unpacked)
    assert catalog.guide("copy").fee.get("en") == "300 yen per copy."
    clip = audio_path("アプリを開きます。", "ja", cache_dir=unpacked / "audio")
    assert clip is not None and clip.parent == unpacked / "audio" and clip.stat().st_size > 1000
