"""An instructor in Chromium: logs in, opens today's class, scans slips with the keyboard
(a QR scanner types the code and Enter), and prints large-print handouts to PDF.

Screenshots and PDFs are kept in test-artifacts/; every page touched passes axe-core
with no serious or critical violation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
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
    utcnow,
)
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor
from tests.browser.conftest import add_staff, assert_accessible
from tests.browser.conftest import log_in as log_in_as


@pytest.fixture
def today_class(live_server):
    """An instructor teaching a class in an hour, with two residents holding slips."""
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
        starts = utcnow() + timedelta(hours=1)
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
        people = []
        for family, given, reading, phone, device in (
            ("山田", "花子", "ヤマダ ハナコ", "090-1234-5678", Device.IPHONE),
            ("佐藤", "一郎", "サトウ イチロウ", "090-8765-4321", Device.ANDROID),
        ):
            person = residents.create_participant(
                db,
                family_name=family,
                given_name=given,
                reading=reading,
                phone=phone,
                device=device,
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
            )
            slip = registration.register(
                db,
                session_id=session_id,
                participant_id=person.id,
                source=Source.PHONE,
                actor=Actor.system(),
            ).registration
            people.append((person.id, slip.code, slip.qr_token))
    return session_id, people


def log_in(page, base_url: str) -> None:
    """The instructor of `today_class` logs in."""
    log_in_as(page, base_url, "sensei")


def press_enter_and_wait(page) -> None:
    """Enter submits the form; wait until the next page has loaded."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def assert_scanner_has_focus(page) -> None:
    """The check-in input has the keyboard (waits a moment for the page to settle)."""
    from playwright.sync_api import expect

    expect(page.locator("#code")).to_be_focused(timeout=3000)


def test_an_instructor_scans_slips_and_sees_people_present(
    page, live_server, today_class, artifacts
):
    session_id, [(hanako, hanako_code, _), (ichiro, _, ichiro_token)] = today_class
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/teach/")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("〜")).first.click()
    page.wait_for_url(f"**/teach/sessions/{session_id}")
    assert_accessible(page, "check-in page")
    assert_scanner_has_focus(page)  # the scanner can type at once

    # a typed code + Enter, as a scanner does it, then the next slip without the mouse
    page.keyboard.type(hanako_code)
    press_enter_and_wait(page)
    row = page.locator(f"#p{hanako}")
    assert row.locator(".badge--present").inner_text() == "出席"
    assert "山田 花子さんの受付が完了しました。" in page.locator(".messages").inner_text()
    assert_scanner_has_focus(page)

    page.keyboard.type(ichiro_token)  # a QR scan types the long token
    press_enter_and_wait(page)
    assert page.locator(f"#p{ichiro} .badge--present").inner_text() == "出席"
    assert_scanner_has_focus(page)
    assert "090-1234-5678" not in page.content()
    page.screenshot(path=str(artifacts / "instructor-check-in.png"), full_page=True)
    assert_accessible(page, "check-in page after two scans")

    # a tap on the roster (late), then the scanner input has the focus again
    with page.expect_navigation():
        page.locator(f"#p{ichiro} button[value='late']").click()
    assert page.locator(f"#p{ichiro} .badge--late").inner_text() == "遅刻"
    assert_scanner_has_focus(page)


def test_the_instructors_other_pages_are_accessible(page, live_server, today_class, artifacts):
    session_id, _people = today_class
    log_in(page, live_server.url)
    base = f"{live_server.url}/teach/sessions/{session_id}"
    page.goto(f"{base}/walk-in?q=やまだ")
    assert page.get_by_text("山田 花子").count() >= 1
    assert_accessible(page, "walk-in search")
    page.goto(f"{base}/questionnaires")
    page.keyboard.press("ArrowRight")  # the first choice has the focus: 1 -> 2
    page.locator("label[for='satisfaction-4']").click()
    page.fill("#comment", "とても分かりやすかったです。")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("保存|Save")).click()
    assert "5.0" in page.locator("#average").inner_text()
    assert_accessible(page, "questionnaires")
    page.goto(f"{base}/plan")
    assert page.get_by_text("サイドボタンを、リンゴのマークが出るまで長押しします。").count() == 1
    page.screenshot(path=str(artifacts / "instructor-lesson-plan.png"), full_page=True)
    assert_accessible(page, "lesson plan")
    page.goto(f"{live_server.url}/handouts/")
    assert_accessible(page, "handouts")
    for path in (
        "/handouts/lessons/intro-01-power?device=iphone&furigana=1",
        "/handouts/guides/juminhyo",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page, path)


def printed_heights(pdf) -> list[float]:
    """The printed height (pt) of each line of the steps' text: pdftotext's word boxes of
    the lines that start beside a step's number (90–100 pt from the page's left edge)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    heights = []
    for x, y0, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', xml
    ):
        if 90 < float(x) < 100 and len(word) > 5:
            heights.append(float(y1) - float(y0))
    assert heights, "no step text found in the PDF"
    return heights


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize(
    "name, path, pages",
    [
        ("lesson-iphone", "/handouts/lessons/intro-01-power?device=iphone", (2, 5)),
        (
            "lesson-iphone-furigana",
            "/handouts/lessons/intro-01-power?device=iphone&furigana=1",
            (2, 6),
        ),
        ("guide-juminhyo-furigana", "/handouts/guides/juminhyo?furigana=1", (2, 7)),
    ],
)
def test_handouts_print_to_a4_pdf(page, live_server, today_class, artifacts, name, path, pages):
    log_in(page, live_server.url)
    page.goto(live_server.url + path)
    html = page.content()
    assert ("<ruby>" in html) == ("furigana=1" in path)
    target = artifacts / f"handout-{name}.pdf"
    page.pdf(path=str(target), format="A4", print_background=True)
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    low, high = pages
    assert low <= page_count(pdf) <= high, page_count(pdf)
    # the body text is printed in large print: 18pt or more (as set, and as measured on paper)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.step p')).fontSize)")
    assert size >= 18 * 96 / 72
    if shutil.which("pdftotext") and "furigana" not in path:  # ruby lines would count too
        assert min(printed_heights(target)) >= 17.9
    if shutil.which("pdftoppm"):  # pictures of the pages, to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(target), str(artifacts / f"handout-{name}")],
            check=True,
            timeout=60,
        )
