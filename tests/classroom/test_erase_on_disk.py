"""An erased resident is gone from the disk too: the SQLite file, its WAL, and the modes.

Before: the old phone number and reading stayed in the -wal file and in the database
file's free space until about 4 MB of later writes; the files were 0644 (readable by
every account on the server). Now `secure_delete` zeroes them, a checkpoint after the
erase empties the WAL, and the database, its WAL and every backup are 0600.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from classroom.db import Database
from classroom.models import Base
from classroom.ops import backup
from classroom.services import privacy, residents
from classroom.services.actor import Actor
from tests.classroom.ward import NOW, WardBuilder

SECRET = dict(
    family_name="鳩ノ巣",
    given_name="珠緒",
    reading="ハトノス タマオ",
    phone="03-9876-5432",
    birth_year=1931,
    note="左耳が聞こえにくい",
)
NEEDLES = ["鳩ノ巣", "珠緒", "ハトノス タマオ", "はとのすたまお", "03-9876-5432", "0398765432"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def found_on_disk(path: Path) -> list[str]:
    """Which needles the raw bytes of the database file and its WAL still hold."""
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    return [n for n in NEEDLES if n.encode() in raw]


@pytest.fixture(autouse=True)
def server_umask():
    """A default account's umask (022): files would be 0644 unless created 0600."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "instance" / "tsunagu.sqlite3"
    database = Database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    yield database, path
    database.dispose()


def test_an_erased_resident_is_not_in_the_sqlite_file_nor_its_wal(sqlite_file):
    database, path = sqlite_file
    ward = WardBuilder(database)
    # neighbours before and after, so the resident's row sits in a page that stays in use
    ward.residents(30)
    with database.write() as db:
        secret_id = residents.create_participant(
            db, **SECRET, consent=True, source="phone", actor=Actor.system(), now=NOW
        ).id
    ward.residents(30)
    assert set(found_on_disk(path)) == set(NEEDLES), "the test must see the values first"

    with database.write() as db:
        privacy.erase_resident(db, secret_id, actor=Actor.cli())

    assert found_on_disk(path) == []
    # the site goes on working: later writes and reads are unaffected
    ward.resident()
    with database.read() as db:
        assert db.execute(text("SELECT count(*) FROM participant")).scalar() == 62


def test_a_retention_purge_leaves_nothing_on_disk(sqlite_file):
    database, path = sqlite_file
    WardBuilder(database)
    with database.write() as db:
        residents.create_participant(
            db, **SECRET, consent=True, source="phone", actor=Actor.system(), now=NOW
        )
    with database.write() as db:
        purged = privacy.purge(db, actor=Actor.cli(), apply=True, days=1)
    assert len(purged) == 1
    assert found_on_disk(path) == []


def test_the_database_its_wal_and_shm_are_readable_by_the_owner_only(sqlite_file):
    database, path = sqlite_file
    WardBuilder(database).resident()
    with database.engine.connect() as conn:  # a connection holds the WAL open
        conn.execute(text("SELECT 1"))
        for name in ("", "-wal", "-shm"):
            assert mode(Path(f"{path}{name}")) == 0o600, name


def test_an_existing_0644_database_is_tightened_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)  # as every database was created before
    database = Database(f"sqlite:///{path}")
    try:
        assert mode(path) == 0o600
    finally:
        database.dispose()


def test_a_backup_is_readable_by_the_owner_only(ward, tmp_path, request):
    from tests.classroom.test_backup import where

    url, schema = where(ward.database, request)
    ward.resident()
    path = backup.backup(url, tmp_path / "backups" / "tsunagu.backup", schema=schema)
    assert mode(path) == 0o600
    # an old backup file with a wide mode is tightened when it is written again
    path.chmod(0o644)
    backup.backup(url, path, schema=schema)
    assert mode(path) == 0o600
