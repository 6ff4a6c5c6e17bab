"""The next class to suggest to a resident (issue 17): the upcoming classes whose course
teaches "I can ..." items they have not shown yet, best first. The coordinator sees them
when the resident phones, the kiosk after the resident has typed their reading and phone.

Like progress.py, this reads no content: the caller gives each lesson's item ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    ClassSession,
    DeviceTrack,
    Participant,
    ProgressRecord,
    Registration,
    RegistrationStatus,
    SessionState,
    utcnow,
)
from . import audit
from .actor import Actor
from .availability import LOTTERY, OPEN, availability
from .progress import LessonItemIds, course_item_ids
from .residents import kiosk_match
from .sessions import upcoming_sessions
from .text import phone_digits, reading_key

#: booking states a suggestion may have: a free seat, or a lottery still taking applications
_SUGGESTED_STATES = (OPEN, LOTTERY)


@dataclass(frozen=True)
class Suggestion:
    session: ClassSession
    #: the items of the course's lessons the participant has not shown yet
    items_left: tuple[str, ...]
    #: they have shown some of the course's items already: the class carries on with it
    started: bool


def next_classes(
    db: Session,
    participant_id: int | None,
    lesson_items: LessonItemIds,
    *,
    now: datetime | None = None,
    limit: int = 3,
) -> list[Suggestion]:
    """The upcoming classes that teach what the participant has not shown yet, best first.

    A class is suggested when it has not started, is scheduled, and booking it now would
    give a seat or an application (never a waiting list or a closed class); and when its
    course covers at least one item the participant has not shown. Courses for another
    kind of phone than theirs are left out, and so is a course they already hold (or wait
    for) an upcoming seat in. Best first: a course they have begun before one they have
    not, then the one with more items left, then the soonest; one class per course.
    Without a participant (nobody matched), what a newcomer would be offered."""
    now = now or utcnow()
    device = None
    done: set[str] = set()
    if participant_id is not None:
        participant = db.get(Participant, participant_id)
        if participant is None or participant.erased_at is not None:
            return []
        done = set(
            db.scalars(
                select(ProgressRecord.item_id).where(
                    ProgressRecord.participant_id == participant_id
                )
            )
        )
        if participant.device.value in DeviceTrack._value2member_map_:
            device = DeviceTrack(participant.device.value)
    upcoming = [
        s
        for s in upcoming_sessions(db, now=now, device=device)
        if availability(s, now).state in _SUGGESTED_STATES
    ]
    held_courses: set[int] = set()
    if participant_id is not None and upcoming:
        held_courses = set(
            db.scalars(
                select(ClassSession.course_id)
                .join(Registration, Registration.session_id == ClassSession.id)
                .where(
                    Registration.participant_id == participant_id,
                    Registration.status != RegistrationStatus.CANCELLED,
                    ClassSession.state == SessionState.SCHEDULED,
                    ClassSession.starts_at > now,
                )
            )
        )
    best: dict[int, Suggestion] = {}
    for session in upcoming:  # soonest first: a course's first class is its suggestion
        course = session.course
        if course.id in held_courses or course.id in best:
            continue
        items = course_item_ids(course, lesson_items)
        left = tuple(item for item in items if item not in done)
        if left:
            best[course.id] = Suggestion(session, left, started=len(left) < len(items))
    ranked = sorted(
        best.values(),
        key=lambda s: (not s.started, -len(s.items_left), s.session.starts_at, s.session.id),
    )
    return ranked[:limit]


def for_typed_resident(
    db: Session,
    reading: str,
    phone: str,
    lesson_items: LessonItemIds,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> list[Suggestion]:
    """The suggestions for whoever a kiosk's resident typed (a reading and a phone, as
    typed): the resident they match, else what a newcomer would be offered. A match is
    audited by the resident's id (the typed words are neither kept nor logged)."""
    participant = kiosk_match(db, reading_key(reading), phone_digits(phone))
    if participant is not None:
        audit.record(
            db,
            actor,
            "progress.suggest",
            participant_id=participant.id,
            subject_type="participant",
            subject_id=participant.id,
        )
    return next_classes(db, participant.id if participant else None, lesson_items, now=now)
