"""`make loadtest` in its quick mode, so the script cannot rot: it must still start a real
server per engine, book through the kiosk API, and find the seat rules kept.

Each engine runs once (a module-scoped fixture, about 10 s): SQLite with `tsunagu serve`,
PostgreSQL with gunicorn when it is reachable. The tests read the JSON the script writes,
the same figures `make loadtest` prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import ENGINES, PG_URL

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "loadtest.py"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]


@pytest.fixture(scope="module", params=ENGINES)
def load_run(request, tmp_path_factory) -> tuple[str, dict, subprocess.CompletedProcess]:
    engine = request.param
    out = tmp_path_factory.mktemp(f"load-{engine}") / "figures.json"
    env = dict(os.environ)
    # the same PostgreSQL server as the other tests; the script makes its own schema there
    env.setdefault(
        "TSUNAGU_LOADTEST_PG_URL", make_url(PG_URL).set(database="postgres").render_as_string(False)
    )
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--engines", engine, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=130,
        env=env,
    )
    assert out.exists(), done.stdout + done.stderr
    runs = json.loads(out.read_text())["runs"]
    assert engine in runs, done.stdout + done.stderr
    run = runs[engine]
    if "skipped" in run:
        if os.environ.get("TSUNAGU_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{engine}: {run['skipped']}")
        pytest.skip(f"{engine}: {run['skipped']}")
    return engine, run, done


def test_the_last_seats_go_to_exactly_as_many_residents_as_there_are_seats(load_run):
    _engine, run, done = load_run
    checks = run["checks"]
    assert checks["bookings"] == 40 and checks["seats_left_before"] == 8, done.stdout
    assert checks["confirmed"] == 8, done.stdout
    assert checks["waitlisted"] == 32, done.stdout
    assert checks["overbooked"] == 0
    assert checks["empty_seats_while_waitlisted"] == 0
    assert checks["seat_counter_off"] == 0


def test_every_booking_is_stored_once_and_answered_as_stored(load_run):
    _engine, run, done = load_run
    checks = run["checks"]
    assert (checks["lost"], checks["duplicated"], checks["mismatched"]) == (0, 0, 0), done.stdout
    assert checks["unresolved"] == 0 and checks["refused"] == {}, done.stdout
    assert checks["waitlist_positions_ok"], done.stdout


def test_a_booking_sent_twice_at_once_gets_one_answer(load_run):
    # an outbox resend while the first attempt still runs; on PostgreSQL the twin once
    # made its own resident and was refused as idempotency_key_reused (409)
    _engine, run, _done = load_run
    resends = run["resend_checks"]
    assert resends["pairs"] == 4
    assert resends["different_answers"] == 0, resends["kinds"]
    assert resends["stored"]["lost"] == resends["stored"]["duplicated"] == 0


def test_kiosks_were_heard_and_none_of_their_events_lost(load_run):
    _engine, run, done = load_run
    kiosks = run["kiosk_checks"]
    assert kiosks["events_accepted"] > 0, done.stdout
    # a batch answered after the client's timeout is stored but not counted as accepted
    assert kiosks["events_lost"] == 0
    assert kiosks["events_stored"] == kiosks["events_accepted"] + kiosks["events_answered_late"]
    assert kiosks["kiosks_never_seen"] == 0
    figures = run["figures"]
    assert figures["schedule"]["count"] > 0 and figures["schedule"]["p95_ms"] is not None
    assert figures["bookings"]["count"] == 40 and figures["bookings"]["p95_ms"] is not None


def test_the_exit_status_says_whether_an_invariant_failed(load_run):
    _engine, run, done = load_run
    assert (done.returncode == 0) == (not run["failures"]), done.stdout
    assert ("result: OK" in done.stdout) == (done.returncode == 0)


def test_the_sqlite_ramp_measures_each_level_without_breaking_a_rule(load_run):
    engine, run, done = load_run
    if engine != "sqlite":
        pytest.skip("the ramp runs on SQLite")
    levels = run["ramp"]["levels"]
    assert [level["clients"] for level in levels] == [1, 2, 4]
    assert all(level["requests_per_s"] > 0 for level in levels), done.stdout
    checks = run["ramp"]["checks"]
    assert checks["bookings"] > 0
    assert (checks["overbooked"], checks["lost"], checks["duplicated"], checks["mismatched"]) == (
        0,
        0,
        0,
        0,
    ), done.stdout


# -- the run's own setup: what once made it miss its deadline on a busy machine ----------


def test_the_postgresql_run_works_in_a_schema_dropped_without_waiting(monkeypatch):
    # it used a database of its own: DROP DATABASE waits for a checkpoint of the whole
    # server, which took over 40 s while the suite wrote beside it, past the deadline
    if "postgresql" not in ENGINES:
        pytest.skip("PostgreSQL not reachable")
    from sqlalchemy import create_engine, text

    from bench.load import servers

    monkeypatch.setattr(servers, "PG_ADMIN_URL", PG_URL)
    admin = create_engine(PG_URL)
    count_databases = text("SELECT count(*) FROM pg_database")
    count_schemas = text("SELECT count(*) FROM information_schema.schemata WHERE schema_name = :s")
    with admin.connect() as conn:
        databases = conn.scalar(count_databases)
    leftover = None
    try:
        with servers.postgres_database() as url:
            leftover = create_engine(url).connect()
            schema, database = leftover.execute(
                text("SELECT current_schema(), current_database()")
            ).one()
            leftover.execute(text("CREATE TABLE seat (id integer)"))
            leftover.commit()
            # a killed worker's connection, still in a transaction that holds the table
            leftover.execute(text("LOCK TABLE seat"))
            with admin.connect() as conn:
                assert conn.scalar(count_databases) == databases
        assert schema == f"tsunagu_load_{os.getpid()}"
        assert database == make_url(PG_URL).database
        with admin.connect() as conn:
            assert conn.scalar(count_schemas, {"s": schema}) == 0
    finally:
        if leftover is not None:
            leftover.invalidate()
            leftover.engine.dispose()
        admin.dispose()


def test_the_prebuilt_content_zip_is_the_one_the_server_serves(tmp_path, monkeypatch):
    # built with the sample settings it had another version than the server's (the ward
    # settings file), so each worker built its own at start, pictures and all, and its
    # first heartbeats waited for that
    from bench.load import servers
    from content.loader import SETTINGS_ENV
    from web.api import bundles

    instance = tmp_path / "instance"
    env = servers.server_env("sqlite://", instance, None)
    servers.prebuild_bundle(instance, env)
    built = sorted(p.name for p in (instance / "bundles").glob("*.zip"))
    assert len(built) == 1
    # the server: the same settings file, and no zip to build
    monkeypatch.setenv(SETTINGS_ENV, env[SETTINGS_ENV])
    monkeypatch.setattr(bundles, "build_bundle", None)  # calling it would fail
    served = bundles.ContentBundles(out_dir=instance / "bundles").current()
    assert served is not None and served.path.name == built[0]
