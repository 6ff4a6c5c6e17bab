"""Bookings per second with 4 concurrent writers, per database, against plain INSERTs.

For each engine (a SQLite file; PostgreSQL when reachable) it measures, in the same run:
- baseline: 4 threads inserting the same registration rows with plain INSERTs (no rules),
- tsunagu: 4 threads calling classroom.services.registration.register for the same people,
and prints bookings/s, the ratio to the baseline, and `overbooked seats: N` (must be 0).

Run: .venv/bin/python bench/bookings_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, func, insert, select, text  # noqa: E402

from classroom.db import Database  # noqa: E402
from classroom.models import (  # noqa: E402
    Base,
    ClassSession,
    Course,
    CourseKind,
    DeviceTrack,
    Participant,
    Registration,
    RegistrationStatus,
    Source,
    Venue,
    VenueKind,
)
from classroom.services import registration  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from classroom.services.codes import new_qr_token, new_reservation_code  # noqa: E402

WRITERS = 4
ROUNDS = 5
SESSIONS = 20
SEATS = 10
PEOPLE_PER_SESSION = 15  # 10 confirmed, 5 waitlisted per session
NOW = datetime(2026, 11, 26, 1, tzinfo=UTC)
PG_URL = (
    os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _setup(database: Database) -> tuple[list[int], list[int]]:
    with database.write() as db:
        course = Course(
            code="bench",
            title="ベンチ",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.ANY,
            title_translations={},
            lesson_ids=[],
        )
        venue = Venue(
            name="ベンチ会場", kind=VenueKind.LIBRARY, capacity=SEATS, name_translations={}
        )
        db.add_all([course, venue])
        db.flush()
        sessions = []
        for i in range(SESSIONS):
            s = ClassSession(
                course_id=course.id,
                venue_id=venue.id,
                capacity=SEATS,
                starts_at=NOW + timedelta(days=10 + i),
                ends_at=NOW + timedelta(days=10 + i, hours=1),
            )
            db.add(s)
            sessions.append(s)
        people = [
            Participant(reading=f"ベンチ {i}", reading_key=f"べんち{i}", source=Source.PHONE)
            for i in range(SESSIONS * PEOPLE_PER_SESSION)
        ]
        db.add_all(people)
        db.flush()
        return [s.id for s in sessions], [p.id for p in people]


def _jobs(session_ids: list[int], people: list[int]) -> list[tuple[int, int]]:
    jobs = []
    for n, session_id in enumerate(session_ids):
        for p in people[n * PEOPLE_PER_SESSION : (n + 1) * PEOPLE_PER_SESSION]:
            jobs.append((session_id, p))
    return jobs


def _in_threads(jobs: list[tuple[int, int]], work) -> float:
    chunks = [jobs[i::WRITERS] for i in range(WRITERS)]
    barrier = threading.Barrier(WRITERS + 1)
    errors: list[BaseException] = []

    def run(chunk):
        barrier.wait()
        try:
            for job in chunk:
                work(*job)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def _plain_inserts(database: Database, jobs) -> float:
    def work(session_id: int, participant_id: int) -> None:
        with database.engine.begin() as conn:
            conn.execute(
                insert(Registration).values(
                    session_id=session_id,
                    participant_id=participant_id,
                    status=RegistrationStatus.CONFIRMED.value,
                    source=Source.KIOSK.value,
                    code=new_reservation_code() + uuid.uuid4().hex[:4],
                    qr_token=new_qr_token(),
                    created_at=NOW,
                    entered_via="",
                )
            )

    return _in_threads(jobs, work)


def _book(database: Database, session_id: int, participant_id: int) -> None:
    with database.write() as db:
        registration.register(
            db,
            session_id=session_id,
            participant_id=participant_id,
            source=Source.KIOSK,
            actor=Actor.kiosk("bench"),
            idempotency_key=uuid.uuid4().hex,
            now=NOW,
        )


def _bookings(database: Database, jobs) -> float:
    return _in_threads(
        jobs, lambda session_id, participant_id: _book(database, session_id, participant_id)
    )


def _overbooked(database: Database) -> int:
    with database.read() as db:
        rows = db.execute(
            select(ClassSession.id, ClassSession.capacity, func.count(Registration.id))
            .join(Registration, Registration.session_id == ClassSession.id)
            .where(Registration.status == RegistrationStatus.CONFIRMED)
            .group_by(ClassSession.id, ClassSession.capacity)
        ).all()
    return sum(max(0, confirmed - capacity) for _id, capacity, confirmed in rows)


def _fresh(engine_name: str, where: Path):
    if engine_name == "sqlite":
        url = f"sqlite:///{where / f'{uuid.uuid4().hex}.sqlite3'}"
        database = Database(url)
        Base.metadata.create_all(database.engine)
        return database, lambda: None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(PG_URL, connect_args={"options": f"-c search_path={schema}"})
    Base.metadata.create_all(database.engine)

    def drop():
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return database, drop


def _statements_per_booking(database: Database, jobs) -> list[int]:
    """Statements sent for one booking of each kind (a seat, a waitlist place), BEGIN and
    COMMIT included: each is a round trip, and all of them but the first are under the lock."""
    counts = []
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        # one class's people in turn: the first takes a seat, the last a waitlist place
        for session_id, participant_id in jobs[:PEOPLE_PER_SESSION]:
            sent.clear()
            _book(database, session_id, participant_id)
            # PostgreSQL's BEGIN is sent with the first statement; SQLite's is counted;
            # COMMIT is a call of the driver, not a statement: one more round trip
            counts.append(len(sent) + (database.dialect == "postgresql") + 1)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return [counts[0], counts[-1]]


def bench(engine_name: str) -> None:
    # the machine may be shared: baseline and bookings alternate, and each keeps its best
    # round, so that a burst of someone else's load does not decide the ratio
    baseline = elapsed = float("inf")
    overbooked = 0
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        for _round in range(ROUNDS):
            base_db, drop_base = _fresh(engine_name, where)
            jobs = _jobs(*_setup(base_db))
            baseline = min(baseline, _plain_inserts(base_db, jobs))
            drop_base()
            db, drop = _fresh(engine_name, where)
            jobs = _jobs(*_setup(db))
            elapsed = min(elapsed, _bookings(db, jobs))
            overbooked += _overbooked(db)
            drop()
        db, drop = _fresh(engine_name, where)
        seat, waitlist = _statements_per_booking(db, _jobs(*_setup(db)))
        drop()
    n = len(jobs)
    print(
        f"[{engine_name}] {WRITERS} writers, {n} bookings into {SESSIONS} sessions of {SEATS} seats"
        f" (best of {ROUNDS} alternating rounds)"
    )
    print(f"[{engine_name}] plain INSERTs: {n / baseline:8.1f} rows/s")
    print(
        f"[{engine_name}] bookings:      {n / elapsed:8.1f} bookings/s "
        f"(ratio to plain INSERTs: {baseline / elapsed:.2f})"
    )
    print(
        f"[{engine_name}] round trips per booking: {seat} for a seat, {waitlist} for a waitlist"
        " place (a plain INSERT: 3)"
    )
    print(f"[{engine_name}] overbooked seats: {overbooked}")
    if overbooked:
        raise SystemExit(1)


def main() -> None:
    bench("sqlite")
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:
        print(f"[postgresql] not reachable at {PG_URL}: {type(exc).__name__}; skipped")
        return
    bench("postgresql")


if __name__ == "__main__":
    main()
