"""The dates a ward lives by, at the moments they turn: Tokyo midnight (15:00 UTC), the
fiscal-year boundary (31 March / 1 April), New Year and a leap day.

Each test freezes the clock (tests/conftest.py `frozen_clock`), so the suite gives the same
answer at any hour of any day; before, a test built dates from the wall clock in UTC while
the server read Tokyo's, and failed every evening.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from classroom.models import AttendanceStatus, BookingMode, Source
from classroom.services import attendance, calls, registration, residents, sessions
from classroom.services.actor import Actor
from classroom.services.errors import LotteryClosed
from classroom.services.reports import fiscal_year_of, fiscal_year_report
from kiosk import booking_text
from tests.conftest import (
    FISCAL_YEAR_END,
    FISCAL_YEAR_START,
    LEAP_DAY,
    NEW_YEAR,
    TOKYO_MIDNIGHT,
)
from tests.web.conftest import log_in


def _session(db, ward, starts_at, *, instructor=None, lottery_deadline=None):
    return sessions.create_session(
        db,
        course_id=ward.course_id,
        venue_id=ward.venue_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=30),
        capacity=5,
        instructor_ids=[instructor] if instructor else [],
        booking_mode=BookingMode.LOTTERY if lottery_deadline else BookingMode.FIRST_COME,
        application_deadline=lottery_deadline,
        actor=Actor.system(),
    ).id


def test_an_instructors_today_turns_at_tokyo_midnight_not_utc(
    frozen_clock, app, database, staff, ward
):
    # 00:05 on 5 December in Tokyo, still 4 December in UTC
    frozen_clock(TOKYO_MIDNIGHT + timedelta(minutes=5))
    with database.write() as db:
        # 23:00 on 4 December in Tokyo (14:00 UTC, the same UTC date as now): yesterday
        _session(db, ward, datetime(2026, 12, 4, 14, 0, tzinfo=UTC), instructor=staff.instructor)
        # 09:00 on 5 December in Tokyo (00:00 UTC on the 5th): today
        _session(db, ward, datetime(2026, 12, 5, 0, 0, tzinfo=UTC), instructor=staff.instructor)
    client = app.test_client()
    log_in(client, "instructor")
    page = client.get("/teach/").get_data(as_text=True)
    today, _, later = page.partition("Coming up")
    assert "09:00" in today
    assert "23:00" not in page  # yesterday's class is neither today's nor coming up


@pytest.mark.parametrize(
    "moment, expected",
    [(FISCAL_YEAR_END, 2026), (FISCAL_YEAR_START, 2027)],
    ids=["23:59-on-31-march", "00:00-on-1-april"],
)
def test_the_report_opens_on_the_fiscal_year_of_tokyos_date(
    frozen_clock, app, staff, moment, expected
):
    frozen_clock(moment + timedelta(seconds=30))
    client = app.test_client()
    log_in(client, "coordinator")
    response = client.get("/reports/")
    assert response.status_code == 200
    chosen = re.findall(r'<option value="(\d+)"\s+selected', response.get_data(as_text=True))
    assert chosen == [str(expected)]


def test_a_class_held_on_the_night_of_31_march_counts_in_the_old_fiscal_year(
    frozen_clock, database, ward
):
    frozen_clock(FISCAL_YEAR_START + timedelta(days=1))
    ids = []
    with database.write() as db:
        person = residents.create_participant(
            db,
            reading="ヤマダ タロウ",
            phone="090-1111-2222",
            birth_year=1950,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id
        # 22:00 on 31 March and 00:30 on 1 April, Tokyo time
        for starts in (
            FISCAL_YEAR_START - timedelta(hours=2),
            FISCAL_YEAR_START + timedelta(minutes=30),
        ):
            sid = _session(db, ward, starts)
            attendance.mark_attendance(
                db,
                session_id=sid,
                participant_id=person,
                status=AttendanceStatus.PRESENT,
                actor=Actor.system(),
                now=starts,
            )
            sessions.mark_held(db, sid, actor=Actor.system(), now=starts + timedelta(hours=2))
            ids.append(sid)
    with database.read() as db:
        assert fiscal_year_report(db, 2026).sessions_held == 1
        assert fiscal_year_report(db, 2027).sessions_held == 1


def test_reminders_on_new_years_eve_are_for_new_years_day(database, ward):
    eve = NEW_YEAR - timedelta(hours=5)  # 19:00 on 31 December in Tokyo (10:00 UTC)
    with database.write() as db:
        new_years_day = _session(db, ward, NEW_YEAR + timedelta(hours=1))  # 10:00 on 1 January
        second = _session(db, ward, NEW_YEAR + timedelta(days=1, hours=1))  # 10:00 on 2 January
        for sid in (new_years_day, second):
            registration.register(
                db,
                session_id=sid,
                participant_id=ward.resident_id,
                source=Source.PHONE,
                actor=Actor.system(),
                now=eve,
            )
    with database.write() as db:
        added = calls.tomorrows_reminders(db, eve, timezone="Asia/Tokyo")
        assert [c.session_id for c in added] == [new_years_day]


def test_a_lottery_deadline_at_17_00_tokyo_closes_at_17_00_tokyo(database, ward):
    deadline = datetime(2026, 12, 31, 8, 0, tzinfo=UTC)  # 17:00 on 31 December in Tokyo
    with database.write() as db:
        lottery = _session(db, ward, NEW_YEAR + timedelta(days=10), lottery_deadline=deadline)
        other = residents.create_participant(
            db,
            reading="サトウ ハナコ",
            phone="090-3333-4444",
            birth_year=1952,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id
    with database.write() as db:
        registration.register(
            db,
            session_id=lottery,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
            now=deadline - timedelta(minutes=1),
        )
    with pytest.raises(LotteryClosed), database.write() as db:
        registration.register(
            db,
            session_id=lottery,
            participant_id=other,
            source=Source.PHONE,
            actor=Actor.system(),
            now=deadline + timedelta(minutes=1),
        )


@pytest.mark.parametrize(
    "starts_at, language, expected",
    [
        # 00:30 on New Year's Day in Tokyo is still 31 December in UTC
        ("2026-12-31T15:30:00Z", "ja", "1月1日（金） 00:30〜02:00"),
        ("2026-12-31T15:30:00Z", "en", "Fri 1 Jan, 00:30–02:00"),
        # 29 February 2028, a leap day, 09:00 in Tokyo
        ("2028-02-29T00:00:00Z", "ja", "2月29日（火） 09:00〜10:30"),
    ],
)
def test_the_kiosk_shows_a_class_on_tokyos_calendar(starts_at, language, expected):
    start = datetime.fromisoformat(starts_at.replace("Z", "+00:00"))
    ends_at = (start + timedelta(hours=1, minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert booking_text.when({"starts_at": starts_at, "ends_at": ends_at}, language) == expected


def test_fiscal_years_turn_on_tokyos_1_april_and_hold_a_leap_day():
    assert fiscal_year_of(FISCAL_YEAR_END) == 2026
    assert fiscal_year_of(FISCAL_YEAR_START) == 2027
    assert fiscal_year_of(NEW_YEAR) == 2026  # New Year is in the middle of a fiscal year
    assert fiscal_year_of(LEAP_DAY) == 2027
