"""What each participant can now do: "I can ..." items ticked as shown in a class.

Items are the lessons' checklist entries, named here only by id ("<lesson>/<item>"): the
domain core does not read content; the web layer resolves titles and says which items a
class's lessons have. Only people on a class's roster may be ticked in it; a tick is one
row per person and item however often it is sent (a unique constraint holds it, also
when two tablets send it at once); the audit trail records who ticked what for whom,
never a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from languages import N_

from ..models import (
    ATTENDED_STATUSES,
    Attendance,
    ClassSession,
    Course,
    ProgressRecord,
    Registration,
    RegistrationStatus,
    SessionState,
    User,
    session_instructor,
    utcnow,
)
from . import audit
from .actor import Actor
from .attendance import on_roster, roster
from .errors import DomainError, InvalidInput, Msg, NotFound, SessionNotOpen

#: "<lesson id>/<checklist item id>", as content names them
_ITEM_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,78}/[a-z0-9][a-z0-9_-]{0,78}")


class NotOnRoster(DomainError):
    message = N_("This person is not on this class's roster.")
    code = "not_on_roster"


@dataclass(frozen=True)
class TickResult:
    record: ProgressRecord
    #: False when the item was already ticked (a double tap or a resent form)
    created: bool


@dataclass(frozen=True)
class Done:
    """One item a participant has shown: in which class, when, ticked by whom."""

    item_id: str
    session_id: int
    course: str
    session_starts_at: datetime
    marked_at: datetime
    marked_by: str


def valid_item_id(item_id: str) -> str:
    """The item id, or InvalidInput when it cannot name a lesson's checklist item."""
    item_id = (item_id or "").strip()
    if not _ITEM_ID.fullmatch(item_id):
        raise InvalidInput.single("item_id", N_("This is not an item of the class's lessons."))
    return item_id


def _class_for_ticks(db: Session, session_id: int, participant_id: int) -> ClassSession:
    session = db.get(ClassSession, session_id)
    if session is None:
        raise NotFound(field="session_id")
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    if not on_roster(db, session_id, participant_id):
        raise NotOnRoster(field="participant_id")
    return session


def _record(db: Session, participant_id: int, item_id: str) -> ProgressRecord | None:
    return db.scalar(
        select(ProgressRecord).where(
            ProgressRecord.participant_id == participant_id, ProgressRecord.item_id == item_id
        )
    )


def _audit(
    db: Session, actor: Actor, action: str, session_id: int, participant_id: int, item_id: str
) -> None:
    """Who ticked which item for whom in which class; the item id, never a name."""
    audit.record(
        db,
        actor,
        action,
        participant_id=participant_id,
        subject_type="class_session",
        subject_id=session_id,
        details={"item": item_id},
    )


def tick(
    db: Session,
    *,
    session_id: int,
    participant_id: int,
    item_id: str,
    actor: Actor,
    now: datetime | None = None,
) -> TickResult:
    """Record that a participant on the class's roster showed an item in it. Ticking an
    item already done (here or in an earlier class) keeps the first record."""
    item_id = valid_item_id(item_id)
    _class_for_ticks(db, session_id, participant_id)
    existing = _record(db, participant_id, item_id)
    if existing is not None:
        return TickResult(existing, created=False)
    record = ProgressRecord(
        participant_id=participant_id,
        item_id=item_id,
        session_id=session_id,
        marked_by_id=actor.user_id,
        marked_at=now or utcnow(),
    )
    try:
        with db.begin_nested():
            db.add(record)
            db.flush()
    except IntegrityError:  # another tablet's tap won: the same answer as a double tap
        return TickResult(_record(db, participant_id, item_id), created=False)
    _audit(db, actor, "progress.tick", session_id, participant_id, item_id)
    return TickResult(record, created=True)


def untick(
    db: Session, *, session_id: int, participant_id: int, item_id: str, actor: Actor
) -> bool:
    """Undo a tick made in this class; True if there was one. An item shown in an
    earlier class is not undone from a later one."""
    item_id = valid_item_id(item_id)
    _class_for_ticks(db, session_id, participant_id)
    record = _record(db, participant_id, item_id)
    if record is None or record.session_id != session_id:
        return False
    db.delete(record)
    db.flush()
    _audit(db, actor, "progress.untick", session_id, participant_id, item_id)
    return True


