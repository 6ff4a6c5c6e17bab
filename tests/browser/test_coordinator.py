"""A coordinator in Chromium: finds a resident by typing kana, registers them on the phone,
opens the reservation slip and prints it to PDF (one A6 page, one A4 page).

Every office page the coordinator's work touches is checked with axe-core (no serious or
critical violation). Screenshots, PDFs and the PDFs' pages as PNG are kept in
test-artifacts/coordinator/ to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from classroom.models import (
    ClassSession,
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

TOKYO = ZoneInfo("Asia/Tokyo")
WEEKDAYS = "月火水木金土日"


@pytest.fixture
def office(live_server):
    """A ward's office: a coordinator and an admin, a library with loaner phones, a class
    next week, one tomorrow with a confirmed seat, a lottery past its deadline, residents."""
    tomorrow = utcnow().astimezone(TOKYO).date() + timedelta(days=1)
    next_week = datetime.combine(tomorrow + timedelta(days=6), time(14), tzinfo=TOKYO)
    with live_server.database.write() as db:
        for login, role in (("madoguchi", Role.COORDINATOR), ("kanri", Role.ADMIN)):
            add_staff(db, login, role, f"{login} さん")
        course = Course(
            code="intro-iphone",
            title="スマホ入門（iPhone）",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.IPHONE,
            title_translations={},
            lesson_ids=[],
        )
        venue = Venue(
            name="つなぐ区立中央図書館 2階 研修室",
            kind=VenueKind.LIBRARY,
            capacity=16,
            address="つなぐ区中央1-2-3",
            access="つなぐ駅 東口から徒歩5分。エレベーターがあります。",
            loaner_phones=4,
            name_translations={},
        )
        db.add_all([course, venue])
        db.flush()

        def schedule(starts, **extra):
            return sessions.create_session(
                db,
                course_id=course.id,
                venue_id=venue.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                capacity=8,
                actor=Actor.system(),
                **extra,
            ).id

        def resident(family, given, reading, phone, device=Device.IPHONE):
            return residents.create_participant(
                db,
                family_name=family,
                given_name=given,
                reading=reading,
                phone=phone,
                device=device,
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
            ).id

        next_week_id = schedule(next_week)
        tomorrow_id = schedule(datetime.combine(tomorrow, time(10), tzinfo=TOKYO))
        lottery_id = schedule(
            next_week + timedelta(days=1),
            booking_mode="lottery",
            application_deadline=utcnow() - timedelta(hours=1),
        )
        hanako = resident("山田", "花子", "ヤマダ ハナコ", "090-1234-5678")
        resident("山田", "太郎", "ヤマダ タロウ", "03-3333-4444", Device.ANDROID)
        ichiro = resident("佐藤", "一郎", "サトウ イチロウ", "090-8765-4321", Device.NONE)
        registration.register(
            db,
            session_id=tomorrow_id,
            participant_id=ichiro,
            source=Source.PHONE,
            actor=Actor.system(),
        )
        for n, reading in enumerate(("スズキ ハル", "タナカ ナツ", "イトウ アキ")):
            person = resident("", "", reading, f"090-5555-000{n}")
            registration.register(
                db,
                session_id=lottery_id,
                participant_id=person,
                source=Source.PHONE,
                actor=Actor.system(),
                now=utcnow() - timedelta(days=1),
            )
    return {
        "next_week": next_week_id,
        "tomorrow": tomorrow_id,
        "lottery": lottery_id,
        "hanako": hanako,
        "next_week_starts": next_week,
    }


@pytest.fixture
def shots(artifacts) -> Path:
    folder = artifacts / "coordinator"
    folder.mkdir(exist_ok=True)
    return folder


def log_in(page, base_url: str, login: str = "madoguchi") -> None:
    """One of `office`'s staff logs in (the coordinator unless told)."""
    log_in_as(page, base_url, login)


def look(page, shots: Path, name: str) -> None:
    """A full-page screenshot kept for people to look at, then axe."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert_accessible(page, name)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def pdf_page_size_mm(pdf: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return tuple(round(float(v) * 25.4 / 72) for v in box.groups())


def print_to_pdf(page, target: Path) -> bytes:
    """Print as Chromium prints (the page's own @page size), and keep PNGs of the pages."""
    page.emulate_media(media="print")
    page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", str(target), str(target.with_suffix(""))],
            check=True,
            timeout=60,
        )
    return target.read_bytes()


