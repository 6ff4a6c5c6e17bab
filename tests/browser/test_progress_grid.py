"""できたことの記録 on a 1024×768 tablet (issue 17): ten people × six "I can ..." items fit
the screen, a tap ticks and a second tap undoes without reloading, the keyboard does the
same, the page works without JavaScript; and the 修了証 and progress sheet print to A4.

Screenshots, PDFs and their PNG pages are kept in test-artifacts/ to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select

from classroom.models import (
    AttendanceStatus,
    Course,
    CourseKind,
    DeviceTrack,
    ProgressRecord,
    Role,
    Source,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import attendance, progress, registration, residents, sessions
from classroom.services.actor import Actor
from tests.browser.conftest import PAGE_TIMEOUT_MS, add_staff, assert_accessible, log_in

LESSON = "email-sms"  # six items
ITEMS = [
    f"{LESSON}/{i}"
    for i in ("open-sms", "reply-sms", "enter-code", "read-email", "reply-email", "spam-folder")
]
PEOPLE = [
    ("長谷川", "美智子", "ハセガワ ミチコ"),
    ("山田", "花子", "ヤマダ ハナコ"),
    ("佐藤", "一郎", "サトウ イチロウ"),
    ("鈴木", "和子", "スズキ カズコ"),
    ("高橋", "正雄", "タカハシ マサオ"),
    ("田中", "幸子", "タナカ サチコ"),
    ("伊藤", "博", "イトウ ヒロシ"),
    ("渡辺", "節子", "ワタナベ セツコ"),
    ("小林", "勝", "コバヤシ マサル"),
    ("五十嵐", "千代子", "イガラシ チヨコ"),
]


@pytest.fixture
def ten_in_class(live_server):
    """Ten people in an hour's class on e-mail and SMS; 長谷川 opened an SMS last week."""
    now = utcnow()
    with live_server.database.write() as db:
        instructor = add_staff(db, "sensei", Role.INSTRUCTOR, "講師 一郎")
        add_staff(db, "coord", Role.COORDINATOR, "調整 花子")
        course = Course(
            code="one-point-mail",
            title="スマホワンポイント メールとSMS",
            kind=CourseKind.ONE_POINT,
            device_track=DeviceTrack.ANY,
            title_translations={},
            lesson_ids=[LESSON],
        )
        venue = Venue(name="中央図書館", kind=VenueKind.LIBRARY, capacity=20, name_translations={})
        db.add_all([course, venue])
        db.flush()

        def session(starts, scheduled_at):
            return sessions.create_session(
                db,
                course_id=course.id,
                venue_id=venue.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1, minutes=30),
                capacity=10,
                instructor_ids=[instructor],
                actor=Actor.system(),
                now=scheduled_at,
            ).id

        today = session(now + timedelta(hours=1), now)
        last_week = session(now - timedelta(days=7), now - timedelta(days=14))
        people = []
        for family, given, reading in PEOPLE:
            pid = residents.create_participant(
                db,
                family_name=family,
                given_name=given,
                reading=reading,
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
            ).id
            registration.register(
                db, session_id=today, participant_id=pid, source=Source.PHONE, actor=Actor.system()
            )
            people.append(pid)
        attendance.mark_attendance(
            db,
            session_id=last_week,
            participant_id=people[0],
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
        progress.tick(
            db,
            session_id=last_week,
            participant_id=people[0],
            item_id=ITEMS[0],
            actor=Actor.system(),
            now=now - timedelta(days=7),
        )
        return {"session": today, "course": course.id, "people": people}


def _records(live_server, pid) -> list[str]:
    with live_server.database.read() as db:
        return sorted(
            db.scalars(select(ProgressRecord.item_id).where(ProgressRecord.participant_id == pid))
        )


def _tablet(browser, **options):
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 1024, "height": 768}, has_touch=True, **options
    )
    tab = context.new_page()
    # a post without JavaScript reloads the whole grid from the test's own server thread:
    # near the end of a loaded run that once took over 10 s (what is tested is the result)
    tab.set_default_timeout(PAGE_TIMEOUT_MS)
    return context, tab


def _box(page, pid, item):
    return page.locator(
        f"form[data-progress-cell]:has(input[value='{pid}']):has(input[value='{item}']) button"
    )


