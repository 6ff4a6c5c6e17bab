"""The walk-in search on a tablet (1024×768): two residents named 山田 花子 told apart by
their year of birth (with the era) and the last two digits of their phone; then one is
checked in. The screenshot is test-artifacts/walk-in-search-tablet.png.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from classroom.models import (
    Course,
    CourseKind,
    Device,
    DeviceTrack,
    Role,
    Source,
    Venue,
    VenueKind,
)
from classroom.services import residents, sessions
from classroom.services.actor import Actor
from tests.browser.conftest import PAGE_TIMEOUT_MS, add_staff, assert_accessible, log_in
from tests.conftest import TOKYO_SAME_DAY


@pytest.fixture
def walk_in_class(frozen_clock, live_server):
    """10:00 in Tokyo; a class at 11:00; two residents of the same name, neither booked."""
    frozen_clock(TOKYO_SAME_DAY)
    with live_server.database.write() as db:
        instructor_id = add_staff(db, "sensei", Role.INSTRUCTOR, "講師 一郎")
        course = Course(
            code="intro-power",
            title="スマホ入門 電源とボタン",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.ANY,
            title_translations={},
            lesson_ids=["intro-01-power"],
        )
        venue = Venue(name="中央図書館", kind=VenueKind.LIBRARY, capacity=20, name_translations={})
        db.add_all([course, venue])
        db.flush()
        starts = TOKYO_SAME_DAY + timedelta(hours=1)
        session_id = sessions.create_session(
            db,
            course_id=course.id,
            venue_id=venue.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=10,
            instructor_ids=[instructor_id],
            actor=Actor.system(),
        ).id
        ids = [
            residents.create_participant(
                db,
                family_name="山田",
                given_name="花子",
                reading="ヤマダ ハナコ",
                phone=phone,
                birth_year=year,
                device=device,
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
            ).id
            for phone, year, device in (
                ("090-1234-5678", 1948, Device.IPHONE),
                ("03-3812-4491", 1956, Device.ANDROID),
            )
        ]
    return session_id, ids


def test_two_residents_of_the_same_name_are_told_apart_on_a_tablet(
    browser, live_server, walk_in_class, artifacts
):
    session_id, (older, younger) = walk_in_class
    context = browser.new_context(locale="ja-JP", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        log_in(page, live_server, "sensei")
        page.goto(f"{live_server.url}/teach/sessions/{session_id}")
        page.fill("#q", "やまだ　はなこ")  # a full-width space, as a Japanese IME types it
        with page.expect_navigation():
            page.locator("#q").press("Enter")
        table = page.locator("table.walk-in-results")
        page.evaluate("document.getElementById('walk-in').scrollIntoView()")
        rows = table.locator("tbody tr")
        assert rows.count() == 2
        texts = [rows.nth(i).inner_text() for i in range(2)]
        assert "1948（昭和23年）" in texts[0] and "78" in texts[0]
        assert "1956（昭和31年）" in texts[1] and "91" in texts[1]
        content = page.content()
        assert "5678" not in content and "4491" not in content
        page.screenshot(path=str(artifacts / "walk-in-search-tablet.png"))
        assert_accessible(page, "walk-in search results")

        with page.expect_navigation():
            rows.nth(1).get_by_role("button").click()
        assert "山田 花子さんの受付が完了しました。" in page.locator(".messages").inner_text()
        assert page.locator(f"#p{younger} .badge--present").count() == 1
        assert page.locator(f"#p{older}").count() == 0
    finally:
        context.close()
