"""The load test of issue #8: real servers, real HTTP, the kiosk API as 50 kiosks use it.

Why a separate test and not a benchmark: it proves the seat rules hold end to end — many
gunicorn processes, the kiosk outbox's retries with the same Idempotency-Key, a burst of
bookings for the last seats of a class — and says how fast the schedule and a booking
answer while that happens. `make bench` does not run it (the name has no `_bench`).

PostgreSQL (a throwaway database tsunagu_load_<pid>, dropped at the end), gunicorn with
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

Run: .venv/bin/python bench/loadtest.py [--quick] [--engines sqlite,postgresql] [--json PATH]
Exit status 1 when an invariant fails (overbooked, lost, duplicated, mismatched,
unresolved, refused, resend answers differ, events lost), on Ctrl+C or at the deadline.
The load generator runs on the same machine as the servers: its CPU share is printed.
"""

from __future__ import annotations

import argparse
import ctypes
import itertools
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import requests  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from classroom.db import Database  # noqa: E402
from classroom.demo import FAMILY, GIVEN  # noqa: E402
from classroom.models import (  # noqa: E402
    ClassSession,
    Kiosk,
    Participant,
    Registration,
    RegistrationStatus,
    Source,
    UsageEvent,
)
from classroom.services import courses, kiosks, registration, residents, sessions, venues  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from kiosk.services.api import TIMEOUT as KIOSK_TIMEOUT  # noqa: E402

PG_ADMIN_URL = (
    os.environ.get("TSUNAGU_LOADTEST_PG_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
HOST = "127.0.0.1"
#: answers after which the kiosk outbox sends the same booking again (docs/kiosk-api.md)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
EVENT_KINDS = ("guide_viewed", "step_reached", "guide_finished", "faq_viewed")
#: a gunicorn access-log line as `tsunagu serve --prod` writes it, ending in the duration
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>/\S*)" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms$'
)
#: throughput that grows by less than this from one ramp level to the next has saturated
GROWTH = 1.10


@dataclass(frozen=True)
class Plan:
    """How much load, and how long; `--quick` is the test's small version."""

    kiosks: int = 50
    bookings: int = 200
    seats_left: int = 20
    prebooked: int = 10
    warmup_seconds: float = 3.0
    kiosk_seconds: float = 20.0
    workers: int = 4
    ramp_levels: tuple[int, ...] = (1, 2, 4, 8, 16, 32)
    ramp_seconds: float = 5.0
    ramp_capacity: int = 30
    #: the whole run, servers included
    deadline_seconds: float = 225.0
    #: how long a booking is retried before it counts as unresolved
    booking_give_up_seconds: float = 60.0
    #: bookings sent twice at the same moment with the same key, pair after pair, for
    #: a class of their own with `resends // 2` seats (after the burst, kiosks polling)
    resends: int = 10

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            kiosks=10,
            bookings=40,
            seats_left=8,
            prebooked=4,
            warmup_seconds=1.0,
            kiosk_seconds=4.0,
            workers=2,
            ramp_levels=(1, 2, 4),
            ramp_seconds=1.0,
            ramp_capacity=10,
            deadline_seconds=90.0,
            booking_give_up_seconds=30.0,
            resends=4,
        )

    @property
    def capacity(self) -> int:
        return self.seats_left + self.prebooked


class DeadlineReached(BaseException):
    """Raised in the main thread by SIGALRM or SIGTERM; cleanup runs in `finally` blocks."""


# -- made-up residents -------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    reading: str
    phone: str
    birth_year: int
    device: str


