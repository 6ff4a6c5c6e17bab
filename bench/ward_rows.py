"""Rows of a made-up ward for bulk INSERTs, shared by the ward-scale benches and the year
report's equivalence test: a column added to a model is added here once.

Each builder returns plain dicts (what `insert(table)` takes, with every column the
model's Python-side defaults would fill), so that a caller builds thousands of rows
without the ORM, and draws its own random values in its own order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import insert, text

from classroom.db import Database
from classroom.models import Base

#: rows per INSERT: a bulk load's statements stay well under the drivers' limits
CHUNK = 5_000


def bulk(conn, table, rows: list[dict]) -> None:
    """INSERT the rows into the table, CHUNK at a time (nothing when there are none)."""
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[i : i + CHUNK])


def courses(ids: Iterable[int]) -> list[dict]:
    return [
        dict(
            id=i,
            code=f"c{i}",
            title=f"講座{i}",
            kind="intro",
            device_track="any",
            title_translations={},
            lesson_ids=[],
            description="",
        )
        for i in ids
    ]


def venues(ids: Iterable[int], capacity: int) -> list[dict]:
    return [
        dict(
            id=i,
            name=f"会場{i}",
            kind="library",
            capacity=capacity,
            name_translations={},
            address="",
            access="",
            loaner_phones=0,
        )
        for i in ids
    ]


def residents(
    ids: Iterable[int],
    *,
    at: datetime,
    birth_year: Callable[[], int | None],
    device: Callable[[], str],
    phone: Callable[[int], str] = lambda _id: "",
) -> list[dict]:
    """Residents who registered by phone at `at`; `birth_year()` then `device()` are drawn
    for each in turn (a caller's random numbers stay in the order it had)."""
    return [
        dict(
            id=i,
            reading=f"テスト{i}",
            reading_key=f"てすと{i}",
            family_name="",
            given_name="",
            phone=phone(i),
            phone_digits=phone(i),
            birth_year=birth_year(),
            device=device(),
            needs=[],
            note="",
            consent_method="phone",
            source="phone",
            created_at=at,
            last_activity_at=at,
        )
        for i in ids
    ]


def session(
    id: int,
    *,
    course_id: int,
    venue_id: int,
    starts_at: datetime,
    length: timedelta,
    capacity: int,
    state: str,
    created_at: datetime,
    seats_taken: int = 0,
) -> dict:
    """A first-come class; a held one was held when it started."""
    return dict(
        id=id,
        course_id=course_id,
        venue_id=venue_id,
        starts_at=starts_at,
        ends_at=starts_at + length,
        capacity=capacity,
        seats_taken=seats_taken,
        waitlist_seq=0,
        state=state,
        booking_mode="first_come",
        note="",
        created_at=created_at,
        held_at=starts_at if state == "held" else None,
    )


def registration(
    id: int,
    *,
    session_id: int,
    participant_id: int,
    at: datetime,
    status: str = "confirmed",
    confirmed_at: datetime | None = None,
    waitlist_seq: int | None = None,
) -> dict:
    """A registration entered by phone at `at`, with its own code and QR token."""
    return dict(
        id=id,
        session_id=session_id,
        participant_id=participant_id,
        status=status,
        waitlist_seq=waitlist_seq,
        source="phone",
        entered_via="",
        code=f"B{id:07d}",
        qr_token=f"t{id}",
        created_at=at,
        confirmed_at=confirmed_at,
    )


def attendance(
    *, session_id: int, participant_id: int, registration_id: int | None, status: str, at: datetime
) -> dict:
    """A mark scanned at `at`; without a registration it is a walk-in."""
    return dict(
        session_id=session_id,
        participant_id=participant_id,
        registration_id=registration_id,
        status=status,
        walk_in=registration_id is None,
        method="scan",
        marked_at=at,
    )


def settle(database: Database) -> None:
    """After a bulk load with explicit ids: PostgreSQL's id sequences past the largest id
    (so that the app's own INSERTs do not collide), and each engine's statistics. On
    PostgreSQL also the visibility map that lets index-only scans skip the table, as
    autovacuum leaves a ward's server that has been running: `VACUUM (ANALYZE)` of this
    schema's tables only (a database-wide one waits for, and deadlocks with, other
    schemas' DDL on a shared server)."""
    tables = Base.metadata.sorted_tables
    if database.dialect != "postgresql":
        with database.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        return
    with database.engine.begin() as conn:
        for table in tables:
            if "id" in table.c and table.c.id.autoincrement:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                    )
                )
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(text(f'VACUUM (ANALYZE) "{table.name}"'))
