"""Keeping content true: `checked:` and `sources:` on every item, the 12-month review
warning (an error with --strict, as are sample settings), the language coverage report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from content.cli import content
from content.loader import CONTENT_DIR, load_catalog
from content.review import due_for_review, items, markdown_table
from content.validate import validate
from tests.conftest import LEAP_DAY, TOKYO_MIDNIGHT
from tests.content.conftest import edit

GUIDE = "guides/copy.yaml"
#: the fixture's items say "checked: 2026-06-01": current until 2027-06-01 (Tokyo)
LAST_CURRENT_DAY = datetime(2027, 6, 1, 14, 59, tzinfo=UTC)  # 23:59 on 1 June 2027 in Tokyo
FIRST_OVERDUE_DAY = datetime(2027, 6, 1, 15, 0, tzinfo=UTC)  # 00:00 on 2 June 2027 in Tokyo


def check(root: Path, *args: str):
    return CliRunner().invoke(content, ["check", "--dir", str(root), *args])


def test_an_item_checked_12_months_ago_is_still_current(content_dir, frozen_clock) -> None:
    frozen_clock(LAST_CURRENT_DAY)
    result = check(content_dir, "--strict")
    assert "more than 12 months ago" not in result.output


def test_an_item_older_than_12_months_is_a_warning_then_a_strict_error(
    content_dir, frozen_clock
) -> None:
    frozen_clock(FIRST_OVERDUE_DAY)
    relaxed = check(content_dir)
    assert relaxed.exit_code == 0, relaxed.output
    assert (
        "guides/copy.yaml:58: warning: checked on 2026-06-01, more than 12 months ago: "
        "check it against its sources again and write the new date"
    ) in relaxed.output
    edit(content_dir / "settings.sample.yaml", "sample: true", "sample: false")
    strict = check(content_dir, "--strict")
    assert strict.exit_code == 1
    assert "guides/copy.yaml:58: checked on 2026-06-01, more than 12 months ago" in strict.output
    assert "warning" not in strict.output.split("guides/copy.yaml:58:")[1].splitlines()[0]


def test_strict_fails_while_the_sample_settings_are_in_use(content_dir, frozen_clock) -> None:
    frozen_clock(TOKYO_MIDNIGHT)
    assert check(content_dir).exit_code == 0
    strict = check(content_dir, "--strict")
    assert strict.exit_code == 1
    assert "settings.sample.yaml:" in strict.output
    assert "these are the shipped sample settings (sample: true)" in strict.output
    edit(content_dir / "settings.sample.yaml", "sample: true", "sample: false")
    assert check(content_dir, "--strict").exit_code == 0


def test_a_checked_date_in_the_future_is_an_error(content_dir, frozen_clock) -> None:
    frozen_clock(TOKYO_MIDNIGHT)  # 5 December 2026 in Tokyo
    edit(content_dir / GUIDE, "checked: 2026-06-01", "checked: 2026-12-06")
    assert [str(p) for p in validate(content_dir, today=date(2026, 12, 5))] == [
        "guides/copy.yaml:58: checked is 2026-12-06, which is after today (2026-12-05)"
    ]


#: (what an author wrote instead of the valid metadata, every problem expected)
METADATA_MISTAKES = {
    "no checked": (
        "checked: 2026-06-01\n",
        "",
        ["guides/copy.yaml:1: the file has no 'checked'"],
    ),
    "checked not a date": (
        "checked: 2026-06-01\n",
        "checked: June 2026\n",
        ["guides/copy.yaml:58: checked must be a date written YYYY-MM-DD, e.g. 2026-12-01"],
    ),
    "no sources": (
        "sources:\n  - title: マイナポータル（デジタル庁）\n    url: https://myna.go.jp/\n",
        "",
        ["guides/copy.yaml:1: the file has no 'sources'"],
    ),
    "empty sources": (
        "sources:\n  - title: マイナポータル（デジタル庁）\n    url: https://myna.go.jp/\n",
        "sources: []\n",
        ["guides/copy.yaml:59: sources needs at least 1 items, found 0"],
    ),
    "source without https": (
        "    url: https://myna.go.jp/\n",
        "    url: http://myna.go.jp/\n",
        [
            "guides/copy.yaml:61: source 1 url must be a public https:// address, "
            "not 'http://myna.go.jp/'"
        ],
    ),
    "source without title": (
        "  - title: マイナポータル（デジタル庁）\n    url",
        "  - url",
        ["guides/copy.yaml:60: source 1 has no 'title'"],
    ),
    "reviewed unknown language": (
        "reviewed: [ja, en]",
        "reviewed: [ja, zh]",
        [
            "guides/copy.yaml:62: reviewed lists 'zh', which is not one of: "
            "ja, ja-easy, en, zh-Hans, ko"
        ],
    ),
}


@pytest.mark.parametrize("mistake", METADATA_MISTAKES, ids=list(METADATA_MISTAKES))
def test_metadata_mistakes_are_named_at_their_line(content_dir: Path, mistake: str) -> None:
    old, new, expected = METADATA_MISTAKES[mistake]
    edit(content_dir / GUIDE, old, new)
    assert [str(p) for p in validate(content_dir, today=date(2026, 12, 5))] == expected


def test_the_leap_day_is_due_on_28_february(content_dir, frozen_clock) -> None:
    edit(content_dir / GUIDE, "checked: 2026-06-01", "checked: 2028-02-29")
    catalog = load_catalog(content_dir)
    frozen_clock(LEAP_DAY)
    copy = next(i for i in items(catalog) if i.id == "copy")
    assert copy.due == date(2029, 2, 28)
    assert not copy.overdue(date(2029, 2, 28)) and copy.overdue(date(2029, 3, 1))


def test_due_for_review_lists_the_oldest_first(content_dir) -> None:
    edit(content_dir / GUIDE, "checked: 2026-06-01", "checked: 2025-11-30")
    due = due_for_review(load_catalog(content_dir), date(2026, 12, 5))
    assert [item.id for item in due] == ["copy"]
    soon = due_for_review(load_catalog(content_dir), date(2026, 12, 5), within_days=200)
    assert [item.id for item in soon][0] == "copy" and len(soon) == 4


def test_check_reports_language_coverage(content_dir, frozen_clock) -> None:
    frozen_clock(TOKYO_MIDNIGHT)
    result = check(content_dir)
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[1:-1]}
    # 4 items; each is in ja and en (reviewed), none in Korean
    assert lines["ja"] == ["4", "0", "0"]
    assert lines["ko"] == ["0", "0", "4"]


@pytest.mark.skipif(not (CONTENT_DIR / "guides").is_dir(), reason="no shipped content")
def test_the_shipped_content_passes_check_today_and_in_a_year(frozen_clock) -> None:
    frozen_clock(TOKYO_MIDNIGHT)
    result = CliRunner().invoke(content, ["check"])
    assert result.exit_code == 0, result.output
    assert "more than 12 months ago" not in result.output


@pytest.mark.skipif(not (CONTENT_DIR / "guides").is_dir(), reason="no shipped content")
def test_every_shipped_guide_has_easy_japanese_and_english_everywhere() -> None:
    """The ward requires ja, やさしい日本語 and English for every text a resident sees in a guide."""
    catalog = load_catalog()
    lacking = [
        (item.file, code)
        for item in items(catalog)
        if item.kind == "guide"
        for code in ("ja", "ja-easy", "en")
        if item.languages[code] == "missing"
    ]
    assert lacking == []


@pytest.mark.skipif(not (CONTENT_DIR / "guides").is_dir(), reason="no shipped content")
def test_the_table_in_the_authors_guide_is_the_generated_one() -> None:
    docs = (CONTENT_DIR.parent / "docs" / "content-authors.md").read_text(encoding="utf-8")
    assert markdown_table(load_catalog()) in docs, (
        "run: tsunagu content table --write docs/content-authors.md"
    )