def test_a_coordinator_finds_registers_and_prints_the_slip(page, live_server, office, shots):
    from playwright.sync_api import expect

    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/office/residents")
    search = page.locator("#q")
    expect(search).to_be_focused()
    search.press_sequentially("やまだ は", delay=40)  # as typed; no Enter, no button
    hanako = page.locator("#results").get_by_role("link", name="山田 花子")
    expect(hanako).to_be_visible()
    expect(page.locator("#results").get_by_role("link", name="山田 太郎")).to_have_count(0)
    assert page.url.endswith(
        "?q=" + "%E3%82%84%E3%81%BE%E3%81%A0%20%E3%81%AF"
    )  # the address follows
    look(page, shots, "01-search-as-you-type")

    with page.expect_navigation():
        hanako.click()
    with page.expect_navigation():
        page.get_by_role("link", name="教室に申し込む").click()
    look(page, shots, "02-register")
    page.locator(f"#session-{office['next_week']}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="申込を登録").click()
    answer = page.locator(".answer")
    expect(answer).to_have_text(re.compile("申込が確定しました。"))
    code = page.locator(".facts strong").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    look(page, shots, "03-confirmed")

    with page.expect_navigation():
        page.get_by_role("link", name="予約票（A6）").click()
    slip = page.locator(".code")
    expect(slip).to_have_text(code)
    starts = office["next_week_starts"]
    when = f"{starts.month}月{starts.day}日（{WEEKDAYS[starts.weekday()]}）14:00〜15:30"
    assert when in page.locator(".slip-when").inner_text()
    qr = page.locator("img.slip-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG was served
    expect(page.get_by_role("button", name="印刷する")).to_be_visible()  # print.js ran
    look(page, shots, "04-slip-a6")

    pdf = print_to_pdf(page, shots / "slip-a6.pdf")
    assert pdf_pages(pdf) == 1
    assert pdf_page_size_mm(pdf) == (105, 148)
    if shutil.which("pdftotext"):  # the printed page carries the code as text
        text = subprocess.run(
            ["pdftotext", str(shots / "slip-a6.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        assert code in text and "持ち物" in text

    with page.expect_navigation():
        page.get_by_role("link", name="A4").click()
    expect(page.locator(".code")).to_have_text(code)
    look(page, shots, "05-slip-a4")
    pdf = print_to_pdf(page, shots / "slip-a4.pdf")
    assert pdf_pages(pdf) == 1
    assert pdf_page_size_mm(pdf) == (210, 297)
    code_pt = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.code')).fontSize)"
    )
    assert code_pt >= 48 * 96 / 72  # the code is large enough to read across a counter


def class_today(live_server, office) -> int:
    """A class in two hours (a phone is lent on the class's day) where 山田 花子 has a seat."""
    with live_server.database.write() as db:
        like = db.get(ClassSession, office["tomorrow"])
        starts = utcnow() + timedelta(hours=2)
        session_id = sessions.create_session(
            db,
            course_id=like.course_id,
            venue_id=like.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            capacity=8,
            actor=Actor.system(),
        ).id
        registration.register(
            db,
            session_id=session_id,
            participant_id=office["hanako"],
            source=Source.PHONE,
            actor=Actor.system(),
        )
    return session_id


def test_the_coordinators_other_pages_are_accessible(page, live_server, office, shots):
    base = live_server.url
    log_in(page, base)

    page.goto(f"{base}/office/sessions")
    look(page, shots, "10-sessions")
    page.goto(f"{base}/office/sessions/new")
    look(page, shots, "11-session-new")
    with page.expect_navigation():
        page.get_by_role("button", name="登録する").click()  # nothing filled in: messages
    assert page.locator(".error-summary").count() == 1
    look(page, shots, "12-session-new-errors")

    page.goto(f"{base}/office/sessions/{office['tomorrow']}")  # phones: on the day only
    assert "当日" in page.locator("#phones").inner_text()
    page.goto(f"{base}/office/sessions/{class_today(live_server, office)}")
    page.select_option("#participant_id", index=0)
    page.fill("#phone_label", "貸出-1")
    with page.expect_navigation():
        page.get_by_role("button", name="貸し出す").click()
    assert "貸出-1" in page.locator("#phones").inner_text()
    look(page, shots, "13-session-with-a-loan")
    page.goto(f"{base}/office/sessions/{office['tomorrow']}/cancel")
    look(page, shots, "14-session-cancel-confirm")

    page.goto(f"{base}/office/sessions/{office['lottery']}/lottery")
    look(page, shots, "15-lottery-applications")
    with page.expect_navigation():
        page.get_by_role("button", name="抽選する").click()
    assert re.search(r"シードは [0-9a-f]{16} です", page.content())
    look(page, shots, "16-lottery-drawn")

    page.goto(f"{base}/office/calls")
    assert "090-8765-4321" in page.locator("main").inner_text()  # tomorrow's reminder
    look(page, shots, "17-calls")
    page.goto(f"{base}/office/calls/print")
    look(page, shots, "18-calls-print")
    assert pdf_pages(print_to_pdf(page, shots / "calls-a4.pdf")) >= 1


def test_the_admins_venue_and_course_pages_are_accessible(page, live_server, office, shots):
    base = live_server.url
    log_in(page, base, "kanri")
    for name, path in (
        ("20-venues", "/admin/venues"),
        ("21-venue-new", "/admin/venues/new"),
        ("22-courses", "/admin/courses"),
        ("23-course-new", "/admin/courses/new"),
    ):
        page.goto(base + path)
        look(page, shots, name)
    page.goto(f"{base}/admin/venues/new")
    page.fill("#capacity", "0")
    with page.expect_navigation():
        page.get_by_role("button", name="保存する").click()
    assert "会場名を入力してください。" in page.locator(".error-summary").inner_text()
    look(page, shots, "24-venue-errors")
