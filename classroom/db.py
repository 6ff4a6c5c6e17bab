"""Engine and sessions from TSUNAGU_DATABASE_URL, with SQLite made safe for writers.

SQLite: WAL, foreign keys, a busy timeout, and write transactions that start with
BEGIN IMMEDIATE so that two writers queue instead of failing half way. Read-only
units of work use a deferred BEGIN so that readers never wait for writers.

Residents' data on disk (APPI): the database file and its -wal/-shm companions are
created readable by their owner only (0600), `secure_delete` overwrites deleted and
replaced values with zeros, and a unit of work that erased someone
(`checkpoint_after_commit`) ends with a TRUNCATE checkpoint, so that the old values do
not linger in the WAL either. PostgreSQL: see docs/operations.md (VACUUM).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .settings import Settings

log = logging.getLogger(__name__)
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: how long a checkpoint after an erase waits for readers to finish
CHECKPOINT_BUSY_TIMEOUT_MS = 5_000
#: owner read/write only: the database holds residents' names and phone numbers
PRIVATE_FILE_MODE = 0o600
#: Session.info key: this unit of work erased personal data
_CHECKPOINT = "tsunagu_checkpoint"
#: session.info key: the connection whose commit is made durable after it (PostgreSQL)
_FLUSH_AFTER_COMMIT = "tsunagu_flush_after_commit"
#: one transactional WAL record: committed with synchronous_commit on, it returns once
#: the WAL up to it, every earlier commit included, is on disk (a transaction that wrote
#: no WAL would not wait); allowed to every role
_WAL_BARRIER = "SELECT pg_logical_emit_message(true, 'tsunagu', '')"
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
        if database and database != ":memory:" and not database.startswith("file:"):
            make_private_file(Path(database))
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


def make_private_file(path: Path) -> None:
    """Create `path` (and its folder) readable by the owner only, or tighten it to 0600.

    SQLite creates the -wal and -shm files with the mode of the database file, so they
    follow. Files that already exist with a wider mode (0644 before) are tightened too.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    except OSError:
        # not a file that can be made (a folder in its place, a read-only disk): SQLite
        # says so when it connects, and the site answers 503 for a database it cannot open
        return
    os.close(fd)
    for companion in (path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
        try:
            mode = stat.S_IMODE(companion.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            companion.chmod(PRIVATE_FILE_MODE)


def checkpoint_after_commit(db: Session) -> None:
    """Mark this unit of work: once it commits, flush the SQLite WAL and truncate it.

    Called by whatever erases personal values, so that the values are gone from the WAL
    file too, not only from the database pages (which `secure_delete` zeroes).
    """
    db.info[_CHECKPOINT] = True


#: in a PostgreSQL statement, this transaction's commit does not wait for the disk (see
#: `answer_after_flush`): sent inside the statement that takes a booking, not apart
COMMIT_WITHOUT_WAITING = "set_config('synchronous_commit', 'off', true)"


def answer_after_flush(db: Session) -> None:
    """Mark this unit of work (PostgreSQL; nothing on SQLite): its commit returns only once
    everything committed so far is on disk, even where a statement of it asked for a commit
    that does not wait (``COMMIT_WITHOUT_WAITING``).

    A booking burst queues on one class's row (the seat counter, locked until commit):
    with a synchronous commit each booking held it through its own WAL flush (an fsync,
    ~4 ms here), so 200 bookings took 200 fsyncs one after another. The booking's own
    statement (classroom/services/registration.py) makes its commit one that does not
    wait (its locks go at once, the next booking proceeds); the commit then writes one
    WAL record and commits that synchronously, which flushes the WAL up to it: the first
    booking's commit with it, and those of every booking waiting at the same moment (one
    fsync for many). So the caller still answers only for what is on disk. A crash in
    between loses only transactions nobody was answered for, together with everything
    that saw them (PostgreSQL's WAL is one sequence): a kiosk resends, with its
    Idempotency-Key. Any commit of a marked unit, a replayed booking's too, waits so: a
    twin request never answers for a booking before it is on disk.
    """
    if db.get_bind().dialect.name != "postgresql" or _FLUSH_AFTER_COMMIT in db.info:
        return
    db.info[_FLUSH_AFTER_COMMIT] = db.connection()


def commit_waits_itself(db: Session) -> None:
    """Unmark `answer_after_flush`: this unit wrote with a commit that waits for the disk,
    and that flush covers everything committed before it (the WAL is one sequence)."""
    db.info.pop(_FLUSH_AFTER_COMMIT, None)


def checkpoint(engine: Engine) -> tuple[int, int, int] | None:
    """PRAGMA wal_checkpoint(TRUNCATE) on SQLite: (busy, wal frames, frames checkpointed).

    `busy` is 1 when a reader kept the WAL from being truncated (it is retried at the next
    erase, and SQLite checkpoints on its own as the site writes). None on other engines.
    """
    if engine.dialect.name != "sqlite":
        return None
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()  # autocommit (isolation_level None): outside any transaction
        cursor.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_TIMEOUT_MS}")
        try:
            busy, frames, done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()
    finally:
        raw.close()
    if busy:
        log.warning("WAL checkpoint after an erase was kept busy by a reader; retried later")
    return busy, frames, done


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
        # deleted or replaced values are overwritten with zeros, not left in free space
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get("tsunagu_readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


#: the largest id a database integer column holds (PostgreSQL's integer): a bigger number
#: cannot name a row, so it is refused or not found, never sent to the database
MAX_ROW_ID = 2**31 - 1


class Database:
    """One engine and its session factories: `write()` and `read()` units of work."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(
            self.engine.execution_options(tsunagu_readonly=True), expire_on_commit=False
        )
        event.listen(self._writer, "after_commit", self._after_commit)
        event.listen(self._writer, "after_rollback", self._after_rollback)

    def _after_commit(self, session: Session) -> None:
        # (a savepoint released is a commit too: the transaction goes on)
        if (
            not session.in_nested_transaction()
            and (connection := session.info.pop(_FLUSH_AFTER_COMMIT, None)) is not None
        ):
            # the committed transaction's connection, not yet returned to the pool; the
            # record in a transaction of its own, committed by the server with the
            # statement (one round trip); the pool resets the isolation level on return
            connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql(_WAL_BARRIER)
            connection.commit()
        if session.info.pop(_CHECKPOINT, False):
            checkpoint(self.engine)

    @staticmethod
    def _after_rollback(session: Session) -> None:
        if not session.in_nested_transaction():
            session.info.pop(_CHECKPOINT, None)
            session.info.pop(_FLUSH_AFTER_COMMIT, None)

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
