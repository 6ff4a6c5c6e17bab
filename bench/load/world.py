"""The plan of a run and the world it runs in: made-up residents, a class with its last
seats, and kiosks, seeded straight into the database."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from classroom.db import Database
from classroom.models import Source
from classroom.ops.demo import FAMILY, GIVEN
from classroom.services import courses, kiosks, registration, residents, sessions, venues
from classroom.services.actor import Actor


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
    #: threads per worker (`tsunagu serve --threads`); 1 is gunicorn's sync worker, the
    #: default of `serve --prod`
    threads: int = 1
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
