"""The demo ward and the command line, as a person runs them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from classroom.db import Database
from classroom.demo import DatabaseNotEmpty, load_demo
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
from classroom.services.reports import fiscal_year_report
from tsunagu.cli import main


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


def test_db_upgrade_then_demo_from_the_command_line(tmp_path, monkeypatch):
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
