"""`tsunagu db upgrade` on an empty database yields exactly the models, on both engines."""

from __future__ import annotations

from sqlalchemy import inspect

from classroom.db import Database
from classroom.migrate import current_revision, head_revision, schema_differences, upgrade
from classroom.models import Base
from tests.conftest import PG_URL, PostgresSchema


def _empty_database(engine_name, tmp_path):
    if engine_name == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"), None
    schema = PostgresSchema(PG_URL)
    return Database(PG_URL, connect_args=schema.connect_args()), schema


def test_upgrading_an_empty_database_matches_the_models(engine_name, tmp_path):
    database, schema = _empty_database(engine_name, tmp_path)
    try:
        upgrade(database)
        assert current_revision(database) == head_revision(database)
        assert schema_differences(database) == []
        tables = set(inspect(database.engine).get_table_names()) - {"alembic_version"}
        assert tables == set(Base.metadata.tables)
        # the partial unique index that keeps one active registration per person survives
        indexes = {ix["name"] for ix in inspect(database.engine).get_indexes("registration")}
        assert "uq_registration_active_participant" in indexes
        upgrade(database)  # a second upgrade is a no-op
    finally:
        database.dispose()
        if schema:
            schema.drop()
