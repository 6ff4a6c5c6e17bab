"""Fixtures shared by every test: a fresh database per test, on SQLite and PostgreSQL.

Every test that asks for `database` runs once per engine: on a SQLite file, and on
PostgreSQL when it is reachable (TSUNAGU_TEST_DATABASE_URL, else postgres@127.0.0.1:5432/test).
The header and the summary of the run say which engines ran.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, text

from classroom.db import Database
from classroom.models import Base

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("TSUNAGU_TEST_DATABASE_URL") or DEFAULT_PG_URL


def _postgres_reachable(url: str) -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means: run on SQLite only, and say why
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


_PG_PROBLEM = _postgres_reachable(PG_URL)
ENGINES = ["sqlite"] + ([] if _PG_PROBLEM else ["postgresql"])
_ran: Counter[str] = Counter()


def pytest_report_header(config) -> list[str]:
    lines = [f"tsunagu database engines: {', '.join(ENGINES)}"]
    if _PG_PROBLEM:
        lines.append(f"PostgreSQL not reachable at {PG_URL} ({_PG_PROBLEM}): SQLite only")
    return lines


def pytest_sessionstart(session) -> None:
    if _PG_PROBLEM and os.environ.get("TSUNAGU_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError(
            f"TSUNAGU_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at {PG_URL}: {_PG_PROBLEM}"
        )


def pytest_runtest_logreport(report) -> None:
    if report.when == "call" and report.passed:
        for engine in ENGINES:
            if (
                f"[{engine}" in report.nodeid
                or f"-{engine}]" in report.nodeid
                or f"-{engine}-" in report.nodeid
            ):
                _ran[engine] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    parts = [f"{engine}: {_ran[engine]} passed" for engine in ENGINES]
    terminalreporter.write_line("database tests by engine — " + "; ".join(parts))
    if _PG_PROBLEM:
        terminalreporter.write_line(f"PostgreSQL was not reachable ({_PG_PROBLEM}); it did not run")


class PostgresSchema:
    """A private schema in the test database, so parallel runs never meet."""

    def __init__(self, base_url: str) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self.base_url = base_url
        admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        admin.dispose()

    def connect_args(self) -> dict:
        return {"options": f"-c search_path={self.name}"}

    def create_tables(self) -> None:
        """The current schema's tables in this schema, and `empty_script` for them."""
        engine = create_engine(self.base_url, connect_args=self.connect_args())
        Base.metadata.create_all(engine)
        with engine.connect() as conn:
            self.empty_script = self._emptying(conn)
        engine.dispose()

    def _emptying(self, conn) -> str:
        """One script that empties every table and restarts every id at 1.

        DELETE in reverse dependency order and setval, not TRUNCATE: on a test's few rows
        TRUNCATE ... RESTART IDENTITY CASCADE costs 150 ms (new files for 25 tables), this
        one round trip about 5 ms.
        """
        sequences = conn.execute(
            text(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = :schema ORDER BY sequence_name"
            ),
            {"schema": self.name},
        ).scalars()
        # a cycle (content_item.published_id -> content_version -> content_item) is cut
        # first: its foreign keys are the ones added after the tables (use_alter)
        cuts = [
            f'UPDATE "{table.name}" SET "{fk.column_keys[0]}" = NULL'
            for table in Base.metadata.sorted_tables
            for fk in table.foreign_key_constraints
            if fk.use_alter
        ]
        # report_stale last: emptying attendance, class_session and participant notes
        # rows in it (their triggers), which would then outlive its id's restart
        tables = sorted(
            reversed(Base.metadata.sorted_tables), key=lambda t: t.name == "report_stale"
        )
        deletes = [f'DELETE FROM "{t.name}"' for t in tables]
        restarts = ", ".join(f"setval('\"{name}\"', 1, false)" for name in sequences)
        return "; ".join(cuts + deletes + ([f"SELECT {restarts}"] if restarts else []))

    def drop(self) -> None:
        admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_schema():
    if _PG_PROBLEM:
        pytest.skip(f"PostgreSQL not reachable: {_PG_PROBLEM}")
    schema = PostgresSchema(PG_URL)
    schema.create_tables()
    yield schema
    schema.drop()


def make_database(engine_name: str, tmp_path, request, **engine_kwargs) -> Database:
    """A Database with the current schema and no rows."""
    if engine_name == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(_sqlite_template(request), path)
        return Database(f"sqlite:///{path}", **engine_kwargs)
    schema = request.getfixturevalue("pg_schema")
    engine_kwargs.setdefault("connect_args", {}).update(schema.connect_args())
    db = Database(PG_URL, **engine_kwargs)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(schema.empty_script)
    return db


_SQLITE_TEMPLATE: list[Path] = []