def test_the_grid_on_a_tablet(browser, live_server, ten_in_class, artifacts):
    context, page = _tablet(browser)
    try:
        log_in(page, live_server, "sensei")
        page.goto(f"{live_server.url}/teach/sessions/{ten_in_class['session']}")
        with page.expect_navigation():
            page.get_by_role("link", name="できたことの記録").click()
        grid = page.locator("table.progress-grid")
        # ten people × six items on one 1024×768 screen: no sideways scrolling, the whole
        # table (header and ten rows) no taller than the screen, no name on two lines
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024
        box = grid.bounding_box()
        assert box["width"] <= 1024 and box["height"] <= 768, box
        assert grid.locator("tbody tr").count() == 10
        for name in grid.locator(".progress-grid__name .roster__person").all():
            assert name.evaluate("e => e.getClientRects().length") == 1
            assert name.bounding_box()["height"] < 32, name.inner_text()
        for button in grid.locator("button.cell-mark").all():
            size = button.bounding_box()
            assert size["width"] >= 44 and size["height"] >= 44, size
        # last week's SMS: marked 済 with no button; the other 59 boxes are buttons
        first = ten_in_class["people"][0]
        assert _box(page, first, ITEMS[0]).count() == 0
        assert grid.locator("button.cell-mark").count() == 59
        assert grid.locator(f"#l1-p{first} .cell-mark--earlier").count() == 1

        # a tap ticks without a reload; a second tap undoes
        page.evaluate("window.__same_page = true")
        someone = ten_in_class["people"][1]
        cell = _box(page, someone, ITEMS[2])
        cell.tap()
        page.wait_for_function(
            "b => b.getAttribute('aria-pressed') === 'true'", arg=cell.element_handle()
        )
        assert _records(live_server, someone) == [ITEMS[2]]
        cell.tap()
        page.wait_for_function(
            "b => b.getAttribute('aria-pressed') === 'false'", arg=cell.element_handle()
        )
        assert _records(live_server, someone) == []
        assert page.evaluate("window.__same_page") is True

        # the keyboard: Tab to the next box, Space or Enter ticks it
        _box(page, someone, ITEMS[3]).focus()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('form').item_id.value")
        assert focused == ITEMS[4]
        page.keyboard.press("Space")
        page.wait_for_function("() => document.activeElement.ariaPressed === 'true'")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.ariaPressed === 'false'")
        for item in ITEMS[1:4]:
            _box(page, ten_in_class["people"][3], item).tap()
        page.wait_for_function(
            "() => document.querySelectorAll('button.cell-mark[aria-pressed=true]').length === 3"
        )
        assert _records(live_server, ten_in_class["people"][3]) == sorted(ITEMS[1:4])
        assert page.evaluate("window.__same_page") is True
        # a tap that cannot reach the server says so in Japanese and changes nothing
        context.set_offline(True)
        lost = _box(page, ten_in_class["people"][5], ITEMS[0])
        lost.tap()
        status = page.locator("[data-progress-status]")
        status.filter(has_text="サーバーに届きませんでした").wait_for()
        assert lost.get_attribute("aria-pressed") == "false"
        context.set_offline(False)
        page.wait_for_selector("button.cell-mark[aria-busy]", state="detached")
        page.evaluate("() => document.getElementById('lesson-1').scrollIntoView()")
        page.screenshot(path=str(artifacts / "progress-grid-1024x768.png"))
        assert_accessible(page, "progress grid")
    finally:
        context.close()


def test_the_grid_without_javascript(browser, live_server, ten_in_class, artifacts):
    context, page = _tablet(browser, java_script_enabled=False)
    try:
        log_in(page, live_server, "sensei")
        page.goto(f"{live_server.url}/teach/sessions/{ten_in_class['session']}/progress")
        last = ten_in_class["people"][-1]
        with page.expect_navigation():
            _box(page, last, ITEMS[5]).click()
        assert page.url.endswith(f"/progress#l1-p{last}")
        assert _box(page, last, ITEMS[5]).get_attribute("aria-pressed") == "true"
        assert _records(live_server, last) == [ITEMS[5]]
        page.screenshot(path=str(artifacts / "progress-grid-no-js.png"))
    finally:
        context.close()


def test_the_certificate_and_progress_sheet_print_to_a4(page, live_server, ten_in_class, artifacts):
    pid = ten_in_class["people"][0]
    with live_server.database.write() as db:
        for item in ITEMS[1:]:
            progress.tick(
                db,
                session_id=ten_in_class["session"],
                participant_id=pid,
                item_id=item,
                actor=Actor.system(),
            )
        attendance.mark_attendance(
            db,
            session_id=ten_in_class["session"],
            participant_id=pid,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
    log_in(page, live_server, "coord")
    page.goto(f"{live_server.url}/office/residents/{pid}")
    with page.expect_navigation():
        page.get_by_role("link", name="できるようになったこと").click()
    assert_accessible(page, "progress sheet")
    for name in ("sheet", "certificate"):
        if name == "certificate":
            with page.expect_navigation():
                page.get_by_role("link", name="修了証: スマホワンポイント メールとSMS").click()
            assert_accessible(page, "certificate")
        # large print: every text of the paper at 18pt or more
        sizes = page.evaluate(
            "() => [...document.querySelectorAll("
            "'main p, main dt, main dd, main li > span:not([aria-hidden]), main h1, main h2')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert sizes and min(sizes) >= 18 * 96 / 72 - 0.01, sizes
        target = artifacts / f"outcome-{name}.pdf"
        page.pdf(path=str(target), format="A4", print_background=True)
        assert target.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", "-layout", str(target), "-"],
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
            assert "長谷川" in text and "つなぐ区" in text, text
            if name == "certificate":
                assert "修" in text and "2026年12月4日" in text, text
            assert text.count("\f") == 1, "one A4 page"
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(target), str(artifacts / f"outcome-{name}")],
                check=True,
                timeout=60,
            )
