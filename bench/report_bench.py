"""The fiscal-year report over 5 years of ward-scale data, against one GROUP BY pass.

Data, made with bulk INSERTs: 2,000 held sessions over fiscal years 2021-2025, 15,000
residents, 120,000 confirmed registrations and about 102,000 attendance rows, plus
questionnaires, kiosk usage events and help requests. The triggers note every mark
written, and one refresh then keeps the year's figures per person (timed and printed),
as the report page does before it counts. For each engine (a SQLite file; PostgreSQL
when reachable) it prints the median milliseconds of the FY2025 report and of one GROUP BY
pass over that year's attendance (by course, with its distinct people) measured in the
same run, and their ratio; then the same with one class's people noted stale since the
refresh (counted from attendance in the report), and what refreshing them costs.

Run: .venv/bin/python bench/report_bench.py [--engine sqlite|postgresql] [--breakdown]
[--explain]. --breakdown prints each statement of the report with its median milliseconds
(timed at the driver, in the order the report sends them); --explain adds each one's plan
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, distinct, event, func, select, text, update  # noqa: E402

from bench import ward_rows as rows  # noqa: E402
from bench.ward_rows import bulk  # noqa: E402
from classroom.db import Database  # noqa: E402
from classroom.models import (  # noqa: E402
    ATTENDED_STATUSES,
    Attendance,
    Base,
    ClassSession,
    Course,
    HelpRequest,
    Kiosk,
    Participant,
    QuestionnaireResponse,
    Registration,
    ReportStale,
    SessionState,
    UsageEvent,
    Venue,
)
from classroom.services.report_figures import refresh  # noqa: E402
from classroom.services.reports import fiscal_year_bounds, fiscal_year_report  # noqa: E402

SESSIONS = 2_000
RESIDENTS = 15_000
REGISTRATIONS = 120_000
PER_SESSION = REGISTRATIONS // SESSIONS  # 60
YEARS = (2021, 2022, 2023, 2024, 2025)
RUNS = 7
PG_URL = (
    os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def fill(database: Database) -> None:
    rng = random.Random(2025)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with database.engine.begin() as conn:
        bulk(conn, Course.__table__, rows.courses(range(1, 7)))
        bulk(conn, Venue.__table__, rows.venues(range(1, 13), capacity=PER_SESSION))
        bulk(
            conn,
            Kiosk.__table__,
            [
                dict(
                    id=i,
                    name=f"k{i}",
                    location=f"場所{i}",
                    token_hash=f"{i:064d}",
                    created_at=now,
                    app_version="",
                    content_version="",
                )
                for i in range(1, 9)
            ],
        )
        bulk(
            conn,
            Participant.__table__,
            rows.residents(
                range(1, RESIDENTS + 1),
                at=now,
                birth_year=lambda: rng.randint(1930, 1965),
                device=lambda: rng.choice(["iphone", "android", "senior", "none"]),
            ),
        )
        sessions, per_year = [], SESSIONS // len(YEARS)
        for n in range(SESSIONS):
            year = YEARS[n // per_year]
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
                    state="held",
                    created_at=starts,
                )
            )
        bulk(conn, ClassSession.__table__, sessions)
        registrations, attendance, answers = [], [], []
        rid = 0
        for s in sessions:
            for pid in rng.sample(range(1, RESIDENTS + 1), PER_SESSION):
                rid += 1
                at = s["starts_at"]
                registrations.append(
                    rows.registration(
                        rid, session_id=s["id"], participant_id=pid, at=at, confirmed_at=at
                    )
                )
                if rng.random() < 0.85:
                    attendance.append(
                        rows.attendance(
                            session_id=s["id"],
                            participant_id=pid,
                            registration_id=rid,
                            status="present",
                            at=at,
                        )
                    )
            answers += [
                dict(
                    session_id=s["id"],
                    satisfaction=rng.randint(2, 5),
                    comment="",
                    entered_at=s["starts_at"],
                )
                for _ in range(10)
            ]
        bulk(conn, Registration.__table__, registrations)
        bulk(conn, Attendance.__table__, attendance)
        bulk(conn, QuestionnaireResponse.__table__, answers)
        kinds = ["guide_viewed"] * 5 + ["guide_finished"] * 2 + ["handoff_shown", "language_chosen"]
        events = []
        for n in range(50_000):
            at = datetime(rng.choice(YEARS), 4, 1, tzinfo=UTC) + timedelta(
                minutes=rng.randrange(525_000)
            )
            events.append(
                dict(
                    kiosk_id=rng.randint(1, 8),
                    client_id=f"e{n}",
                    kind=rng.choice(kinds),
                    at=at,
                    received_at=at,
                    guide_id=rng.choice(["juminhyo", "mynumber", "tax"]),
                    language=rng.choice(["ja", "ja", "ja", "en", "zh-Hans", "ko"]),
                    text_size="",
                )
            )
        bulk(conn, UsageEvent.__table__, events)
        bulk(
            conn,
            HelpRequest.__table__,
            [
                dict(
                    kiosk_id=rng.randint(1, 8),
                    client_id=f"h{n}",
                    screen="",
                    language="ja",
                    created_at=datetime(rng.choice(YEARS), 6, 1, tzinfo=UTC),
                )
                for n in range(2_000)
            ],
        )
    rows.settle(database)


def median_ms(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _caller() -> str:
    """The report's function that sent a statement: the innermost frame in classroom/."""
    for frame in reversed(traceback.extract_stack()):
        if f"{os.sep}classroom{os.sep}" in frame.filename:
            return f"{Path(frame.filename).stem}.{frame.name}"
    return "?"


