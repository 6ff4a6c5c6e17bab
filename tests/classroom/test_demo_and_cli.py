"""The demo ward and the command line, as a person runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from classroom.db import Database
from classroom.migrate import upgrade
from classroom.models import (
    BookingMode,
    ClassSession,
    CourseKind,
    DeviceTrack,
    RegistrationStatus,
    SessionState,
    VenueKind,
)
from classroom.ops.demo import DatabaseNotEmpty, load_demo
from classroom.services.reports import fiscal_year_report
from tests.conftest import FISCAL_YEAR_END, FISCAL_YEAR_START, LEAP_DAY, NEW_YEAR
from tsunagu.cli import main

TOKYO = ZoneInfo("Asia/Tokyo")


def test_the_demo_ward_has_the_plans_figures(database):
    now = datetime(2026, 11, 26, 1, tzinfo=UTC)
    load_demo(database, now=now)
    with database.read() as db:
        report = fiscal_year_report(db, 2025)
        assert (report.sessions_held, report.attendances) == (31, 174)
        courses = {s.course for s in db.query(ClassSession)}
        assert {c.kind for c in courses} == set(CourseKind)
        assert {c.device_track for c in courses} >= {
            DeviceTrack.IPHONE,
            DeviceTrack.ANDROID,
            DeviceTrack.SENIOR,
        }
        assert {s.venue.kind for s in db.query(ClassSession)} == {
            VenueKind.LIBRARY,
            VenueKind.COMMUNITY_CENTRE,
        }
        upcoming = (
            db.query(ClassSession)
            .filter(ClassSession.starts_at > now, ClassSession.state == SessionState.SCHEDULED)
            .all()
        )
        assert len(upcoming) >= 5
        assert any(
            s.booking_mode == BookingMode.LOTTERY and s.application_deadline > now for s in upcoming
        )
        from classroom.models import Registration

        assert db.query(Registration).filter_by(status=RegistrationStatus.WAITLISTED).count() >= 3
    with pytest.raises(DatabaseNotEmpty):
        load_demo(database, now=now)


def test_demo_courses_and_venues_are_named_in_the_five_languages(database):
    """Issue 14: course titles, venue names and venue access lines exist in ja, やさしい日本語,
    en, zh-Hans and ko (a venue's Japanese name, the sign's, is shown beside the translation
    by the pages)."""
    load_demo(database, now=datetime(2026, 11, 26, 1, tzinfo=UTC))
    others = {"ja-easy", "en", "zh-Hans", "ko"}
    with database.read() as db:
        sessions = db.query(ClassSession).all()
        for course in {s.course for s in sessions}:
            assert course.title and set(course.title_translations) == others, course.code
            assert all(course.title_translations.values()), course.code
        for venue in {s.venue for s in sessions}:
            assert venue.name and set(venue.name_translations) == others, venue.name
            assert all(venue.name_translations.values()), venue.name
            assert venue.access and set(venue.access_translations) == others, venue.name
            assert all(venue.access_translations.values()), venue.name
            assert venue.access_translations["ja-easy"] != venue.access, venue.name


def test_db_upgrade_then_demo_from_the_command_line(tmp_path, monkeypatch, frozen_clock):
    # 1 April in Tokyo: the first day of a fiscal year, when `make run` used to crash
    frozen_clock(FISCAL_YEAR_START + timedelta(hours=1))
    monkeypatch.setenv("TSUNAGU_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("TSUNAGU_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "upgraded from" in result.output or "アップグレード" in result.output
    assert (tmp_path / "tsunagu.sqlite3").exists()
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["demo"])
    assert result.exit_code != 0
    assert "--force" in result.output


def test_force_adds_to_an_existing_demo(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    upgrade(database)
    now = datetime(2026, 11, 26, 1, tzinfo=UTC)
    load_demo(database, now=now)
    # --force adds a second year of data without failing on the existing courses
    load_demo(database, force=True, now=now)
    with database.read() as db:
        assert fiscal_year_report(db, 2025).sessions_held == 62


@pytest.mark.parametrize(
    "now",
    [
        FISCAL_YEAR_END,  # 23:59 on 31 March
        FISCAL_YEAR_START + timedelta(minutes=30),  # 00:30 on 1 April: a year with no week yet
        datetime(2027, 5, 10, 3, tzinfo=UTC),
        datetime(2027, 7, 15, 3, tzinfo=UTC),
        NEW_YEAR,
        LEAP_DAY,
    ],
    ids=["31-march", "1-april", "10-may", "15-july", "new-year", "leap-day"],
)
def test_the_demo_loads_a_believable_ward_year_on_any_day(tmp_path, now):
    database = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    upgrade(database)
    load_demo(database, now=now)
    local = now.astimezone(TOKYO)
    this_year = local.year if local.month >= 4 else local.year - 1
    with database.read() as db:
        last = fiscal_year_report(db, this_year - 1)
        assert (last.sessions_held, last.attendances) == (31, 174)
        current = fiscal_year_report(db, this_year)
        # about one class a week so far this year, at most 18, none in its first week
        weeks_so_far = (local.date() - datetime(this_year, 4, 1).date()).days // 7
        assert min(18, weeks_so_far - 1) <= current.sessions_held <= min(18, weeks_so_far)
        held = db.query(ClassSession).filter(ClassSession.state == SessionState.HELD).all()
        assert all(s.starts_at < now for s in held)
        upcoming = db.query(ClassSession).filter(ClassSession.starts_at > now).all()
        assert len(upcoming) >= 5
        assert any(
            s.booking_mode == BookingMode.LOTTERY and s.application_deadline > now for s in upcoming
        )
