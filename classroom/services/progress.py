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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import distinct, func, select
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


def item_id(lesson_id: str, can_id: str) -> str:
    """The id of a lesson's checklist item, as the records keep it."""
    return f"{lesson_id}/{can_id}"


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


#: lesson id -> its "I can ..." item ids, in order, as content has them (the caller reads it)
LessonItemIds = Mapping[str, Sequence[str]]


def course_item_ids(course: Course, lesson_items: LessonItemIds) -> list[str]:
    """The items a course's lessons cover, in order (a lesson content lacks has none)."""
    return [item for lesson in course.lesson_ids or () for item in lesson_items.get(lesson, ())]


# -- the ward's report: what people learned in a period ----------------------------------


@dataclass(frozen=True)
class CourseCompletion:
    key: str  # the course's code
    label: str  # its title
    #: people who came to (or showed an item in) a class of the course held in the period
    participants: int
    #: of them, those who have shown every item of the course's lessons (by now)
    completed: int

    @property
    def share(self) -> float | None:
        return round(self.completed / self.participants, 4) if self.participants else None


@dataclass(frozen=True)
class LessonGain:
    key: str  # the lesson's id
    #: items of the lesson shown in classes held in the period, and by how many people
    items: int
    people: int
    #: the lesson's title where the caller gave it (``Outcomes.titled``), else its id
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.key)


@dataclass(frozen=True)
class Outcomes:
    """What people learned in classes held in a period (the ward's report, issue 17)."""

    #: people who showed at least one "I can ..." item
    people_gaining: int = 0
    #: items shown
    items_gained: int = 0
    #: lessons taught: each held class teaches its course's lessons
    lessons_taught: int = 0
    by_lesson: list[LessonGain] = field(default_factory=list)
    #: per course held in the period; empty when the courses' items were not given
    by_course: list[CourseCompletion] = field(default_factory=list)

    @property
    def items_per_lesson(self) -> float | None:
        return round(self.items_gained / self.lessons_taught, 2) if self.lessons_taught else None

    @property
    def participants_in_courses(self) -> int:
        return sum(c.participants for c in self.by_course)

    @property
    def completed(self) -> int:
        return sum(c.completed for c in self.by_course)

    @property
    def completion_share(self) -> float | None:
        """Of the people in a course's classes, the share who have done all of it (each
        person counted once per course)."""
        n = self.participants_in_courses
        return round(self.completed / n, 4) if n else None

    def titled(self, lesson_titles: Mapping[str, str]) -> Outcomes:
        """The same figures, each lesson named by its title (which content holds)."""
        return replace(
            self,
            by_lesson=[replace(g, label=lesson_titles.get(g.key) or g.key) for g in self.by_lesson],
        )

    def as_dict(self) -> dict:
        return {
            "people_gaining": self.people_gaining,
            "items_gained": self.items_gained,
            "lessons_taught": self.lessons_taught,
            "items_per_lesson": self.items_per_lesson,
            "completion_share": self.completion_share,
            "by_lesson": [g.__dict__ for g in self.by_lesson],
            "by_course": [{**c.__dict__, "share": c.share} for c in self.by_course],
        }


def _held_between(start: datetime, end: datetime):
    return (
        ClassSession.state == SessionState.HELD,
        ClassSession.starts_at >= start,
        ClassSession.starts_at < end,
    )


def _lesson_of(db: Session):
    """The lesson of an item id ("<lesson>/<item>"), in the database's own words."""
    item = ProgressRecord.item_id
    if db.get_bind().dialect.name == "postgresql":
        return func.split_part(item, "/", 1)
    return func.substr(item, 1, func.instr(item, "/") - 1)


def _completion(
    db: Session, course: Course, held: tuple, lesson_items: LessonItemIds
) -> CourseCompletion:
    """How many came to the course's classes held in the period (checked in, or showed an
    item there), and how many of them have shown every item of its lessons by now."""
    came = (
        select(Attendance.participant_id)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(*held, ClassSession.course_id == course.id, Attendance.status.in_(ATTENDED_STATUSES))
    )
    showed = (
        select(ProgressRecord.participant_id)
        .join(ClassSession, ClassSession.id == ProgressRecord.session_id)
        .where(*held, ClassSession.course_id == course.id)
    )
    people = came.union(showed).subquery()
    participants = db.scalar(select(func.count()).select_from(people)) or 0
    items = set(course_item_ids(course, lesson_items))
    completed = 0
    if items and participants:
        done_all = (
            select(ProgressRecord.participant_id)
            .where(
                ProgressRecord.participant_id.in_(select(people.c[0])),
                ProgressRecord.item_id.in_(items),
            )
            .group_by(ProgressRecord.participant_id)
            .having(func.count(distinct(ProgressRecord.item_id)) == len(items))
            .subquery()
        )
        completed = db.scalar(select(func.count()).select_from(done_all)) or 0
    return CourseCompletion(course.code, course.title, int(participants), int(completed))


def outcomes_between(
    db: Session, start: datetime, end: datetime, lesson_items: LessonItemIds | None = None
) -> Outcomes:
    """What people learned in classes held in [start, end), counted by the database.

    ``lesson_items`` (each lesson's item ids, from content) tells when a course is
    complete; without it the per-course completion is left out."""
    held = _held_between(start, end)
    people, items = db.execute(
        select(func.count(distinct(ProgressRecord.participant_id)), func.count(ProgressRecord.id))
        .join(ClassSession, ClassSession.id == ProgressRecord.session_id)
        .where(*held)
    ).one()
    lesson = _lesson_of(db).label("lesson")
    by_lesson = db.execute(
        select(
            lesson,
            func.count(ProgressRecord.id),
            func.count(distinct(ProgressRecord.participant_id)),
        )
        .join(ClassSession, ClassSession.id == ProgressRecord.session_id)
        .where(*held)
        .group_by(lesson)
        .order_by(lesson)
    ).all()
    held_per_course = db.execute(
        select(ClassSession.course_id, func.count(ClassSession.id))
        .where(*held)
        .group_by(ClassSession.course_id)
    ).all()
    # the courses in one statement, not one look-up each
    held_of = dict(held_per_course)
    found = db.scalars(select(Course).where(Course.id.in_(held_of))) if held_of else ()
    courses = [(c, held_of[c.id]) for c in sorted(found, key=lambda course: course.code)]
    lessons_taught = sum(len(course.lesson_ids or ()) * int(n) for course, n in courses)
    by_course = []
    if lesson_items is not None:
        for course, _n in courses:
            by_course.append(_completion(db, course, held, lesson_items))
    return Outcomes(
        people_gaining=int(people or 0),
        items_gained=int(items or 0),
        lessons_taught=lessons_taught,
        by_lesson=[LessonGain(str(key), int(n), int(who)) for key, n, who in by_lesson],
        by_course=by_course,
    )
