"""Engine and sessions from TSUNAGU_DATABASE_URL, with SQLite made safe for writers.

SQLite: WAL, foreign keys, a busy timeout, and write transactions that start with
BEGIN IMMEDIATE so that two writers queue instead of failing half way. Read-only
units of work use a deferred BEGIN so that readers never wait for writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: seconds to wait for a PostgreSQL connection, and for a free connection in the pool
PG_CONNECT_TIMEOUT_S = 5
POOL_TIMEOUT_S = 10
#: libpq TCP keepalives: an established connection to a vanished server fails in ~1 minute
PG_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE writes."""
    parsed = make_url(url)
    # an error's message must not carry the statement's values (names, phone numbers)
    # into a log or a traceback
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(url, **kwargs)
        _make_sqlite_transactional(engine)
        return engine
    # a connection the server dropped (restart, failover, a cut network) is noticed and
    # replaced on checkout, so the pool recovers by itself once the database is back
    kwargs.setdefault("pool_pre_ping", True)
    # during an outage a request fails within seconds (a friendly 503) instead of hanging
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_timeout", POOL_TIMEOUT_S)
    if parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = connect_args = dict(kwargs.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", PG_CONNECT_TIMEOUT_S)
        for name, value in PG_KEEPALIVES.items():  # a server gone silent is noticed too
            connect_args.setdefault(name, value)
    return create_engine(url, **kwargs)


def _make_sqlite_transactional(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get("tsunagu_readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One engine and its session factories: `write()` and `read()` units of work."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(
            self.engine.execution_options(tsunagu_readonly=True), expire_on_commit=False
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Database:
        return cls((settings or Settings.from_env()).database_url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that commits on success and rolls back on any exception."""
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work for reading; it never takes SQLite's write lock."""
        with self._reader() as session, session.begin():
            yield session

    def session(self) -> Session:
        """A plain session for callers that manage their own transactions (the web)."""
        return self._writer()

    def dispose(self) -> None:
        self.engine.dispose()