def breakdown(name: str, database: Database, explain: bool) -> None:
    """Each statement the FY2025 report sends, its median ms over RUNS reports, and (with
    `explain`) its plan: where the report's time goes."""
    seen: dict[int, list] = {}
    order: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["t0"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        ms = (time.perf_counter() - conn.info.pop("t0")) * 1000
        if statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            return  # SQLite's BEGIN DEFERRED (classroom/db.py), not the report's
        n = conn.info["n"] = conn.info.get("n", 0) + 1
        if n not in seen:
            seen[n] = []
            order.append((n, _caller(), statement, parameters))
        seen[n].append(ms)

    event.listen(database.engine, "before_cursor_execute", before)
    event.listen(database.engine, "after_cursor_execute", after)
    try:
        for _ in range(RUNS):
            with database.read() as db:
                db.connection().info["n"] = 0
                t0 = time.perf_counter()
                fiscal_year_report(db, 2025)
                total = (time.perf_counter() - t0) * 1000
                seen.setdefault(0, []).append(total)
    finally:
        event.remove(database.engine, "before_cursor_execute", before)
        event.remove(database.engine, "after_cursor_execute", after)
    print(
        f"{name}: FY2025 report, {len(order)} statements, median {statistics.median(seen[0]):.1f} ms"
    )
    for n, caller, statement, _ in order:
        first = " ".join(statement.split())[:70]
        print(f"{name}:   #{n:<2} {statistics.median(seen[n]):7.1f} ms  {caller:<34} {first}")
    if not explain:
        return
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) " if database.dialect == "postgresql" else "EXPLAIN QUERY PLAN "
    )
    with database.engine.connect() as conn:
        for n, caller, statement, parameters in order:
            print(f"--- {name} #{n} {caller}")
            for row in conn.exec_driver_sql(prefix + statement, parameters):
                print("   ", *(row if database.dialect == "postgresql" else row[-1:]))


