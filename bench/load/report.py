"""The figures and the report: latencies, throughput, where the ramp saturates, the machine,
and the table `make loadtest` prints."""

from __future__ import annotations

import os
import platform
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .measure import Recorder, latency
from .servers import postgres_version

#: throughput that grows by less than this from one ramp level to the next has saturated
GROWTH = 1.10


def figures(recorder: Recorder, outcome: dict) -> dict:
    start, end = outcome["window"]
    burst_start, burst_end = outcome["burst"]
    samples = recorder.between(start, end)
    ok = {
        kind: [s.seconds for s in samples if s.kind == kind and s.error is None]
        for kind in ("schedule", "heartbeat", "events", "booking_attempt")
    }
    during = [
        s.seconds
        for s in recorder.between(burst_start, burst_end)
        if s.kind == "schedule" and s.error is None
    ]
    outside = [
        s.seconds
        for s in samples
        if s.kind == "schedule" and s.error is None and not burst_start <= s.at <= burst_end
    ]
    answered = [b.seconds for b in outcome["bookings"] if b.seconds is not None]
    errors = Counter(f"{s.kind}: {s.error}" for s in samples if s.error)
    return {
        "seconds": round(end - start, 1),
        "requests": len(samples),
        "requests_per_s": round(len(samples) / (end - start), 1),
        "bookings": latency(answered),
        "booking_burst_seconds": round(burst_end - burst_start, 2),
        "bookings_per_s": round(len(answered) / max(burst_end - burst_start, 1e-9), 1),
        "schedule": latency(ok["schedule"]),
        "schedule_during_burst": latency(during),
        "schedule_outside_burst": latency(outside),
        "heartbeat": latency(ok["heartbeat"]),
        "events": latency(ok["events"]),
        "errors": dict(errors.most_common()),
    }


def saturation(levels: list[dict]) -> int | None:
    """The fewest clients within 10 % of the best throughput, or the first level with errors.

    Past that level more clients buy less than 10 % more; None when throughput was still
    growing by more than that at the last level (no saturation seen).
    """
    peak = max(level["requests_per_s"] for level in levels)
    for n, level in enumerate(levels):
        if level["errors"] or level["requests_per_s"] * GROWTH >= peak:
            still_growing = n == len(levels) - 1 and (
                n == 0 or levels[n - 1]["requests_per_s"] * GROWTH < peak
            )
            return None if still_growing and not level["errors"] else level["clients"]
    return None


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "postgresql": postgres_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _cell(value) -> str:
    return "-" if value is None else str(value)


def print_report(report: dict) -> None:
    m = report["machine"]
    print()
    print("== Tsunagu load test (issue #8)" + (" — quick" if report["quick"] else ""))
    print(
        f"machine: {m['cpus']} CPUs ({m['cpu_model']}), Python {m['python']}, "
        f"PostgreSQL {m['postgresql'] or 'not reachable'}, load average at start "
        f"{' '.join(map(str, m['load_average']))}"
    )
    runs = report["runs"]
    header = (
        "engine",
        "bookings",
        "seats",
        "confirmed",
        "waitlisted",
        "overbooked",
        "lost",
        "duplicated",
        "mismatched",
        "unresolved",
        "refused",
        "retries",
    )
    print("\n" + "  ".join(f"{h:>10}" for h in header))
    for engine, run in runs.items():
        if "checks" not in run:
            print(f"{engine:>10}  {run.get('skipped', run.get('error', ''))}")
            continue
        c = run["checks"]
        row = (
            engine,
            c["bookings"],
            c["seats_left_before"],
            c["confirmed"],
            c["waitlisted"],
            c["overbooked"],
            c["lost"],
            c["duplicated"],
            c["mismatched"],
            c["unresolved"],
            sum(c["refused"].values()),
            c["attempts"] - c["bookings"],
        )
        print("  ".join(f"{_cell(v):>10}" for v in row))
    print("\nlatency ms (p50 / p95 / max, count)")
    for engine, run in runs.items():
        if "figures" not in run:
            continue
        f = run["figures"]
        print(
            f"[{engine}] {run['server']}; {run['kiosks']} kiosks for {f['seconds']} s, "
            f"{f['requests']} requests, {f['requests_per_s']} req/s; CPU: server "
            f"{f['server_cpu_percent']} %, load generator {f['client_cpu_percent']} % "
            f"(of one core); rate limit {run['rate_limit']}"
        )
        for name in (
            "bookings",
            "schedule",
            "schedule_during_burst",
            "schedule_outside_burst",
            "heartbeat",
            "events",
        ):
            lat = f[name]
            print(
                f"  {name:<22} {_cell(lat['p50_ms']):>8} / {_cell(lat['p95_ms']):>8} / "
                f"{_cell(lat['max_ms']):>8}   n={lat['count']}"
            )
        print(
            f"  booking burst: {f['bookings']['count']} answered in "
            f"{f['booking_burst_seconds']} s ({f['bookings_per_s']} bookings/s)"
        )
        if run.get("in_worker"):
            inside = ", ".join(
                f"{kind} p50 {lat['p50_ms']} / p95 {lat['p95_ms']} ms"
                for kind, lat in run["in_worker"].items()
            )
            print(
                f"  inside the workers (access log): {inside}; the rest of the client's "
                "time is waiting for a free worker"
            )
        r = run["resend_checks"]
        print(
            f"  the same booking sent twice at once (outbox resend): {r['pairs']} pairs, "
            f"{r['different_answers']} with different answers {r['kinds'] or ''}"
        )
        k = run["kiosk_checks"]
        print(
            f"  events accepted {k['events_accepted']}, stored {k['events_stored']} "
            f"(lost {k['events_lost']}, answered after the client's timeout "
            f"{k['events_answered_late']}); errors: {f['errors'] or 'none'}"
        )
    for engine, run in runs.items():
        if "ramp" not in run:
            continue
        r = run["ramp"]
        print(
            f"\n[{engine}] ramp (3 schedule GETs : 1 booking, {report['plan']['ramp_seconds']} s a level)"
        )
        print(
            f"  {'clients':>7} {'req/s':>8} {'GET p95':>8} {'book p95':>9} {'bookings':>8} "
            f"{'server CPU':>10} {'client CPU':>10}  errors"
        )
        for lv in r["levels"]:
            print(
                f"  {lv['clients']:>7} {lv['requests_per_s']:>8} {_cell(lv['schedule_p95_ms']):>8} "
                f"{_cell(lv['booking_p95_ms']):>9} {lv['bookings']:>8} "
                f"{lv['server_cpu_percent']:>9}% {lv['client_cpu_percent']:>9}%  "
                f"{lv['errors'] or ''}"
            )
        where = r["saturates_at_clients"]
        print(
            f"  saturates at {where} clients (more clients add < 10 % or errors)"
            if where
            else f"  no saturation up to {r['levels'][-1]['clients']} clients",
            f"- peak {r['peak_requests_per_s']} req/s with {r['peak_clients']} clients; "
            "ramp bookings: "
            f"overbooked {r['checks']['overbooked']}, lost {r['checks']['lost']}, "
            f"duplicated {r['checks']['duplicated']}, mismatched {r['checks']['mismatched']}",
        )
    print()
    for engine, run in runs.items():
        for failure in run.get("failures", []):
            print(f"FAILED [{engine}] {failure}")
        if run.get("server_log_tail"):
            print(f"[{engine}] server log (tail):\n{run['server_log_tail']}")
    print("result:", "OK" if report["ok"] else "FAILED")