class People:
    """Distinct made-up residents: the demo's kana names, phones in the unassigned 0000 block."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> Person:
        with self._lock:
            n = next(self._numbers)
        if n >= 20_000:
            raise RuntimeError("out of made-up phone numbers")
        family = FAMILY[n % len(FAMILY)][1]
        given = GIVEN[(n // len(FAMILY)) % len(GIVEN)][1]
        block = "090" if n < 10_000 else "080"
        return Person(
            reading=f"{family} {given}",
            phone=f"{block}-0000-{n % 10_000:04d}",
            birth_year=1936 + n % 30,
            device=("iphone", "android", "senior", "none")[n % 4],
        )


# -- measuring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    seconds: float
    at: float
    error: str | None


class Recorder:
    """Every request's kind, latency, time and error, from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []

    def add(self, kind: str, seconds: float, at: float, error: str | None) -> None:
        with self._lock:
            self.samples.append(Sample(kind, seconds, at, error))

    def between(self, start: float, end: float) -> list[Sample]:
        with self._lock:
            return [s for s in self.samples if start <= s.at <= end]


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def latency(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": ms(percentile(values, 50)),
        "p95_ms": ms(percentile(values, 95)),
        "max_ms": ms(max(values, default=None)),
    }


def error_kind(response: requests.Response) -> str | None:
    if response.status_code < 400:
        return None
    try:
        code = response.json().get("error", "")
    except ValueError:
        code = "not-json"
    return f"{response.status_code} {code}".strip()


def call(
    api: requests.Session, recorder: Recorder, kind: str, method: str, url: str, **kwargs
) -> requests.Response | None:
    """One request, recorded; None when there was no HTTP answer at all."""
    started = time.perf_counter()
    try:
        response = api.request(method, url, timeout=KIOSK_TIMEOUT, **kwargs)
    except requests.Timeout:
        recorder.add(kind, time.perf_counter() - started, started, "timeout")
        return None
    except requests.ConnectionError:
        recorder.add(kind, time.perf_counter() - started, started, "connection")
        return None
    recorder.add(kind, time.perf_counter() - started, started, error_kind(response))
    return response


def kiosk_api(token: str) -> requests.Session:
    api = requests.Session()
    api.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "ja"})
    return api


# -- bookings, as the kiosk outbox sends them --------------------------------------------


@dataclass
class Booking:
    session_id: int
    kiosk_id: int
    token: str
    person: Person
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    attempts: int = 0
    status_code: int | None = None
    answer: dict | None = None
    seconds: float | None = None

    @property
    def stored_key(self) -> str:
        """The key as the API stores it: each kiosk's keys are its own."""
        return f"kiosk:{self.kiosk_id}:{self.key}"

    def send(self, api: requests.Session, base: str, recorder: Recorder, give_up_at: float) -> None:
        """Send until a final answer (not a network error, 429 or 5xx) or `give_up_at`."""
        started, delay = time.perf_counter(), 0.2
        body = {
            "session_id": self.session_id,
            "reading": self.person.reading,
            "phone": self.person.phone,
            "birth_year": self.person.birth_year,
            "device": self.person.device,
        }
        while True:
            self.attempts += 1
            response = call(
                api,
                recorder,
                "booking_attempt",
                "POST",
                f"{base}/registrations",
                headers={"Idempotency-Key": self.key},
                json=body,
            )
            if response is not None and response.status_code not in RETRY_STATUSES:
                self.status_code = response.status_code
                try:
                    self.answer = response.json()
                except ValueError:
                    self.answer = {"error": "not-json"}
                self.seconds = time.perf_counter() - started
                return
            wait = delay
            if response is not None and response.status_code == 429:
                wait = float(response.headers.get("Retry-After", delay))
            if time.perf_counter() + wait > give_up_at:
                return
            time.sleep(wait)
            delay = min(delay * 2, 2.0)


# -- the world: a database with a class, its last seats and kiosks -----------------------


@dataclass
class World:
    target_session_id: int
    ramp_session_id: int
    resend_session_id: int
    prebooked: int
    #: (kiosk id, token) of the simulated kiosks, then of the ramp's clients
    kiosks: list[tuple[int, str]]
    ramp_clients: list[tuple[int, str]]