def measure(name: str, database: Database, args=None) -> None:
    t0 = time.perf_counter()
    fill(database)
    filled = time.perf_counter() - t0
    # the bulk load noted every person and class stale (the triggers): count them into the
    # kept figures once, as the staff site does before it shows a report
    t0 = time.perf_counter()
    with database.write() as db:
        people, classes = refresh(db)
    refreshed = time.perf_counter() - t0
    rows.settle(database)  # the kept tables' statistics too, as autovacuum would
    print(
        f"{name}: kept figures counted for {people:,} people and {classes:,} classes "
        f"in {refreshed:.1f} s (once, after the bulk load)"
    )
    with database.read() as db:
        report = fiscal_year_report(db, 2025)
        attendance_rows = db.scalar(select(func.count()).select_from(Attendance))

        def count():
            db.scalar(text("SELECT COUNT(*) FROM attendance"))

        start, end = fiscal_year_bounds(2025)

        def one_pass(db=db):
            # one GROUP BY pass over the year's attended rows: what a single breakdown of
            # the report (by course: attendances, distinct people) costs on its own
            db.execute(
                select(
                    ClassSession.course_id,
                    func.count(Attendance.id),
                    func.count(distinct(Attendance.participant_id)),
                )
                .join(ClassSession, ClassSession.id == Attendance.session_id)
                .where(
                    ClassSession.state == SessionState.HELD,
                    ClassSession.starts_at >= start,
                    ClassSession.starts_at < end,
                    Attendance.status.in_(ATTENDED_STATUSES),
                )
                .group_by(ClassSession.course_id)
            ).all()

        # interleaved rounds, each figure its median: the machine may be shared
        counted, passes, fulls = [], [], []
        for _ in range(RUNS):
            counted.append(median_ms(count, 1))
            passes.append(median_ms(one_pass, 1))
            fulls.append(median_ms(lambda: fiscal_year_report(db, 2025), 1))
        baseline, group_pass, full = map(statistics.median, (counted, passes, fulls))
    # between refreshes: one class's marks written again (its people noted stale by the
    # triggers), so the report counts them from attendance beside everyone's kept rows
    with database.write() as db:
        session_id = db.scalar(
            select(ClassSession.id).where(ClassSession.starts_at >= start).order_by(ClassSession.id)
        )
        db.execute(
            update(Attendance)
            .where(Attendance.session_id == session_id)
            .values(status=Attendance.status)
        )
        noted = db.scalar(select(func.count(distinct(ReportStale.participant_id))))
    with database.read() as db:
        stale_passes, stale_fulls = [], []
        for _ in range(RUNS):
            stale_passes.append(median_ms(lambda: one_pass(db), 1))
            stale_fulls.append(median_ms(lambda: fiscal_year_report(db, 2025), 1))
        stale_pass, stale_full = map(statistics.median, (stale_passes, stale_fulls))
    t0 = time.perf_counter()
    with database.write() as db:
        refresh(db)
    refresh_ms = (time.perf_counter() - t0) * 1000
    if args is not None and (args.breakdown or args.explain):
        breakdown(name, database, args.explain)
    print(
        f"{name}: data made in {filled:.1f} s ({attendance_rows:,} attendance rows); "
        f"FY2025: {report.sessions_held} sessions, {report.attendances:,} attendances, "
        f"{report.participants:,} people"
    )
    print(
        f"{name}: fiscal-year report median {full:.1f} ms; one GROUP BY pass over FY2025's "
        f"attendance median {group_pass:.1f} ms; ratio {full / group_pass:.1f}x (target <= 5x)"
    )
    print(
        f"{name}: (COUNT(*) of all attendance median {baseline:.1f} ms; ratio {full / baseline:.1f}x)"
    )
    print(
        f"{name}: with one class's {noted} people noted stale since the last refresh: report "
        f"median {stale_full:.1f} ms; one GROUP BY pass median {stale_pass:.1f} ms; ratio "
        f"{stale_full / stale_pass:.1f}x; refreshing them {refresh_ms:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="only this one")
    parser.add_argument("--breakdown", action="store_true", help="ms per statement")
    parser.add_argument("--explain", action="store_true", help="and each statement's plan")
    args = parser.parse_args()
    if args.engine != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            database = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            Base.metadata.create_all(database.engine)
            measure("sqlite", database, args)
            database.dispose()
    if args.engine == "sqlite":
        return
    try:
        admin = create_engine(
            PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no PostgreSQL here: SQLite only
        print(f"postgresql: not reachable ({type(exc).__name__}); skipped")
        return
    try:
        database = Database(PG_URL, connect_args={"options": f"-c search_path={schema}"})
        Base.metadata.create_all(database.engine)
        measure("postgresql", database, args)
        database.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
