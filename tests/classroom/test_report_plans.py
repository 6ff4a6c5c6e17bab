"""The year report asked again and again on one connection (a server's pooled connection):
the same figures every time, and the connection's planner settings left as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from classroom.services.reports import report

from .test_report_equivalence import PERIODS, fill


def test_the_report_asked_many_times_on_one_connection_gives_the_same_figures(database):
    fill(database, 1)
    start, end = PERIODS[0]
    with database.read() as db:
        first = report(db, start, end).as_dict()
        # psycopg prepares a statement the fifth time; PostgreSQL may plan it generically
        # from the sixth: the figures must not change with the plan
        for _ in range(12):
            assert report(db, start, end).as_dict() == first


def test_the_report_leaves_the_connections_plan_setting_as_it_was(database):
    if database.dialect != "postgresql":
        pytest.skip("plan_cache_mode is PostgreSQL's")
    fill(database, 1)
    start, end = PERIODS[0]
    with database.read() as db:
        db.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
        report(db, start, end)
        assert db.scalar(text("SHOW plan_cache_mode")) == "force_generic_plan"
    with database.read() as db:
        report(db, start, end)
        assert db.scalar(text("SHOW plan_cache_mode")) == "auto"
