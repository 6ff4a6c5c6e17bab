"""One engine's run: a database and a server, the kiosks and the burst, the checks, and on
SQLite the ramp."""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from classroom.db import Database

from .drive import drive, ramp_level, warm_up
from .measure import Recorder
from .report import figures, saturation
from .servers import Server, postgres_database, prebuild_bundle, server_env, upgrade
from .verify import verify_bookings, verify_kiosks, verify_resends
from .world import People, Plan, World, seed


def ramp(server: Server, world: World, plan: Plan, people: People, database: Database) -> dict:
    levels, bookings = [], []
    for n in plan.ramp_levels:
        level, made = ramp_level(
            server,
            world.ramp_clients[:n],
            world.ramp_session_id,
            plan.ramp_seconds,
            people,
            plan.booking_give_up_seconds,
        )
        levels.append(level)
        bookings += made
    checks = verify_bookings(database, world.ramp_session_id, 0, bookings)
    peak = max(levels, key=lambda level: level["requests_per_s"])
    return {
        "levels": levels,
        "saturates_at_clients": saturation(levels),
        "peak_requests_per_s": peak["requests_per_s"],
        "peak_clients": peak["clients"],
        "checks": checks,
    }


class Phases:
    """How long each step of a run took, printed as it ends: a run stopped by the deadline
    still says where its time went (a slow start on a busy machine, or a stall)."""

    def __init__(self, engine: str) -> None:
        self.engine, self.started, self.last, self.seconds = engine, time.perf_counter(), 0.0, {}

    def done(self, name: str) -> None:
        now = time.perf_counter() - self.started
        self.seconds[name] = round(now - self.last, 1)
        self.last = now
        print(f"[{self.engine}] {name}: {self.seconds[name]:.1f} s (total {now:.1f} s)", flush=True)


def run_engine(
    engine: str, plan: Plan, keep_logs: Path | None = None, done: dict | None = None
) -> dict:
    """The run's report; also put in `done[engine]` as soon as it is complete, before the
    server and the schema are taken down, so a deadline that strikes then keeps it."""
    people, phases = People(), Phases(engine)
    with tempfile.TemporaryDirectory(prefix="tsunagu-load-") as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        if engine == "postgresql":
            url = stack.enter_context(postgres_database())
            args, label, limit = (
                ["--prod", "--workers", str(plan.workers), "--threads", str(plan.threads)],
                f"gunicorn, {plan.workers} workers"
                + (f" × {plan.threads} threads" if plan.threads > 1 else " (sync)"),
                None,
            )
        else:
            url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
            args, label, limit = [], "tsunagu serve (Flask dev server, threaded)", (1_000_000, 60)
        phases.done("database")
        env = server_env(url, tmp_path / "instance", limit)
        prebuild_bundle(tmp_path / "instance", env)
        phases.done("content bundle")
        upgrade(env)
        phases.done("migrations")
        database = Database(url)
        stack.callback(database.dispose)
        world = seed(database, plan, people)
        phases.done("seed")
        log = tmp_path / "server.log"
        if keep_logs is not None:  # copied after the server stopped (callbacks run LIFO)
            keep_logs.mkdir(parents=True, exist_ok=True)
            stack.callback(lambda: log.exists() and shutil.copy(log, keep_logs / f"{engine}.log"))
        server = stack.enter_context(Server(args, env, log))
        ready = server.wait_ready(60)
        print(f"[{engine}] {label} answering on {server.base} after {ready:.1f} s", flush=True)
        phases.done("server ready")
        warm_up(server.base, world.ramp_clients[-1][1], 3 * max(plan.workers, 2))
        phases.done("warm-up")
        recorder = Recorder()
        cpu, own_cpu = server.cpu_seconds(), time.process_time()
        outcome = drive(server.base, world, plan, people, recorder)
        phases.done("kiosks and bookings")
        seconds = outcome["window"][1] - outcome["window"][0]
        cpu = {
            "server_cpu_percent": round(100 * (server.cpu_seconds() - cpu) / seconds),
            "client_cpu_percent": round(100 * (time.process_time() - own_cpu) / seconds),
        }
        report = {
            "server": label,
            "in_worker": server.in_worker(),
            "rate_limit": "raised (instance/config.py)"
            if limit
            else "default (120/min per kiosk per process)",
            "kiosks": len(world.kiosks),
            "figures": figures(recorder, outcome) | cpu,
            "checks": verify_bookings(
                database, world.target_session_id, world.prebooked, outcome["bookings"]
            ),
            "resend_checks": verify_resends(database, world.resend_session_id, outcome["resent"]),
            "kiosk_checks": verify_kiosks(
                database, world, outcome["events_accepted"], outcome["events_acknowledged"]
            ),
        }
        if engine == "sqlite":
            report["ramp"] = ramp(server, world, plan, people, database)
        failures = (
            report["checks"]["failures"]
            + report["resend_checks"]["failures"]
            + report["kiosk_checks"]["failures"]
        )
        phases.done("checks" + (" and ramp" if "ramp" in report else ""))
        report["phases_seconds"] = phases.seconds
        if "ramp" in report:
            failures += [f"ramp {f}" for f in report["ramp"]["checks"]["failures"]]
        report["failures"] = failures
        if failures:
            report["server_log_tail"] = server.tail(40)
        if done is not None:
            done[engine] = report
        return report
