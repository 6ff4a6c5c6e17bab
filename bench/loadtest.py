"""The load test of issue #8: real servers, real HTTP, the kiosk API as 50 kiosks use it.

Why a separate test and not a benchmark: it proves the seat rules hold end to end — many
gunicorn processes, the kiosk outbox's retries with the same Idempotency-Key, a burst of
bookings for the last seats of a class — and says how fast the schedule and a booking
answer while that happens. `make bench` does not run it (the name has no `_bench`).

PostgreSQL (a throwaway schema tsunagu_load_<pid>, dropped at the end), gunicorn with
4 workers (`tsunagu serve --prod`): 50 simulated kiosks poll GET /api/v1/sessions every
1-2 s and send heartbeats and usage events, and meanwhile 200 bookings start together
(a barrier) for a class with 20 seats left. Each booking is a different made-up
resident with its own Idempotency-Key; one answered by a connection error, a timeout,
a 5xx or a 429 is sent again with the same key, as the kiosk outbox does. Then SQL says
whether the database agrees: 20 confirmed (0 overbooked, no seat left empty), one
registration per key (0 lost, 0 duplicated), waitlist positions 1..180, every answer
the client got equal to what is stored. Then 10 bookings are each sent twice at the
same moment with one key (an outbox resend while the first attempt still runs): both
must get the same answer. Every usage event accepted must be stored. gunicorn's access
log gives the time spent inside the workers, to tell queueing from working.

SQLite (a file), the plain `tsunagu serve`: the same, then a ramp of 1, 2, 4, 8, 16, 32
clients (GETs and bookings, 3 to 1) that says where throughput stops growing.

Rate limit: the kiosks of the PostgreSQL run use the default limit (120 requests a
minute per kiosk per process); each simulated kiosk has its own token and stays well
under it. The SQLite run raises API_RATE_LIMIT in its throwaway instance/config.py,
because a ramp client sends far more than a kiosk does on purpose.

Only 127.0.0.1, free ports chosen at run time. A hard deadline (SIGALRM) ends the run;
servers run in their own process group, are killed on exit, Ctrl+C or the deadline,
and die with this process (PR_SET_PDEATHSIG) if it is killed outright.

The parts live in bench/load/: world (the plan, made-up residents, the seeded class and
kiosks), servers, drive (kiosks, bookings, the burst, the ramp), verify, report, and run
(one engine); this file is the entry point `make loadtest` runs.

Run: .venv/bin/python bench/loadtest.py [--quick] [--engines sqlite,postgresql] [--json PATH]
Exit status 1 when an invariant fails (overbooked, lost, duplicated, mismatched,
unresolved, refused, resend answers differ, events lost), on Ctrl+C or at the deadline.
The load generator runs on the same machine as the servers: its CPU share is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.load.report import machine, print_report  # noqa: E402
from bench.load.run import run_engine  # noqa: E402
from bench.load.servers import PG_ADMIN_URL  # noqa: E402
from bench.load.world import Plan  # noqa: E402


class DeadlineReached(BaseException):
    """Raised in the main thread by SIGALRM or SIGTERM; cleanup runs in `finally` blocks."""


def _arm_deadline(seconds: float) -> None:
    def stop(signum, _frame):
        raise DeadlineReached(signal.Signals(signum).name)

    signal.signal(signal.SIGALRM, stop)
    signal.signal(signal.SIGTERM, stop)
    signal.alarm(max(1, int(seconds)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 kiosks, 40 bookings, seconds")
    parser.add_argument(
        "--engines", default="postgresql,sqlite", help="comma-separated: postgresql, sqlite"
    )
    parser.add_argument(
        "--json",
        dest="json_path",
        default=None,
        help="where to write the figures (default: a file under /tmp)",
    )
    parser.add_argument(
        "--keep-logs",
        type=Path,
        default=None,
        metavar="DIR",
        help="copy each server's log (access log included) into DIR",
    )
    args = parser.parse_args(argv)
    plan = Plan.quick() if args.quick else Plan()
    json_path = Path(
        args.json_path or Path(tempfile.gettempdir()) / f"tsunagu-loadtest-{os.getpid()}.json"
    )
    report = {"quick": args.quick, "plan": asdict(plan), "machine": machine(), "runs": {}}
    _arm_deadline(plan.deadline_seconds)
    try:
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            if engine == "postgresql" and report["machine"]["postgresql"] is None:
                report["runs"][engine] = {"skipped": f"not reachable at {PG_ADMIN_URL}"}
                continue
            print(f"[{engine}] starting", flush=True)
            try:
                report["runs"][engine] = run_engine(
                    engine, plan, args.keep_logs, done=report["runs"]
                )
            except Exception as exc:  # a server that never answered, a failed migration
                report["runs"][engine] = {
                    "error": f"{type(exc).__name__}: {exc}",
                    "failures": ["error"],
                }
    except DeadlineReached as stopped:
        report["deadline"] = (
            f"stopped by {stopped} after the {plan.deadline_seconds:.0f} s deadline"
        )
    except KeyboardInterrupt:
        report["deadline"] = "interrupted (Ctrl+C)"
    finally:
        signal.alarm(0)
    report["ok"] = (
        "deadline" not in report
        and all(not run.get("failures") for run in report["runs"].values())
        and any("checks" in run for run in report["runs"].values())
    )
    if "deadline" in report:
        print(f"FAILED: {report['deadline']}")
    print_report(report)
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"figures written to {json_path}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