def seed(database: Database, plan: Plan, people: People) -> World:
    """Courses, a venue, upcoming sessions (one with `seats_left` seats left) and kiosks."""
    actor, now = Actor.system(), datetime.now(UTC)
    with database.write() as db:
        course = courses.create_course(
            db,
            code="load-intro",
            title="負荷試験 スマホ入門",
            kind="intro",
            device_track="any",
            actor=actor,
        )
        venue = venues.create_venue(
            db,
            name="負荷試験 会場",
            kind="library",
            actor=actor,
            capacity=max(plan.capacity, plan.ramp_capacity, 10),
        )

        def session(days: int, capacity: int) -> int:
            starts = now + timedelta(days=days)
            return sessions.create_session(
                db,
                course_id=course.id,
                venue_id=venue.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                capacity=capacity,
                actor=actor,
            ).id

        for days in (3, 5, 10, 12, 17, 24):
            session(days, 10)
        target = session(7, plan.capacity)
        ramp = session(9, plan.ramp_capacity)
        resend = session(11, max(1, plan.resends // 2))
        for _i in range(plan.prebooked):
            p = people.next()
            resident = residents.create_participant(
                db,
                reading=p.reading,
                phone=p.phone,
                birth_year=p.birth_year,
                source=Source.PHONE,
                consent=True,
                actor=actor,
            )
            registration.register(
                db, session_id=target, participant_id=resident.id, source=Source.PHONE, actor=actor
            )
        made = [
            kiosks.create_kiosk(db, name=f"load-{i:03d}", location="負荷試験", actor=actor)
            for i in range(plan.kiosks + max(plan.ramp_levels))
        ]
        tokens = [(k.id, token) for k, token in made]
    return World(target, ramp, resend, plan.prebooked, tokens[: plan.kiosks], tokens[plan.kiosks :])


# -- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the load test dies, even by SIGKILL (Linux only)."""
    with suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """`tsunagu serve` in its own process group; killed, group and all, on exit."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}/api/v1"
        self.argv = [
            sys.executable,
            "-m",
            "tsunagu.cli",
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            *args,
        ]
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=PROJECT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        return self

    def wait_ready(self, seconds: float) -> float:
        """Seconds until the API answers; raises with the server's log when it does not."""
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if requests.get(f"{self.base}/openapi.json", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {seconds:.0f} s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (its process group; Linux /proc)."""
        total, tick = 0.0, os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            if int(fields[2]) == self.process.pid:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def in_worker(self) -> dict:
        """Time spent inside the workers, from gunicorn's access log (`%(M)sms`), per route.

        Compared with what the client measured, it tells waiting for a free worker
        apart from working. Empty for the dev server, whose log has no durations.
        """
        spent: dict[str, list[float]] = {"schedule": [], "bookings": []}
        routes = {
            ("GET", "/api/v1/sessions"): "schedule",
            ("POST", "/api/v1/registrations"): "bookings",
        }
        for line in self.log.read_text(errors="replace").splitlines():
            if (found := ACCESS_LINE.search(line)) and (
                kind := routes.get((found["method"], found["path"]))
            ):
                spent[kind].append(int(found["ms"]) / 1000)
        return {kind: latency(values) for kind, values in spent.items() if values}

    def tail(self, lines: int = 20) -> str:
        """The log's last lines that are not access-log lines (those start with the client)."""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if not line.startswith(HOST)][-lines:])

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue


def server_env(url: str, instance: Path, rate_limit: tuple[int, int] | None) -> dict[str, str]:
    instance.mkdir(parents=True, exist_ok=True)
    if rate_limit is not None:
        (instance / "config.py").write_text(f"API_RATE_LIMIT = {rate_limit!r}\n")
    # `serve --prod` refuses the shipped sample settings: a ward's own file (the sample's
    # values, marked as the ward's) stands in for them here
    sample = PROJECT / "content" / "settings.sample.yaml"
    ward_settings = instance / "ward-settings.yaml"
    ward_settings.write_text(
        sample.read_text(encoding="utf-8").replace("sample: true", "sample: false"),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.update(
        TSUNAGU_CONTENT_SETTINGS=str(ward_settings),
        TSUNAGU_DATABASE_URL=url,
        TSUNAGU_INSTANCE_DIR=str(instance),
        TSUNAGU_SECRET_KEY=secrets.token_urlsafe(32),
        PYTHONUNBUFFERED="1",
    )
    return env


def prebuild_bundle(instance: Path) -> None:
    """Write the content zip where the server looks, as a running ward server has it.

    Without it the first heartbeat of each worker would build the zip and be timed too.
    """
    from web.api.bundles import ContentBundles

    ContentBundles(out_dir=instance / "bundles").current()


def upgrade(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tsunagu.cli", "db", "upgrade"],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(f"tsunagu db upgrade failed:\n{done.stdout}{done.stderr}")


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new database tsunagu_load_<pid> for this run; dropped (forcibly) at the end."""
    name = f"tsunagu_load_{os.getpid()}"
    admin = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_version() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            version = conn.scalar(text("SHOW server_version"))
        engine.dispose()
        return version
    except Exception:  # not reachable: the PostgreSQL run is skipped and says so
        return None


# -- the kiosks and the burst ------------------------------------------------------------


@dataclass
class KioskTally:
    events_accepted: int = 0


def kiosk_loop(
    base: str,
    token: str,
    recorder: Recorder,
    stop: threading.Event,
    tally: KioskTally,
    rng: random.Random,
) -> None:
    """Poll the schedule every 1-2 s; a heartbeat every 5th turn, a few events every 3rd."""
    api = kiosk_api(token)
    stop.wait(rng.uniform(0, 1.5))
    for turn in itertools.count():
        if stop.is_set():
            return
        params = {"device": "iphone"} if turn % 2 else {}
        call(api, recorder, "schedule", "GET", f"{base}/sessions", params=params)
        if turn % 5 == 0:
            call(
                api,
                recorder,
                "heartbeat",
                "POST",
                f"{base}/heartbeat",
                json={"app_version": "load-1.0", "content_version": ""},
            )
        if turn % 3 == 1:
            at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            batch = [
                {
                    "client_id": str(uuid.uuid4()),
                    "kind": rng.choice(EVENT_KINDS),
                    "at": at,
                    "guide_id": "juminhyo",
                    "step": rng.randint(0, 9),
                    "language": "ja",
                    "text_size": "large",
                }
                for _e in range(rng.randint(1, 5))
            ]
            response = call(
                api, recorder, "events", "POST", f"{base}/events", json={"events": batch}
            )
            if response is not None and response.status_code == 200:
                tally.events_accepted += response.json()["accepted"]
        stop.wait(rng.uniform(1.0, 2.0))


def warm_up(base: str, token: str, concurrent: int) -> None:
    """Concurrent heartbeats and schedule GETs, not timed, so every worker has started.

    A worker's first heartbeat reads the content to learn its version; a ward's
    long-running workers did that long ago.
    """

    def one(_n: int) -> None:
        api = kiosk_api(token)
        for method, path, body in (
            ("POST", "heartbeat", {"app_version": "load-1.0", "content_version": ""}),
            ("GET", "sessions", None),
        ):
            with suppress(requests.RequestException):
                api.request(method, f"{base}/{path}", json=body, timeout=30)

    for t in start_threads(one, [(n,) for n in range(concurrent)]):
        t.join(35)


def start_threads(target: Callable, args_list: list[tuple]) -> list[threading.Thread]:
    threads = [threading.Thread(target=target, args=args, daemon=True) for args in args_list]
    for t in threads:
        t.start()
    return threads


def burst(
    base: str, bookings: list[Booking], recorder: Recorder, give_up_seconds: float
) -> tuple[float, float]:
    """All bookings at once (a barrier); returns when each has an answer or gave up."""
    barrier = threading.Barrier(len(bookings) + 1)

    def one(booking: Booking) -> None:
        api = kiosk_api(booking.token)
        barrier.wait()
        booking.send(api, base, recorder, time.perf_counter() + give_up_seconds)

    threads = start_threads(one, [(b,) for b in bookings])
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(give_up_seconds + 2 * KIOSK_TIMEOUT)
    return started, time.perf_counter()


def drive(base: str, world: World, plan: Plan, people: People, recorder: Recorder) -> dict:
    """Kiosks polling throughout; the burst of bookings after the warm-up."""
    stop, rng = threading.Event(), random.Random(8)
    tallies = [KioskTally() for _k in world.kiosks]
    kiosk_threads = start_threads(
        kiosk_loop,
        [
            (base, token, recorder, stop, tally, random.Random(rng.random()))
            for (_id, token), tally in zip(world.kiosks, tallies, strict=True)
        ],
    )
    started = time.perf_counter()
    time.sleep(plan.warmup_seconds)
    bookings = [
        Booking(world.target_session_id, *world.kiosks[i % len(world.kiosks)], person=people.next())
        for i in range(plan.bookings)
    ]
    burst_start, burst_end = burst(base, bookings, recorder, plan.booking_give_up_seconds)
    resent = []
    for i in range(plan.resends):
        first = Booking(
            world.resend_session_id, *world.kiosks[i % len(world.kiosks)], person=people.next()
        )
        again = Booking(
            first.session_id, first.kiosk_id, first.token, person=first.person, key=first.key
        )
        burst(base, [first, again], recorder, plan.booking_give_up_seconds)
        resent.append((first, again))
    time.sleep(max(1.0, plan.kiosk_seconds - (time.perf_counter() - started)))
    stop.set()
    for t in kiosk_threads:
        t.join(KIOSK_TIMEOUT + 3)
    ended = time.perf_counter()
    return {
        "bookings": bookings,
        "resent": resent,
        "events_accepted": sum(t.events_accepted for t in tallies),
        "window": (started, ended),
        "burst": (burst_start, burst_end),
    }


# -- what the database says --------------------------------------------------------------


def verify_bookings(
    database: Database, session_id: int, prebooked: int, bookings: list[Booking]
) -> dict:
    """Compare every answer with the stored registrations; failures name each invariant."""
    with database.read() as db:
        capacity, seats_taken = db.execute(
            select(ClassSession.capacity, ClassSession.seats_taken).where(
                ClassSession.id == session_id
            )
        ).one()
        rows = list(db.scalars(select(Registration).where(Registration.session_id == session_id)))
        twins = db.execute(
            select(Participant.phone_digits, func.count())
            .group_by(Participant.phone_digits)
            .having(func.count() > 1)
        ).all()
    by_key = {r.idempotency_key: r for r in rows if r.idempotency_key}
    waitlist = sorted(
        (r for r in rows if r.status == RegistrationStatus.WAITLISTED), key=lambda r: r.waitlist_seq
    )
    rank = {r.id: n for n, r in enumerate(waitlist, start=1)}
    confirmed = sum(r.status == RegistrationStatus.CONFIRMED for r in rows)
    keys = {b.stored_key for b in bookings}
    answered = [b for b in bookings if b.status_code == 201]
    refused = Counter(
        f"{b.status_code} {b.answer.get('error')}"
        for b in bookings
        if b.status_code not in (None, 201)
    )
    mismatched = [
        b
        for b in answered
        if b.stored_key in by_key
        and (
            by_key[b.stored_key].status.value != b.answer["status"]
            or by_key[b.stored_key].code != b.answer["code"]
            or rank.get(by_key[b.stored_key].id) != b.answer["position"]
        )
    ]
    positions = sorted(b.answer["position"] for b in answered if b.answer["position"] is not None)
    result = {
        "capacity": capacity,
        "seats_left_before": capacity - prebooked,
        "bookings": len(bookings),
        "confirmed": confirmed - prebooked,
        "waitlisted": len(waitlist),
        "overbooked": max(0, confirmed - capacity),
        "empty_seats_while_waitlisted": (capacity - confirmed) if waitlist else 0,
        "seat_counter_off": abs(seats_taken - confirmed),
        "lost": sum(b.stored_key not in by_key for b in answered),
        "duplicated": (len(rows) - prebooked - len(keys & set(by_key)))
        + sum(n - 1 for _phone, n in twins),
        "mismatched": len(mismatched),
        "unresolved": sum(b.status_code is None for b in bookings),
        "refused": dict(refused),
        "waitlist_positions_ok": positions == list(range(1, len(positions) + 1))
        and len({r.waitlist_seq for r in waitlist}) == len(waitlist),
        "attempts": sum(b.attempts for b in bookings),
    }
    result["failures"] = [
        name
        for name in (
            "overbooked",
            "empty_seats_while_waitlisted",
            "seat_counter_off",
            "lost",
            "duplicated",
            "mismatched",
            "unresolved",
        )
        if result[name]
    ]
    if refused:
        result["failures"].append("refused")
    if not result["waitlist_positions_ok"]:
        result["failures"].append("waitlist_positions")
    return result


def verify_resends(
    database: Database, session_id: int, pairs: list[tuple[Booking, Booking]]
) -> dict:
    """A booking sent twice at once with one key: both must get the same answer.

    The kiosk outbox sends a booking again when its first attempt timed out, and the
    server may still be working on that one (docs/kiosk-api.md: "The same key again
    returns the same status code and body and creates nothing").
    """
    differ = Counter(
        f"{a.status_code} {a.answer and a.answer.get('error')} / "
        f"{b.status_code} {b.answer and b.answer.get('error')}"
        for a, b in pairs
        if (a.status_code, a.answer) != (b.status_code, b.answer)
    )
    # what is stored is judged by the answer the kiosk would keep: a 201 if either got one
    kept = [b if a.status_code != 201 and b.status_code == 201 else a for a, b in pairs]
    stored = verify_bookings(database, session_id, 0, kept)
    return {
        "pairs": len(pairs),
        "different_answers": sum(differ.values()),
        "kinds": dict(differ),
        "stored": stored,
        "failures": (["resend_answers_differ"] if differ else [])
        + [f"resend {f}" for f in stored["failures"] if f != "refused"],
    }


def verify_kiosks(database: Database, world: World, events_accepted: int) -> dict:
    ids = [k for k, _token in world.kiosks]
    with database.read() as db:
        stored = db.scalar(
            select(func.count()).select_from(UsageEvent).where(UsageEvent.kiosk_id.in_(ids))
        )
        unseen = db.scalar(
            select(func.count())
            .select_from(Kiosk)
            .where(Kiosk.id.in_(ids), Kiosk.last_seen_at.is_(None))
        )
    failures = (["events_lost"] if stored != events_accepted else []) + (
        ["kiosks_never_seen"] if unseen else []
    )
    return {
        "events_accepted": events_accepted,
        "events_stored": stored,
        "kiosks_never_seen": unseen,
        "failures": failures,
    }


# -- figures -----------------------------------------------------------------------------


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


# -- the SQLite ramp ---------------------------------------------------------------------


def ramp_level(
    server: Server,
    clients: list[tuple[int, str]],
    session_id: int,
    seconds: float,
    people: People,
    give_up_seconds: float,
) -> tuple[dict, list[Booking]]:
    """`len(clients)` clients for `seconds`: three schedule GETs, then a booking, again."""
    base, recorder, bookings, lock = server.base, Recorder(), [], threading.Lock()
    started, cpu, own_cpu = time.perf_counter(), server.cpu_seconds(), time.process_time()
    stop_at = started + seconds

    def client(kiosk_id: int, token: str) -> None:
        api = kiosk_api(token)
        for turn in itertools.count():
            if time.perf_counter() >= stop_at:
                return
            if turn % 4 == 3:
                booking = Booking(session_id, kiosk_id, token, person=people.next())
                with lock:
                    bookings.append(booking)
                booking.send(api, base, recorder, stop_at + give_up_seconds)
            else:
                call(api, recorder, "schedule", "GET", f"{base}/sessions")

    for t in start_threads(client, clients):
        t.join(seconds + give_up_seconds + 2 * KIOSK_TIMEOUT)
    elapsed = time.perf_counter() - started
    server_cpu, own_cpu = server.cpu_seconds() - cpu, time.process_time() - own_cpu
    samples = recorder.samples
    errors = Counter(f"{s.kind}: {s.error}" for s in samples if s.error)
    done = [s for s in samples if s.error is None]
    return {
        "clients": len(clients),
        "requests": len(done),
        "requests_per_s": round(len(done) / elapsed, 1),
        "schedule_p95_ms": ms(percentile([s.seconds for s in done if s.kind == "schedule"], 95)),
        "booking_p95_ms": ms(
            percentile([s.seconds for s in done if s.kind == "booking_attempt"], 95)
        ),
        "bookings": len(bookings),
        "server_cpu_percent": round(100 * server_cpu / elapsed),
        "client_cpu_percent": round(100 * own_cpu / elapsed),
        "errors": dict(errors),
    }, bookings


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


# -- one engine --------------------------------------------------------------------------


def run_engine(engine: str, plan: Plan, keep_logs: Path | None = None) -> dict:
    people = People()
    with tempfile.TemporaryDirectory(prefix="tsunagu-load-") as tmp, ExitStack() as stack:
        tmp_path = Path(tmp)
        if engine == "postgresql":
            url = stack.enter_context(postgres_database())
            args, label, limit = (
                ["--prod", "--workers", str(plan.workers)],
                f"gunicorn, {plan.workers} workers",
                None,
            )
        else:
            url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
            args, label, limit = [], "tsunagu serve (Flask dev server, threaded)", (1_000_000, 60)
        env = server_env(url, tmp_path / "instance", limit)
        prebuild_bundle(tmp_path / "instance")
        upgrade(env)
        database = Database(url)
        stack.callback(database.dispose)
        world = seed(database, plan, people)
        log = tmp_path / "server.log"
        if keep_logs is not None:  # copied after the server stopped (callbacks run LIFO)
            keep_logs.mkdir(parents=True, exist_ok=True)
            stack.callback(lambda: log.exists() and shutil.copy(log, keep_logs / f"{engine}.log"))
        server = stack.enter_context(Server(args, env, log))
        ready = server.wait_ready(60)
        print(f"[{engine}] {label} answering on {server.base} after {ready:.1f} s", flush=True)
        warm_up(server.base, world.ramp_clients[-1][1], 3 * max(plan.workers, 2))
        recorder = Recorder()
        cpu, own_cpu = server.cpu_seconds(), time.process_time()
        outcome = drive(server.base, world, plan, people, recorder)
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
            "kiosk_checks": verify_kiosks(database, world, outcome["events_accepted"]),
        }
        if engine == "sqlite":
            report["ramp"] = ramp(server, world, plan, people, database)
        failures = (
            report["checks"]["failures"]
            + report["resend_checks"]["failures"]
            + report["kiosk_checks"]["failures"]
        )
        if "ramp" in report:
            failures += [f"ramp {f}" for f in report["ramp"]["checks"]["failures"]]
        report["failures"] = failures
        if failures:
            report["server_log_tail"] = server.tail(40)
        return report


# -- the report --------------------------------------------------------------------------


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
            f"  events accepted {k['events_accepted']}, stored {k['events_stored']}; "
            f"errors: {f['errors'] or 'none'}"
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
                report["runs"][engine] = run_engine(engine, plan, args.keep_logs)
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
