"""A small ward for tests: courses, venues, sessions, residents, and a coordinator who acts."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from classroom.db import Database
from classroom.models import (
    BookingMode,
    ClassSession,
    Course,
    CourseKind,
    DeviceTrack,
    Registration,
    RegistrationStatus,
    Role,
    Source,
    User,
    Venue,
    VenueKind,
)
from classroom.services import attendance, registration, residents, sessions
from classroom.services.actor import Actor

NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
_numbers = itertools.count(1)
_KANA = "アイウエオカキクケコ"


def kana_name(n: int) -> str:
    """A distinct kana reading per number: 12 -> "テスト イア"."""
    return "テスト " + "".join(_KANA[int(d)] for d in str(n))


class WardBuilder:
    """Builds a ward on a live database: sessions and residents on demand, a coordinator
    who acts, and read-backs of the roster and waitlist."""

    def __init__(self, database: Database) -> None:
        self.database = database
        with database.write() as db:
            course = Course(
                code="intro-iphone",
                title="スマホ入門（iPhone）",
                kind=CourseKind.INTRO,
                device_track=DeviceTrack.IPHONE,
                title_translations={},
                lesson_ids=[],
            )
            venue = Venue(
                name="中央図書館", kind=VenueKind.LIBRARY, capacity=20, name_translations={}
            )
            staff = User(login="coordinator", role=Role.COORDINATOR)
            db.add_all([course, venue, staff])
            db.flush()
            self.course_id, self.venue_id, self.staff_id = course.id, venue.id, staff.id
        self.coordinator = Coordinator(self, Actor(kind="user", user_id=self.staff_id))

    def session(
        self,
        capacity: int = 10,
        *,
        starts_in: timedelta = timedelta(days=7),
        lottery_deadline: datetime | None = None,
        now: datetime = NOW,
    ) -> int:
        with self.database.write() as db:
            starts = NOW + starts_in
            return sessions.create_session(
                db,
                course_id=self.course_id,
                venue_id=self.venue_id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1, minutes=30),
                capacity=capacity,
                booking_mode=BookingMode.LOTTERY if lottery_deadline else BookingMode.FIRST_COME,
                application_deadline=lottery_deadline,
                actor=Actor.system(),
                now=now,  # the scheduling window is the ward's, not the wall clock's
            ).id

    def resident(self, reading: str | None = None, **fields) -> int:
        n = next(_numbers)
        with self.database.write() as db:
            return residents.create_participant(
                db,
                reading=reading or kana_name(n),
                phone=fields.pop("phone", f"090-0000-{n:04d}"),
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
                now=NOW,
                **fields,
            ).id

    def residents(self, count: int) -> list[int]:
        return [self.resident() for _ in range(count)]

    def registrations(self, session_id: int) -> list[Registration]:
        with self.database.read() as db:
            return list(
                db.query(Registration).filter_by(session_id=session_id).order_by(Registration.id)
            )

    def confirmed(self, session_id: int) -> list[int]:
        return [
            r.participant_id
            for r in self.registrations(session_id)
            if r.status == RegistrationStatus.CONFIRMED
        ]

    def waitlist(self, session_id: int) -> list[tuple[int, int]]:
        """(position, participant_id) in waitlist order."""
        with self.database.read() as db:
            rows = (
                db.query(Registration)
                .filter_by(session_id=session_id, status=RegistrationStatus.WAITLISTED)
                .order_by(Registration.waitlist_seq)
                .all()
            )
            return [(registration.waitlist_position(db, r), r.participant_id) for r in rows]

    def seats_taken(self, session_id: int) -> int:
        with self.database.read() as db:
            return db.get(ClassSession, session_id).seats_taken


class Coordinator:
    def __init__(self, ward: WardBuilder, actor: Actor) -> None:
        self.ward, self.actor = ward, actor

    def registers(
        self, participant_id: int, session_id: int, *, key: str | None = None, now: datetime = NOW
    ) -> registration.RegistrationResult:
        with self.ward.database.write() as db:
            return registration.register(
                db,
                session_id=session_id,
                participant_id=participant_id,
                source=Source.PHONE,
                actor=self.actor,
                idempotency_key=key,
                now=now,
            )

    def cancels(self, registration_id: int, now: datetime = NOW) -> registration.CancelResult:
        with self.ward.database.write() as db:
            return registration.cancel_registration(db, registration_id, actor=self.actor, now=now)

    def draws(self, session_id: int, *, seed: str | None = None, now: datetime = NOW):
        with self.ward.database.write() as db:
            return registration.draw_lottery(db, session_id, actor=self.actor, seed=seed, now=now)

    def checks_in(self, session_id: int, code: str, now: datetime = NOW):
        with self.ward.database.write() as db:
            return attendance.check_in(
                db, session_id=session_id, code=code, actor=self.actor, now=now
            )
