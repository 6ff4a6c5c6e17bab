"""Report figures against numbers computed by hand on a small fixed dataset."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from classroom.models import AttendanceStatus
from classroom.services import attendance, report_figures, sessions
from classroom.services.actor import Actor
from classroom.services.reports import (
    days,
    fiscal_year_bounds,
    fiscal_year_of,
    fiscal_year_report,
    reiwa_label,
    report,
    report_rows,
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


def held_on(ward, when: datetime, people: list[int], absent: list[int] = ()) -> int:
    """A class held at `when`: `people` came, `absent` did not."""
    session = ward.session(starts_in=when - NOW, now=when - timedelta(days=30))
    with ward.database.write() as db:
        for p, status in [(p, AttendanceStatus.PRESENT) for p in people] + [
            (p, AttendanceStatus.ABSENT) for p in absent
        ]:
            attendance.mark_attendance(
                db, session_id=session, participant_id=p, status=status, actor=Actor.system()
            )
        sessions.mark_held(db, session, actor=Actor.system())
    return session


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
    a, b, c, d = ward.residents(4)
    held_on(ward, datetime(2025, 5, 10, 1, tzinfo=UTC), [a, b, c], absent=[d])
    # 31 January 16:00 UTC is 1 February in Tokyo
    held_on(ward, datetime(2026, 1, 31, 16, tzinfo=UTC), [a, d])
    cancelled = ward.session(
        starts_in=datetime(2025, 6, 1, 1, tzinfo=UTC) - datetime(2026, 11, 26, 1, tzinfo=UTC)
    )
    with ward.database.write() as db:
        sessions.cancel_session(db, cancelled, actor=Actor.system())
    held_on(ward, datetime(2026, 4, 2, 1, tzinfo=UTC), [b])

    with ward.database.read() as db:
        report = fiscal_year_report(db, 2025)
    assert (report.sessions_held, report.attendances, report.participants) == (2, 5, 4)
    assert (
        report.headline() == "FY2025 (Reiwa 7): 2 sessions held, 5 participants in total (4 people)"
    )
    assert [(r.key, r.attendances) for r in report.by_month if r.attendances] == [
        ("2025-05", 3),
        ("2026-02", 2),
    ]
    assert [(r.key, r.sessions, r.attendances, r.participants) for r in report.by_course] == [
        ("intro-iphone", 2, 5, 4)
    ]
    assert report.as_dict()["fiscal_year"] == 2025
    with ward.database.read() as db:
        assert fiscal_year_report(db, 2026).attendances == 1


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

    def refresh() -> None:
        with ward.database.write() as db:
            report_figures.refresh(db)

    def by_month() -> dict[int, list[tuple[str, int]]]:
        with ward.database.read() as db:
            return {
                fy: [
                    (r.key, r.attendances)
                    for r in fiscal_year_report(db, fy).by_month
                    if r.attendances
                ]
                for fy in (2026, 2027)
            }

    assert fiscal_year_bounds(2027)[0] == FISCAL_YEAR_START
    assert fiscal_year_of(FISCAL_YEAR_START) == 2027
    assert by_month() == {2026: [], 2027: [("2027-04", 1)]}
    refresh()  # the year's figures kept, counted in Tokyo
    assert by_month() == {2026: [], 2027: [("2027-04", 1)]}

    monkeypatch.setenv("TSUNAGU_TIMEZONE", "UTC")
    assert fiscal_year_bounds(2027)[0] == datetime(2027, 4, 1, tzinfo=UTC)
    assert fiscal_year_of(FISCAL_YEAR_START) == 2026
    # the kept rows are Tokyo's: not read until they are counted again in UTC, which the
    # report page's refresh does although no mark has changed
    assert by_month() == {2026: [("2027-03", 1)], 2027: []}
    assert report_figures.keep_current(ward.database) == (1, 1)
    with ward.database.read() as db:
        assert report_figures.readable(db)
    assert by_month() == {2026: [("2027-03", 1)], 2027: []}
    assert report_figures.keep_current(ward.database) == (0, 0)


def test_the_last_day_of_a_period_counts_until_midnight_in_tokyo(ward, in_english):
    """1 April – 31 March counts a class at 23:30 on 31 March (Tokyo): the whole fiscal year."""
    (resident,) = ward.residents(1)
    held_on(ward, datetime(2026, 3, 31, 14, 30, tzinfo=UTC), [resident])  # 23:30 on 31 March
    with ward.database.read() as db:
        chosen = report(db, *days(date(2025, 4, 1), date(2026, 3, 31)))
        one_day = report(db, *days(date(2026, 3, 31), date(2026, 3, 31)))
        fiscal = fiscal_year_report(db, 2025)
    assert (chosen.sessions_held, chosen.attendances) == (1, 1)
    assert (one_day.sessions_held, one_day.attendances) == (1, 1)
    assert (chosen.start, chosen.end) == (fiscal.start, fiscal.end)
    assert chosen.label == "2025-04-01 to 2026-03-31"
    rows = report_rows(chosen)
    assert ["Until (included)", "2026-03-31"] in rows and ["From", "2025-04-01"] in rows


def test_months_run_april_to_march_with_zeros(ward):
    (resident,) = ward.residents(1)
    held_on(ward, datetime(2026, 3, 10, 1, tzinfo=UTC), [resident])
    held_on(ward, datetime(2025, 6, 10, 1, tzinfo=UTC), [resident])
    token = set_language("ja")
    try:
        with ward.database.read() as db:
            fiscal = fiscal_year_report(db, 2025)
            spring = report(db, *days(date(2026, 2, 15), date(2026, 4, 10)))
    finally:
        reset_language(token)
    assert [r.label for r in fiscal.by_month] == [f"{m}月" for m in (*range(4, 13), 1, 2, 3)]
    assert [r.attendances for r in fiscal.by_month] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [(r.key, r.attendances) for r in spring.by_month] == [
        ("2026-02", 0),
        ("2026-03", 1),
        ("2026-04", 0),
    ]
    months = [r[0] if r else "" for r in report_rows(fiscal)]
    assert months[months.index("月別") + 1 :][:12] == [r.label for r in fiscal.by_month]


def test_months_in_english(ward, in_english):
    with ward.database.read() as db:
        fiscal = fiscal_year_report(db, 2025)
    assert [r.label for r in fiscal.by_month][:2] == ["Apr", "May"]
    assert fiscal.by_month[-1].label == "Mar"


def test_age_bands_are_named_in_words(ward):
    born = {1970: 56, 1955: 71, 1946: 80, 1936: 90}  # age in 2026
    people = [ward.resident(birth_year=year) for year in born]
    held_on(ward, datetime(2026, 6, 10, 1, tzinfo=UTC), people[1:])
    for language, labels in (
        ("ja", ["64歳以下", "65〜74歳", "75〜84歳", "85歳以上"]),
        ("en", ["Aged 64 and under", "Aged 65 to 74", "Aged 75 to 84", "Aged 85 and over"]),
    ):
        token = set_language(language)
        try:
            with ward.database.read() as db:
                bands = fiscal_year_report(db, 2026).by_age_band
        finally:
            reset_language(token)
        assert [r.label for r in bands] == labels
    assert [r.participants for r in bands] == [0, 1, 1, 1]
