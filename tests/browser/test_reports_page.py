"""A coordinator in Chromium at 1366×768 reads last fiscal year's report by dates
(issue 16): 1 April to 31 March counts the class on the evening of 31 March, the year list
says 令和N年度, the months run 4月…3月 with zeros, the age bands read 「75〜84歳」, the two
CSV downloads have their own names, and a period that ends before it starts is explained
on the field. Screenshots in test-artifacts/reports/; axe on each page state.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from classroom.models import AttendanceStatus, Course, Source, Venue, utcnow
from classroom.services import attendance, residents, sessions
from classroom.services.actor import Actor
from classroom.services.reports import fiscal_year_of
from classroom.settings import ward_zone
from tests.browser.conftest import assert_accessible
from tests.browser.test_coordinator import log_in, office  # noqa: F401 (office: a fixture)

MONTHS = [f"{m}月" for m in (*range(4, 13), 1, 2, 3)]


@pytest.fixture
def shots(artifacts) -> Path:
    folder = artifacts / "reports"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def last_year(live_server, office) -> int:  # noqa: F811 (office: the fixture imported above)
    """The coordinator's office (madoguchi) and, last fiscal year, one class held from 22:00
    on its last day, 31 March (Tokyo), attended by a resident born 80 years before."""
    fiscal_year = fiscal_year_of(utcnow()) - 1
    starts = datetime.combine(date(fiscal_year + 1, 3, 31), time(22), tzinfo=ward_zone())
    with live_server.database.write() as db:
        course = db.scalar(select(Course).where(Course.code == "intro-iphone"))
        session = sessions.create_session(
            db,
            course_id=course.id,
            venue_id=db.scalar(select(Venue.id)),
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=12,
            actor=Actor.system(),
            now=starts - timedelta(days=30),
        )
        resident = residents.create_participant(
            db,
            family_name="佐藤",
            given_name="弘子",
            reading="サトウ ヒロコ",
            phone="090-0000-1111",
            birth_year=fiscal_year - 80,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        )
        attendance.mark_attendance(
            db,
            session_id=session.id,
            participant_id=resident.id,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
        sessions.mark_held(db, session.id, actor=Actor.system())
    return fiscal_year


def look(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"))
    page.screenshot(path=str(shots / f"{name}-full.png"), full_page=True)
    assert_accessible(page, name)


def test_a_coordinator_reads_last_years_report_by_dates(page, live_server, last_year, shots):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/reports/")
    this_year = last_year + 1
    years = page.locator("#fy option").all_inner_texts()
    assert years[:2] == [
        f"令和{this_year - 2018}年度",
        f"令和{last_year - 2018}年度",
    ], years

    # 1 April to 31 March, both days counted: the class on the evening of 31 March is in
    page.fill("#from", f"{last_year}-04-01")
    page.fill("#until", f"{this_year}-03-31")
    expect(page.get_by_label("終了日（この日を含む）")).to_have_value(f"{this_year}-03-31")
    with page.expect_navigation():
        page.locator("form.period").nth(1).get_by_role("button").click()
    headline = page.locator(".headline")
    expect(headline).to_contain_text(f"{last_year}-04-01〜{this_year}-03-31")
    expect(headline).to_contain_text("1回開催、延べ1人参加（実人数1人）")

    months = page.locator("#by-month ~ div table tbody tr")
    assert months.locator("th").all_inner_texts() == MONTHS
    assert months.locator("td:nth-of-type(2)").all_inner_texts() == ["0"] * 11 + ["1"]
    bands = page.locator("#by-age ~ div table tbody tr")
    assert bands.locator("th").all_inner_texts() == ["64歳以下", "65〜74歳", "75〜84歳", "85歳以上"]
    assert bands.locator("td:nth-of-type(3)").all_inner_texts() == ["0", "0", "1", "0"]
    look(page, shots, "1-period-counted")

    names = []
    for link in page.locator(".exports a").all():
        with page.expect_download() as download:
            link.click()
        names.append(download.value.suggested_filename)
    period = f"{last_year}0401-{this_year}0331"
    assert names == [f"実績報告_{period}_Excel用.csv", f"実績報告_{period}_ShiftJIS.csv"]

    # a period that ends before it starts: the form says so on the last day's field
    page.fill("#from", f"{this_year}-03-31")
    page.fill("#until", f"{last_year}-04-01")
    with page.expect_navigation() as shown:
        page.locator("form.period").nth(1).get_by_role("button").click()
    assert shown.value.status == 422
    error = page.locator("#until-error")
    expect(error).to_contain_text("終了日が開始日より前です")
    expect(page.locator("#until")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#until")).to_have_value(f"{last_year}-04-01")
    look(page, shots, "2-period-refused")