def progress(db: Session, participant_id: int) -> list[Done]:
    """Every item a participant has shown, across all classes, oldest first."""
    records = db.execute(
        select(ProgressRecord, ClassSession, User.display_name)
        .join(ClassSession, ClassSession.id == ProgressRecord.session_id)
        .outerjoin(User, User.id == ProgressRecord.marked_by_id)
        .where(ProgressRecord.participant_id == participant_id)
        .options(selectinload(ClassSession.course))
        .order_by(ProgressRecord.marked_at, ProgressRecord.id)
    ).all()
    return [
        Done(
            item_id=record.item_id,
            session_id=session.id,
            course=session.course.title,
            session_starts_at=session.starts_at,
            marked_at=record.marked_at,
            marked_by=marked_by or "",
        )
        for record, session, marked_by in records
    ]


def roster_progress(db: Session, session_id: int) -> dict[int, dict[str, ProgressRecord]]:
    """For each person on a class's roster, the items they have already shown (in this
    class or an earlier one), by item id. Everyone on the roster has an entry."""
    people = [row["id"] for row in roster(db, session_id)]
    done: dict[int, dict[str, ProgressRecord]] = {pid: {} for pid in people}
    if people:
        for record in db.scalars(
            select(ProgressRecord).where(ProgressRecord.participant_id.in_(people))
        ):
            done[record.participant_id][record.item_id] = record
    return done


# -- what a resident has shown, per course -------------------------------------------


@dataclass
class Item:
    """One "I can ..." item: its id and its text, as the caller read it from content."""

    id: str
    text: str


@dataclass
class LessonItems:
    lesson_id: str
    title: str
    items: list[Item] = field(default_factory=list)


#: a course's lessons with their items, in order: the caller reads them from content
ItemsOf = Callable[[Course], list[LessonItems]]


def class_ids(db: Session, participant_id: int) -> set[int]:
    """The classes whose roster the resident is on: a confirmed seat or an attendance."""
    booked = db.scalars(
        select(Registration.session_id).where(
            Registration.participant_id == participant_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    came = db.scalars(
        select(Attendance.session_id).where(Attendance.participant_id == participant_id)
    )
    return set(booked) | set(came)


def teaches_participant(db: Session, user_id: int, participant_id: int) -> bool:
    """Whether the staff member teaches a class whose roster the resident is (or was) on."""
    classes = class_ids(db, participant_id)
    return bool(classes) and (
        db.scalar(
            select(session_instructor.c.session_id).where(
                session_instructor.c.user_id == user_id,
                session_instructor.c.session_id.in_(classes),
            )
        )
        is not None
    )


@dataclass
class CourseOutcome:
    course: Course
    #: the days the resident took part in a class of the course
    attended: list[ClassSession]
    lessons: list[LessonItems]
    done: dict[str, Done]

    @property
    def items(self) -> list[Item]:
        return [item for lesson in self.lessons for item in lesson.items]

    @property
    def done_items(self) -> list[Item]:
        return [item for item in self.items if item.id in self.done]

    @property
    def next_items(self) -> list[Item]:
        return [item for item in self.items if item.id not in self.done]

    @property
    def complete(self) -> bool:
        return bool(self.items) and not self.next_items


def outcomes(db: Session, participant_id: int, items_of: ItemsOf) -> list[CourseOutcome]:
    """Each course the resident is or was in a class of, with what they have shown."""
    done = {d.item_id: d for d in progress(db, participant_id)}
    classes = db.scalars(
        select(ClassSession)
        .where(ClassSession.id.in_(class_ids(db, participant_id)))
        .options(selectinload(ClassSession.course))
        .order_by(ClassSession.starts_at, ClassSession.id)
    ).all()
    attended = set(
        db.scalars(
            select(Attendance.session_id).where(
                Attendance.participant_id == participant_id,
                Attendance.status.in_(ATTENDED_STATUSES),
            )
        )
    )
    ticked_in = {d.session_id for d in done.values()}
    found: dict[int, CourseOutcome] = {}
    for class_session in classes:
        course = class_session.course
        if course.id not in found:
            found[course.id] = CourseOutcome(course, [], items_of(course), done)
        # a class counts as attended when they checked in, or showed an item in it
        if class_session.id in attended or class_session.id in ticked_in:
            found[course.id].attended.append(class_session)
    return list(found.values())
