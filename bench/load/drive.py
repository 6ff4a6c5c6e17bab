"""Driving the load, as kiosks do: polling kiosks, bookings sent as the kiosk outbox sends
them (retried with the same Idempotency-Key), the burst for the last seats, the ramp."""

from __future__ import annotations

import itertools
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from kiosk.services.api import TIMEOUT as KIOSK_TIMEOUT

from .measure import Recorder, ms, percentile
from .servers import Server
from .world import People, Person, Plan, World

#: answers after which the kiosk outbox sends the same booking again (docs/kiosk-api.md)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

EVENT_KINDS = ("guide_viewed", "step_reached", "guide_finished", "faq_viewed")


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


@dataclass
class KioskTally:
    events_accepted: int = 0
    #: (kiosk token, client_id) of every event in a batch the server answered 200 to
    acknowledged: list[str] = field(default_factory=list)


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
                tally.acknowledged += [event["client_id"] for event in batch]
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
        "events_acknowledged": [c for t in tallies for c in t.acknowledged],
        "window": (started, ended),
        "burst": (burst_start, burst_end),
    }


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