def _sqlite_template(request) -> Path:
    """An empty SQLite database with the current schema, made once per test process and
    copied for each test (a copy takes 1 ms, create_all 30 ms)."""
    if not _SQLITE_TEMPLATE:
        folder = request.getfixturevalue("tmp_path_factory").mktemp("sqlite-template")
        db = Database(f"sqlite:///{folder / 'empty.sqlite3'}")
        Base.metadata.create_all(db.engine)
        db.dispose()
        _SQLITE_TEMPLATE.append(folder / "empty.sqlite3")
    return _SQLITE_TEMPLATE[0]


# Moments a ward lives by, as UTC instants. From 15:00 to 24:00 UTC, Tokyo is already on
# the next day; a test that must hold "at any hour" runs at both kinds of moment.
TOKYO_SAME_DAY = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, same date
TOKYO_NEXT_DAY = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # 05:00 on 5 December in Tokyo
TOKYO_MIDNIGHT = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # 00:00 on 5 December in Tokyo
FISCAL_YEAR_END = datetime(2027, 3, 31, 14, 59, tzinfo=UTC)  # 23:59 on 31 March in Tokyo
FISCAL_YEAR_START = datetime(2027, 3, 31, 15, 0, tzinfo=UTC)  # 00:00 on 1 April in Tokyo
NEW_YEAR = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 00:00 on 1 January 2027 in Tokyo
LEAP_DAY = datetime(2028, 2, 28, 15, 30, tzinfo=UTC)  # 00:30 on 29 February 2028 in Tokyo


@pytest.fixture
def frozen_clock():
    """Travel to a fixed instant: `frozen_clock(moment)`; the clock ticks on from there.

    Tests never read the wall clock; the suite gives the same answer at any hour of any day.
    """
    travellers = []

    def travel(moment: datetime):
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield travel
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture(params=ENGINES)
def engine_name(request) -> str:
    return request.param


@pytest.fixture
def database(engine_name, tmp_path, request):
    """A fresh, empty database on each engine."""
    db = make_database(engine_name, tmp_path, request)
    yield db
    db.dispose()


@pytest.fixture
def ward(database):
    """A ward with one course, one 20-seat venue and a coordinator, on each engine."""
    from tests.classroom.ward import WardBuilder

    return WardBuilder(database)


#: the files that take longest (seconds on 2 cores, 2026-12-06), started first: with
#: `--dist loadfile` each file runs whole on one worker, and a long file started last
#: leaves the other worker idle at the end of the run. make test passes
#: --no-loadscope-reorder, else xdist orders files by their number of tests instead.
SLOW_FIRST = (
    "tests/kiosk/test_floors.py",  # 192 s, three Kivy windows at once
    "tests/web/test_access.py",  # 192 s
    "tests/kiosk/test_speech_everywhere.py",  # 114 s
    "tests/kiosk/test_screenshots.py",  # 75 s
    "tests/web/test_form_fuzz_postgresql.py",  # 68 s
    "tests/web/test_form_fuzz.py",  # 64 s
    "tests/classroom/test_demo_and_cli.py",  # 59 s
    "tests/web/test_multi_server.py",  # 56 s
    "tests/browser/test_public.py",  # 53 s
    "tests/kiosk/test_ask_walk.py",  # 48 s
    "tests/test_manuals.py",  # 46 s
    "tests/browser/test_staff_axe.py",  # 43 s
    "tests/browser/test_guide_pages.py",  # 42 s
    "tests/web/test_staff_list_pages.py",  # 41 s
    "tests/kiosk/test_guides_walk.py",  # 41 s
    "tests/web/test_import_while_booking.py",  # 37 s
    "tests/web/test_api_schema.py",  # 35 s
    "tests/test_loadtest.py",  # 33 s
    "tests/kiosk/test_faults.py",  # 31 s
    "tests/kiosk/test_guides_screens.py",  # 30 s
    "tests/browser/test_instructor.py",  # 29 s
    "tests/kiosk/test_illustrations.py",  # 27 s
    "tests/browser/test_editor_publish_walk.py",  # 26 s
    "tests/web/test_editor_edit.py",  # 26 s
    "tests/kiosk/test_booking_walk.py",  # 25 s
    "tests/web/test_api.py",  # 25 s
    "tests/kiosk/test_guides_languages.py",  # 24 s
    "tests/browser/test_ask_page.py",  # 24 s
    "tests/web/test_bad_input.py",  # 23 s
    "tests/browser/test_coordinator.py",  # 22 s
)


def pytest_collection_modifyitems(session, config, items) -> None:
    """Run the slowest files first (the rest keep their order): a shorter make test."""
    rank = {path: n for n, path in enumerate(SLOW_FIRST)}
    root = Path(str(config.rootpath))

    def key(item) -> int:
        return rank.get(Path(str(item.path)).relative_to(root).as_posix(), len(rank))

    items.sort(key=key)
