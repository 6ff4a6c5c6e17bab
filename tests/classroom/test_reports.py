"""Report figures against numbers computed by hand on a small fixed dataset."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from classroom.models import AttendanceStatus
from classroom.services import attendance, sessions
from classroom.services.actor import Actor
from classroom.services.reports import (
    fiscal_year_bounds,
    fiscal_year_of,
    fiscal_year_report,
    reiwa_label,
)
from languages import reset_language, set_language
from tests.classroom.ward import NOW
from tests.conftest import FISCAL_YEAR_START


def test_fiscal_years_run_april_to_march_in_tokyo():
    assert fiscal_year_of(date(2025, 4, 1)) == 2025
    assert fiscal_year_of(date(2026, 3, 31)) == 2025
    # 1 April 2026 00:30 in Tokyo is still 31 March in UTC
    assert fiscal_year_of(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == 2026
    start, end = fiscal_year_bounds(2025)
    assert start == datetime(2025, 3, 31, 15, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 15, 0, tzinfo=UTC)


@pytest.fixture
def in_english():
    token = set_language("en")
    yield
    reset_language(token)


def test_reiwa_labels():
    assert reiwa_label(2025, "ja") == "令和7年度"
    assert reiwa_label(2019, "ja") == "令和元年度"
    assert reiwa_label(2025, "en") == "FY2025 (Reiwa 7)"


def test_the_headline_reads_like_the_wards_plan(ward):
    token = set_language("ja")
    try:
        with ward.database.read() as db:
            report = fiscal_year_report(db, 2025)
        assert report.headline() == "令和7年度：0回開催、延べ0人参加（実人数0人）"
    finally:
        reset_language(token)


def test_sessions_held_attendances_and_distinct_people(ward, in_english):
    # three classes in FY2025: two held, one cancelled; plus one held in FY2026
    def held_class(when: datetime, people: list[int], absent: list[int] = ()) -> int:
        session = ward.session(starts_in=when - datetime(2026, 11, 26, 1, tzinfo=UTC))
        with ward.database.write() as db:
            for p in people:
                attendance.mark_attendance(
                    db,
                    session_id=session,
                    participant_id=p,
                    status=AttendanceStatus.PRESENT,
                    actor=Actor.system(),
                )
            for p in absent:
                attendance.mark_attendance(
                    db,
                    session_id=session,
                    participant_id=p,
                    status=AttendanceStatus.ABSENT,
                    actor=Actor.system(),
                )
            sessions.mark_held(db, session, actor=Actor.system())
        return session

    a, b, c, d = ward.residents(4)
    held_class(datetime(2025, 5, 10, 1, tzinfo=UTC), [a, b, c], absent=[d])
    # 31 January 16:00 UTC is 1 February in Tokyo
    held_class(datetime(2026, 1, 31, 16, tzinfo=UTC), [a, d])
    cancelled = ward.session(
        starts_in=datetime(2025, 6, 1, 1, tzinfo=UTC) - datetime(2026, 11, 26, 1, tzinfo=UTC)
    )
    with ward.database.write() as db:
        sessions.cancel_session(db, cancelled, actor=Actor.system())
    held_class(datetime(2026, 4, 2, 1, tzinfo=UTC), [b])

    with ward.database.read() as db:
        report = fiscal_year_report(db, 2025)
    assert (report.sessions_held, report.attendances, report.participants) == (2, 5, 4)
    assert (
        report.headline() == "FY2025 (Reiwa 7): 2 sessions held, 5 participants in total (4 people)"
    )
    assert [(r.key, r.attendances) for r in report.by_month] == [("2", 2), ("5", 3)]
    assert [(r.key, r.sessions, r.attendances, r.participants) for r in report.by_course] == [
        ("intro-iphone", 2, 5, 4)
    ]
    assert report.as_dict()["fiscal_year"] == 2025
    with ward.database.read() as db:
        assert fiscal_year_report(db, 2026).attendances == 1
    _ = timedelta


def test_the_wards_day_begins_in_the_time_zone_of_the_settings(ward, frozen_clock, monkeypatch):
    """A class at 00:00 on 1 April in Tokyo is 15:00 on 31 March in UTC: the fiscal year and
    the month it counts in follow TSUNAGU_TIMEZONE (Asia/Tokyo when unset), on both engines."""
    frozen_clock(FISCAL_YEAR_START + timedelta(hours=3))
    monkeypatch.delenv("TSUNAGU_TIMEZONE", raising=False)
    (resident,) = ward.residents(1)
    session = ward.session(starts_in=FISCAL_YEAR_START - NOW)
    with ward.database.write() as db:
        attendance.mark_attendance(
            db,
            session_id=session,
            participant_id=resident,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
        sessions.mark_held(db, session, actor=Actor.system())

    def by_month() -> dict[int, list[tuple[str, int]]]:
        with ward.database.read() as db:
            return {
                fy: [(r.key, r.attendances) for r in fiscal_year_report(db, fy).by_month]
                for fy in (2026, 2027)
            }

    assert fiscal_year_bounds(2027)[0] == FISCAL_YEAR_START
    assert fiscal_year_of(FISCAL_YEAR_START) == 2027
    assert by_month() == {2026: [], 2027: [("4", 1)]}

    monkeypatch.setenv("TSUNAGU_TIMEZONE", "UTC")
    assert fiscal_year_bounds(2027)[0] == datetime(2027, 4, 1, tzinfo=UTC)
    assert fiscal_year_of(FISCAL_YEAR_START) == 2026
    assert by_month() == {2026: [("3", 1)], 2027: []}
