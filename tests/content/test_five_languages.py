"""Five languages for everything a resident sees (issue 14).

Every text a resident reads or hears, in every shipped guide, lesson and FAQ topic, is
written in ja, やさしい日本語, en, zh-Hans and ko. A missing language is not an error of
the validator (the kiosk and the public page show Japanese with a notice), but the ward
ships nothing with one: this test names each text that lacks a language. Withdrawn guides,
which the kiosk hides, are excepted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from content.loader import CONTENT_DIR, load_catalog
from content.model import LANGUAGES, Text
from content.review import items

from .conftest import edit

pytestmark = pytest.mark.skipif(not (CONTENT_DIR / "guides").is_dir(), reason="no shipped content")


def resident_texts(catalog) -> Iterator[tuple[str, Text]]:
    """(file, text) of every resident-facing text of the catalog's shipped items."""
    for guide in catalog.guides.values():
        if guide.withdrawn:
            continue
        for text in guide.resident_texts():
            yield f"guides/{guide.id}.yaml", text
        # the public guide page shows a step's tip too
        for step in guide.steps:
            if step.tip is not None:
                yield f"guides/{guide.id}.yaml", step.tip
    for lesson in catalog.lessons.values():
        for text in lesson.resident_texts():
            yield f"lessons/{lesson.id}.yaml", text
    for topic in catalog.faq.values():
        for text in topic.resident_texts():
            yield f"faq/{topic.id}.yaml", text


def lacking(catalog) -> list[tuple[str, str, str]]:
    """(file, language, the text's Japanese) for each text that lacks a language."""
    return [
        (file, code, text.get("ja")[:40])
        for file, text in resident_texts(catalog)
        for code in LANGUAGES
        if not text.has(code)
    ]


def test_the_five_languages_are_the_wards() -> None:
    assert LANGUAGES == ("ja", "ja-easy", "en", "zh-Hans", "ko")


def test_every_resident_facing_text_is_in_all_five_languages() -> None:
    assert lacking(load_catalog()) == []


def test_every_shipped_item_counts_as_written_in_all_five_languages() -> None:
    """What `tsunagu content check` prints: no item is "missing" a language."""
    missing = [
        (item.file, code)
        for item in items(load_catalog())
        if not item.withdrawn
        for code, state in item.languages.items()
        if state == "missing"
    ]
    assert missing == []


def test_a_text_without_korean_is_named(tmp_path: Path) -> None:
    """The check can fail: drop one Korean device variant from a copy of the content."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    edit(
        content / "lessons" / "intro-01-power.yaml",
        "        ko: 측면 버튼을 사과 마크가 나올 때까지 길게 누릅니다.\n",
        "",
    )
    found = lacking(load_catalog(content))
    assert found == [
        (
            "lessons/intro-01-power.yaml",
            "ko",
            "サイドボタンを、リンゴのマークが出るまで長押しします。",
        )
    ]


def test_a_withdrawn_guide_is_excepted(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    guide = content / "guides" / "vaccine-voucher.yaml"
    assert "status: withdrawn" in guide.read_text(encoding="utf-8")
    edit(guide, "  ko: 무료입니다.\n", "")
    assert lacking(load_catalog(content)) == []


def test_no_text_is_wrapped_in_quote_marks() -> None:
    """A YAML quoting slip ("\\"...\\"") keeps the quotes in the text: the kiosk shows them
    and reads them aloud."""
    wrapped = [
        (file, code, value[:40])
        for file, text in resident_texts(load_catalog())
        for code, value in text.values.items()
        if len(value) > 1 and value[0] in "\"'" and value[-1] == value[0]
    ]
    assert wrapped == []
