"""The staff pages at ward scale through the Flask test client, against a hello-world route.

Data, made with bulk INSERTs: 5 fiscal years (FY2022-FY2026, today 2026-11-26 inside the
last one), 2,000 sessions (held before today, scheduled after it), 15,000 residents,
120,000 registrations. A coordinator and an instructor (who teaches every session) log
in through /login. For each engine (a SQLite file; PostgreSQL when reachable, in a private
schema) it prints the median and p95 milliseconds of
- the coordinator's session list  GET /office/sessions,
- the instructor's roster         GET /teach/sessions/<id> (a session of 60 people),
- a hello-world route registered on the same app, measured in the same run (before and
  after the pages; the faster of the two),
and each page's ratio to the hello-world route.

Run: .venv/bin/python bench/web_bench.py [--engine sqlite|postgresql] [--page sessions|roster]
(both engines and both pages unless told; one of each saves time when working on one page)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench import ward_rows as rows  # noqa: E402
from bench.ward_rows import bulk  # noqa: E402
from classroom.db import Database  # noqa: E402
from classroom.models import (  # noqa: E402
    Base,
    ClassSession,
    Course,
    Participant,
    Registration,
    Role,
    Venue,
    session_instructor,
)
from classroom.services import accounts  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from web import create_app  # noqa: E402

SESSIONS = 2_000
RESIDENTS = 15_000
REGISTRATIONS = 120_000
PER_SESSION = REGISTRATIONS // SESSIONS  # 60
FISCAL_YEARS = (2022, 2023, 2024, 2025, 2026)
TODAY = datetime(2026, 11, 26, tzinfo=UTC)
RUNS = 60
WARM_UP = 5
PASSWORD = "bench-password-1234"
HELLO = "/bench-hello"
PG_URL = (
    os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def fill(database: Database) -> tuple[int, int]:
    """Make the ward's 5 years; the instructor's user id and a roster session's id."""
    rng = random.Random(2026)
    with database.write() as db:
        accounts.create_user(
            db,
            login="bench-coordinator",
            role=Role.COORDINATOR,
            password=PASSWORD,
            actor=Actor.cli(),
        )
        instructor = accounts.create_user(
            db, login="bench-instructor", role=Role.INSTRUCTOR, password=PASSWORD, actor=Actor.cli()
        )
        instructor_id = instructor.id
    with database.engine.begin() as conn:
        bulk(conn, Course.__table__, rows.courses(range(1, 7)))
        bulk(conn, Venue.__table__, rows.venues(range(1, 13), capacity=PER_SESSION))
        bulk(
            conn,
            Participant.__table__,
            rows.residents(
                range(1, RESIDENTS + 1),
                at=TODAY,
                birth_year=lambda: rng.randint(1930, 1965),
                device=lambda: rng.choice(["iphone", "android", "senior", "none"]),
                phone=lambda i: f"090{i:08d}",
            ),
        )
        sessions, per_year = [], SESSIONS // len(FISCAL_YEARS)
        for n in range(SESSIONS):
            year = FISCAL_YEARS[n // per_year]
            starts = datetime(year, 4, 1, 1, tzinfo=UTC) + timedelta(
                days=rng.randrange(364), hours=rng.randrange(8)
            )
            sessions.append(
                rows.session(
                    n + 1,
                    course_id=rng.randint(1, 6),
                    venue_id=rng.randint(1, 12),
                    starts_at=starts,
                    length=timedelta(hours=1, minutes=30),
                    capacity=PER_SESSION,
                    seats_taken=PER_SESSION,
                    state="held" if starts < TODAY else "scheduled",
                    created_at=starts - timedelta(days=30),
                )
            )
        bulk(conn, ClassSession.__table__, sessions)
        bulk(
            conn,
            session_instructor,
            [dict(session_id=s["id"], user_id=instructor_id) for s in sessions],
        )
        registrations, rid = [], 0
        for s in sessions:
            for pid in rng.sample(range(1, RESIDENTS + 1), PER_SESSION):
                rid += 1
                at = s["created_at"]
                registrations.append(
                    rows.registration(
                        rid, session_id=s["id"], participant_id=pid, at=at, confirmed_at=at
                    )
                )
        bulk(conn, Registration.__table__, registrations)
    rows.settle(database)
    upcoming = [s for s in sessions if s["starts_at"] > TODAY]
    return instructor_id, min(upcoming, key=lambda s: s["starts_at"])["id"]


def timings(client, url: str) -> tuple[float, float]:
    """Median and p95 milliseconds of GET ``url`` (after a warm-up); it must answer 200."""
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def logged_in(app, login: str):
    client = app.test_client()
    response = client.post("/login", data={"login": login, "password": PASSWORD})
    if response.status_code not in (302, 303):
        raise SystemExit(f"login {login}: {response.status_code}")
    return client


def measure(name: str, database: Database, only: str | None = None) -> None:
    t0 = time.perf_counter()
    _instructor_id, roster_session = fill(database)
    filled = time.perf_counter() - t0
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "bench", "DATABASE": database, "WTF_CSRF_ENABLED": False}
    )

    @app.route(HELLO)
    def bench_hello():
        return "Hello, World!"

    coordinator = logged_in(app, "bench-coordinator")
    instructor = logged_in(app, "bench-instructor")
    with database.read() as db:
        upcoming = db.scalar(text("SELECT COUNT(*) FROM class_session WHERE state = 'scheduled'"))
    print(
        f"{name}: data made in {filled:.1f} s; {SESSIONS:,} sessions ({upcoming} upcoming), "
        f"{RESIDENTS:,} residents, {REGISTRATIONS:,} registrations"
    )
    pages = {
        "sessions": (
            "coordinator's session list /office/sessions",
            coordinator,
            "/office/sessions",
        ),
        "roster": (
            f"instructor's roster /teach/sessions/{roster_session}",
            instructor,
            f"/teach/sessions/{roster_session}",
        ),
    }
    hello = timings(coordinator, HELLO)
    results = [
        (label, timings(client, url))
        for key, (label, client, url) in pages.items()
        if only in (None, key)
    ]
    hello_again = timings(coordinator, HELLO)
    base = (min(hello[0], hello_again[0]), min(hello[1], hello_again[1]))
    print(f"{name}: hello-world route: median {base[0]:.2f} ms, p95 {base[1]:.2f} ms")
    for label, (median, p95) in results:
        print(
            f"{name}: {label}: median {median:.1f} ms, p95 {p95:.1f} ms; "
            f"ratio to hello-world: median {median / base[0]:.1f}x, p95 {p95 / base[1]:.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="only this engine")
    parser.add_argument("--page", choices=("sessions", "roster"), help="only this page")
    args = parser.parse_args()
    # logging in twice needs no production-cost argon2id: the same code path, cheaper
    accounts.hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    accounts._dummy_hash.cache_clear()
    if args.engine in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            Base.metadata.create_all(database.engine)
            measure("sqlite", database, args.page)
            database.dispose()
    if args.engine == "sqlite":
        return
    try:
        admin = create_engine(
            PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no PostgreSQL here: SQLite only
        print(f"postgresql: not reachable ({type(exc).__name__}); skipped")
        return
    try:
        database = Database(PG_URL, connect_args={"options": f"-c search_path={schema}"})
        Base.metadata.create_all(database.engine)
        measure("postgresql", database, args.page)
        database.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
