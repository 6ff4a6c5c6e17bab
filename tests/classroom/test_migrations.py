"""`tsunagu db upgrade` on an empty database yields exactly the models, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from bench import ward_rows as rows
from classroom.db import Database
from classroom.migrate import (
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    upgrade,
)
from classroom.models import (
    Attendance,
    Base,
    CallReason,
    CallTask,
    ClassSession,
    Course,
    Participant,
    ReportPersonYear,
    Source,
    Venue,
)
from classroom.services import report_figures
from classroom.services.reports import fiscal_year_report
from tests.conftest import PG_URL, PostgresSchema


def _empty_database(engine_name, tmp_path):
    if engine_name == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"), None
    schema = PostgresSchema(PG_URL)
    return Database(PG_URL, connect_args=schema.connect_args()), schema


def test_upgrading_an_empty_database_matches_the_models(engine_name, tmp_path):
    database, schema = _empty_database(engine_name, tmp_path)
    try:
        upgrade(database)
        assert current_revision(database) == head_revision(database)
        assert schema_differences(database) == []
        tables = set(inspect(database.engine).get_table_names()) - {"alembic_version"}
        assert tables == set(Base.metadata.tables)
        # the partial unique index that keeps one active registration per person survives
        indexes = {ix["name"] for ix in inspect(database.engine).get_indexes("registration")}
        assert "uq_registration_active_participant" in indexes
        if engine_name == "postgresql":  # the booking statement's count (migration 0017)
            with database.engine.connect() as connection:
                assert connection.execute(text("SELECT waitlist_ahead(1, 5)")).scalar() == 0
        upgrade(database)  # a second upgrade is a no-op
    finally:
        database.dispose()
        if schema:
            schema.drop()


def _venue_row(database) -> dict:
    with database.engine.connect() as connection:
        return dict(connection.execute(text("SELECT * FROM venue")).mappings().one())


def _course_and_class(connection) -> None:
    """Course 1 and its class 1 at venue 1, as rows (the models may be newer)."""
    connection.execute(
        text(
            "INSERT INTO course (id, code, title, title_translations, kind,"
            " device_track, lesson_ids, description) VALUES (1, 'intro', 'スマホ入門',"
            " '{}', 'intro', 'any', '[]', '')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO class_session (id, course_id, venue_id, starts_at, ends_at,"
            " capacity, seats_taken, waitlist_seq, state, booking_mode, note,"
            " created_at) VALUES (1, 1, 1, :starts, :ends, 10, 0, 0, 'scheduled',"
            " 'first_come', '', :starts)"
        ),
        {
            "starts": datetime(2026, 12, 10, 1, tzinfo=UTC),
            "ends": datetime(2026, 12, 10, 2, tzinfo=UTC),
        },
    )


def test_venue_access_translations_upgrade_and_downgrade_keep_the_venues(engine_name, tmp_path):
    """0007 adds venue.access_translations: a venue made before it gets {} (shows the
    Japanese); going back to 0006 removes the column and keeps the venue and its classes."""
    database, schema = _empty_database(engine_name, tmp_path)
    try:
        upgrade(database, "0006")
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO venue (id, name, name_translations, kind, address, access,"
                    " capacity, loaner_phones) VALUES (1, '中央図書館', '{\"en\": \"Central"
                    " Library\"}', 'library', '', 'つなぐ駅から徒歩5分', 20, 0)"
                )
            )
            _course_and_class(connection)
        upgrade(database)
        assert current_revision(database) == head_revision(database)
        assert schema_differences(database) == []
        with database.read() as db:
            venue = db.get(Venue, 1)
            assert venue.access_translations == {}
            assert venue.name_translations == {"en": "Central Library"}
            venue_id = venue.id
        with database.write() as db:
            db.get(Venue, venue_id).access_translations = {"ko": "쓰나구역에서 도보 5분"}
        with database.read() as db:
            assert db.get(Venue, 1).access_translations == {"ko": "쓰나구역에서 도보 5분"}

        downgrade(database, "0006")
        assert current_revision(database) == "0006"
        columns = {c["name"] for c in inspect(database.engine).get_columns("venue")}
        assert "access_translations" not in columns and "access" in columns
        row = _venue_row(database)
        assert (row["name"], row["access"]) == ("中央図書館", "つなぐ駅から徒歩5分")
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT venue_id FROM class_session")).all() == [(1,)]

        upgrade(database)  # and forward again
        assert schema_differences(database) == []
        with database.read() as db:
            assert db.get(Venue, 1).access_translations == {}
    finally:
        database.dispose()
        if schema:
            schema.drop()


def test_session_edits_upgrade_and_downgrade_keep_the_calls(engine_name, tmp_path):
    """0008 (class edits): every class gets version 0, a call may say "class moved";
    going back to 0007 keeps the other calls (a "class moved" one cannot be kept)."""
    database, schema = _empty_database(engine_name, tmp_path)
    try:
        upgrade(database, "0007")
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO venue (id, name, name_translations, access_translations, kind,"
                    " address, access, capacity, loaner_phones) VALUES (1, '中央図書館', '{}',"
                    " '{}', 'library', '', '', 20, 0)"
                )
            )
            _course_and_class(connection)
        upgrade(database)
        assert current_revision(database) == head_revision(database)
        assert schema_differences(database) == []
        indexes = {ix["name"] for ix in inspect(database.engine).get_indexes("call_task")}
        assert {"uq_call_task_open", "ix_call_task_open"} <= indexes
        with database.write() as db:
            assert db.get(ClassSession, 1).version == 0
            db.add(Participant(id=1, reading="テスト", source=Source.PHONE))
            db.flush()
            for reason in (CallReason.SESSION_MOVED, CallReason.PROMOTED):
                db.add(CallTask(participant_id=1, session_id=1, reason=reason, note=""))

        downgrade(database, "0007")
        with database.engine.connect() as connection:
            reasons = connection.execute(text("SELECT reason FROM call_task")).scalars().all()
        assert reasons == ["promoted"]
        upgrade(database)
        assert schema_differences(database) == []
    finally:
        database.dispose()
        if schema:
            schema.drop()


def test_progress_records_upgrade_and_downgrade(engine_name, tmp_path):
    """0009 (issue 17): a table of "I can ..." items shown, one row per person and item;
    going back to 0008 drops it and a new upgrade makes it again as the models say."""
    database, schema = _empty_database(engine_name, tmp_path)
    try:
        upgrade(database, "0008")
        assert "progress_record" not in inspect(database.engine).get_table_names()
        upgrade(database)
        assert schema_differences(database) == []
        uniques = inspect(database.engine).get_unique_constraints("progress_record")
        assert [sorted(u["column_names"]) for u in uniques] == [["item_id", "participant_id"]]
        downgrade(database, "0008")
        assert "progress_record" not in inspect(database.engine).get_table_names()
        upgrade(database)
        assert schema_differences(database) == []
    finally:
        database.dispose()
        if schema:
            schema.drop()


def test_report_figures_upgrade_notes_every_mark_and_downgrade_drops_them(engine_name, tmp_path):
    """0018 (issue 21): a ward's marks from before are all noted stale, so its year report
    is right at once and the first refresh keeps their figures; going back to 0017 drops
    the tables and the triggers (a mark taken then writes nowhere else)."""
    made = datetime(2025, 4, 1, tzinfo=UTC)
    database, schema = _empty_database(engine_name, tmp_path)
    try:
        upgrade(database, "0017")
        with database.engine.begin() as conn:
            rows.bulk(conn, Course.__table__, rows.courses([1]))
            rows.bulk(conn, Venue.__table__, rows.venues([1], capacity=10))
            rows.bulk(
                conn,
                Participant.__table__,
                rows.residents([1, 2], at=made, birth_year=lambda: 1950, device=lambda: "iphone"),
            )
            for n, day in ((1, 60), (2, 90)):
                session = rows.session(
                    n,
                    course_id=1,
                    venue_id=1,
                    starts_at=made + timedelta(days=day),
                    length=timedelta(hours=2),
                    capacity=10,
                    state="held",
                    created_at=made,
                )
                rows.bulk(conn, ClassSession.__table__, [session])
            marks = [
                rows.attendance(
                    session_id=1, participant_id=p, registration_id=None, status="present", at=made
                )
                for p in (1, 2)
            ]
            rows.bulk(conn, Attendance.__table__, marks)
        upgrade(database)
        assert schema_differences(database) == []
        with database.read() as db:
            assert report_figures.anything_stale(db)
            assert fiscal_year_report(db, 2025).participants == 2
        with database.write() as db:
            assert report_figures.refresh(db) == (2, 1)
        with database.read() as db:
            assert not report_figures.anything_stale(db)
            assert db.query(ReportPersonYear).count() == 10  # 2 people x 5 breakdowns
            assert fiscal_year_report(db, 2025).participants == 2
        downgrade(database, "0017")
        assert "report_stale" not in inspect(database.engine).get_table_names()
        with database.engine.begin() as conn:
            mark = rows.attendance(
                session_id=2, participant_id=1, registration_id=None, status="present", at=made
            )
            rows.bulk(conn, Attendance.__table__, [mark])
        upgrade(database)
        assert schema_differences(database) == []
        with database.read() as db:
            assert fiscal_year_report(db, 2025).attendances == 3
    finally:
        database.dispose()
        if schema:
            schema.drop()
