"""A kiosk booking on PostgreSQL releases the class's row at its commit without waiting
for the disk, and is answered only once it is on disk (issue 21, classroom/db.py
`answer_after_flush`): 200 bookings for one class no longer take 200 fsyncs one
after another, and a "confirmed" still means stored."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

import classroom.db
from classroom.models import Registration
from classroom.services import registration
from tests.web.test_api import KioskClient, add_kiosk


@pytest.fixture
def pg_kiosk(app, database):
    if database.dialect != "postgresql":
        pytest.skip("SQLite's write transaction is its lock: nothing to release early")
    return KioskClient(app, add_kiosk(database))


def _statements(database) -> list[str]:
    seen: list[str] = []

    def executed(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", executed)
    event.listen(database.engine, "commit", lambda conn: seen.append("COMMIT"))
    return seen


@pytest.fixture
def contended(monkeypatch):
    """Every class's row counts as one others are queueing on."""
    monkeypatch.setattr(registration, "CONTENDED_S", 0.0)


def test_a_booking_others_queue_behind_commits_without_waiting_and_is_answered_after_a_flush(
    pg_kiosk, database, ward, contended
):
    seen = _statements(database)
    answer = pg_kiosk.books(ward.session_id)
    assert answer.status_code == 201 and answer.json["status"] == "confirmed"
    # the class's seat, the registration and the commit that does not wait are one
    # statement (one round trip under the class's lock), the last before the commit
    booking = [i for i, s in enumerate(seen) if "UPDATE class_session" in s]
    assert booking == [len(seen) - 4]
    assert classroom.db.COMMIT_WITHOUT_WAITING in seen[booking[0]]
    assert not any(s.startswith("SELECT set_config") for s in seen)
    # the booking's commit, then one WAL record committed synchronously (its flush covers
    # the booking), all before the answer
    assert seen[-3:] == ["COMMIT", "SELECT pg_logical_emit_message(true, 'tsunagu', '')", "COMMIT"]
    # SET LOCAL, and the flush's autocommit undone: every pooled connection's next
    # transaction is an ordinary one that waits for the disk again
    pooled = [database.engine.raw_connection() for _ in range(database.engine.pool.checkedin())]
    try:
        assert pooled
        for raw in pooled:
            assert raw.driver_connection.autocommit is False
            with raw.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                assert cursor.fetchone()[0] == "on"
            raw.rollback()
    finally:
        for raw in pooled:
            raw.close()


def test_a_server_lost_before_the_flush_is_not_confirmed_and_the_resend_is(
    pg_kiosk, database, ward, monkeypatch, contended
):
    key = str(uuid.uuid4())
    # the connection dies between the booking's commit and its flush
    monkeypatch.setattr(
        classroom.db, "_WAL_BARRIER", "SELECT pg_terminate_backend(pg_backend_pid())"
    )
    lost = pg_kiosk.books(ward.session_id, key)
    assert lost.status_code == 503  # not "confirmed": the kiosk's outbox sends it again
    monkeypatch.undo()
    resent = pg_kiosk.books(ward.session_id, key)
    assert resent.status_code == 201 and resent.json["status"] == "confirmed"
    with database.read() as db:
        assert db.scalar(select(func.count(Registration.id))) == 1


def test_a_booking_nobody_queues_behind_commits_as_any_write_does(
    pg_kiosk, database, ward, monkeypatch
):
    """No one waits for the class's row: the commit waits for the disk itself, and nothing
    more is sent (no flush of its own, no setting)."""
    # however long a loaded machine takes for the UPDATE, nobody else queues on the row here
    monkeypatch.setattr(registration, "CONTENDED_S", 60.0)
    seen = _statements(database)
    waits: list[str] = []

    def setting_at_commit(conn):
        with conn.connection.dbapi_connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            waits.append(cursor.fetchone()[0])

    event.listen(database.engine, "commit", setting_at_commit)
    answer = pg_kiosk.books(ward.session_id)
    assert answer.status_code == 201 and answer.json["status"] == "confirmed"
    assert waits == ["on"]  # the booking's commit waits for the disk
    assert not any("pg_logical_emit_message" in s for s in seen)
    assert seen[-1] == "COMMIT"


def test_a_replayed_booking_is_answered_after_a_flush(pg_kiosk, database, ward):
    """A resend may answer for its twin's booking, committed without waiting: it is
    answered only once that is on disk."""
    key = str(uuid.uuid4())
    first = pg_kiosk.books(ward.session_id, key)
    seen = _statements(database)
    again = pg_kiosk.books(ward.session_id, key)
    assert again.status_code in (200, 201) and again.json == first.json
    assert seen[-3:] == ["COMMIT", "SELECT pg_logical_emit_message(true, 'tsunagu', '')", "COMMIT"]


def test_the_class_is_free_for_the_next_booking_before_the_answer_is_built(
    pg_kiosk, app, database, ward
):
    """Everyone booking the same class queues on its row until the booking commits: the
    commit comes before the answer is built and the site's after-request hooks run
    (security headers, who is logged in), so they do not hold the next booking up."""
    free: list[bool] = []

    @app.after_request
    def _try_the_class(response):
        with database.engine.connect() as other:
            other.exec_driver_sql("SET lock_timeout = '50ms'")
            try:
                other.exec_driver_sql(
                    "SELECT id FROM class_session WHERE id = %(id)s FOR UPDATE",
                    {"id": ward.session_id},
                )
                free.append(True)
            except OperationalError:  # the row is still held: lock_timeout
                free.append(False)
            other.rollback()
        return response

    answer = pg_kiosk.books(ward.session_id)
    assert answer.status_code == 201 and answer.json["status"] == "confirmed"
    assert free == [True]
