"""Backup and restore as a round trip, on SQLite (online backup API) and PostgreSQL (pg_dump)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from classroom.models import Participant, Registration
from classroom.ops import backup
from classroom.services import privacy
from classroom.services.actor import Actor


def snapshot(database) -> list:
    with database.read() as db:
        people = db.execute(
            select(Participant.id, Participant.reading, Participant.phone).order_by(Participant.id)
        ).all()
        regs = db.scalar(select(func.count(Registration.id)))
    return [tuple(p) for p in people] + [("registrations", regs)]


def where(database, request) -> tuple[str, str | None]:
    if database.dialect == "postgresql":
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump / pg_restore not installed")
        return database.url, request.getfixturevalue("pg_schema").name
    return database.url, None


def test_backup_then_restore_brings_back_the_data(ward, tmp_path, request):
    url, schema = where(ward.database, request)
    first, second = ward.residents(2)
    session = ward.session()
    ward.coordinator.registers(first, session)
    before = snapshot(ward.database)

    path = backup.backup(url, tmp_path / "backups" / "tsunagu.backup", schema=schema)
    assert path.stat().st_size > 0

    # life goes on: someone new, someone erased
    ward.resident()
    with ward.database.write() as db:
        privacy.erase_resident(db, second, actor=Actor.cli())
    assert snapshot(ward.database) != before
    ward.database.engine.dispose()

    backup.restore(url, path, schema=schema)
    ward.database.engine.dispose()
    assert snapshot(ward.database) == before


def test_restore_refuses_what_is_not_a_backup(ward, tmp_path, request):
    url, schema = where(ward.database, request)
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"hello, this is not a database")
    ward.resident()
    before = snapshot(ward.database)
    with pytest.raises(backup.BackupFailed):
        backup.restore(url, bogus, schema=schema)
    with pytest.raises(backup.BackupFailed):
        backup.restore(url, tmp_path / "missing", schema=schema)
    assert snapshot(ward.database) == before


def test_schema_is_read_from_the_url():
    assert backup.schema_of("postgresql+psycopg://u@h/db?options=-csearch_path%3Dward") == "ward"
    assert backup.schema_of("postgresql+psycopg://u@h/db") is None
