"""The staff site lists content due for review (guides, lessons, FAQ topics whose last
check against their public sources is over 12 months old), for coordinators and admins."""

from __future__ import annotations

from datetime import UTC, datetime

from content import load_catalog
from tests.conftest import TOKYO_MIDNIGHT

#: a year and a week after the shipped content's check (2026-12-04), 10:00 in Tokyo
A_YEAR_LATER = datetime(2027, 12, 11, 1, 0, tzinfo=UTC)


def test_nothing_is_due_right_after_the_check(frozen_clock, as_role, staff):
    frozen_clock(TOKYO_MIDNIGHT)
    html = as_role("coordinator").get("/office/content").get_data(as_text=True)
    assert "Nothing is overdue." in html
    assert "Nothing is due in the next 60 days." in html
    # the menu leads here, and the page warns that the sample settings are in use
    assert 'href="/office/content" aria-current="page"' in html
    assert "shipped sample settings" in html


def test_a_year_later_every_item_is_listed_as_overdue_with_its_sources(
    frozen_clock, as_role, staff
):
    frozen_clock(A_YEAR_LATER)
    html = as_role("coordinator").get("/office/content").get_data(as_text=True)
    assert "Nothing is overdue." not in html
    overdue = html.split('id="overdue-title"')[1].split('id="soon-title"')[0]
    konbini = load_catalog().guide("konbini")
    assert "<code>guides/konbini.yaml</code>" in overdue
    assert konbini.title.get("ja") in overdue
    assert "2026-12-04" in overdue and "2027-12-04" in overdue
    assert 'href="https://www.lg-waps.go.jp/"' in overdue
    assert overdue.count("<tr>") == 1 + len(load_catalog().guides) + len(
        load_catalog().lessons
    ) + len(load_catalog().faq)


def test_instructors_do_not_see_the_review_list(frozen_clock, as_role, staff):
    frozen_clock(TOKYO_MIDNIGHT)
    instructor = as_role("instructor")
    assert instructor.get("/office/content").status_code == 403
    assert 'href="/office/content"' not in instructor.get("/teach/").get_data(as_text=True)
