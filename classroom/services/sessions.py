"""Scheduling class sessions, cancelling them, and marking them held."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from languages import N_

from ..models import (
    ACTIVE_STATUSES,
    BookingMode,
    CallReason,
    CallTask,
    ClassSession,
    Course,
    DeviceTrack,
    LabelledEnum,
    LotteryDraw,
    Registration,
    RegistrationStatus,
    Role,
    SessionState,
    User,
    Venue,
    utcnow,
)
from ..settings import ward_zone
from . import audit
from .actor import Actor
from .errors import CapacityTooLarge, DomainError, InvalidInput, Msg, NotFound, SessionNotOpen
from .registration import lock_session, promote_waitlist
from .reports import fiscal_year_bounds, fiscal_year_of

#: classes are scheduled from the start of last fiscal year to the end of the year after
#: next: a typo such as 0001 or 9999 is refused, not stored (nor shown to the public)
WINDOW_YEARS_BACK, WINDOW_YEARS_AHEAD = 1, 2


def scheduling_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """[1 April of last fiscal year, 1 April three fiscal years on) in the ward's time, as UTC.

    Computed from the clock in the ward's time: on 31 March and on 1 April it moves by a year.
    """
    fiscal_year = fiscal_year_of(now or utcnow())
    start, _end = fiscal_year_bounds(fiscal_year - WINDOW_YEARS_BACK)
    _start, end = fiscal_year_bounds(fiscal_year + WINDOW_YEARS_AHEAD)
    return start, end


def _window_days(now: datetime | None) -> tuple[date, date]:
    """The window as the dates a coordinator reads: its first and its last day."""
    start, end = scheduling_window(now)
    zone = ward_zone()
    return start.astimezone(zone).date(), (end.astimezone(zone) - timedelta(days=1)).date()


def _in_window(moment: datetime | None, now: datetime | None) -> bool:
    if moment is None:
        return True
    start, end = scheduling_window(now)
    try:
        return start <= moment < end
    except TypeError:  # a naive datetime cannot be placed: refused
        return False


def _outside_window(field: str, now: datetime | None) -> DomainError:
    first, last = _window_days(now)
    return DomainError(
        N_(
            "A class can be scheduled from %(first)s to %(last)s (from last fiscal year to "
            "two years ahead)."
        ),
        field=field,
        first=first.isoformat(),
        last=last.isoformat(),
    )


def _window_errors(
    starts_at: datetime, ends_at: datetime, deadline: datetime | None, now: datetime
) -> dict[str, DomainError]:
    """The times outside the scheduling window, checked before any other rule."""
    errors: dict[str, DomainError] = {}
    if not _in_window(starts_at, now):
        errors["date"] = _outside_window("date", now)
    if not _in_window(ends_at, now) and "date" not in errors:
        errors["ends_at"] = _outside_window("ends_at", now)
    if not _in_window(deadline, now):
        errors["application_deadline"] = _outside_window("application_deadline", now)
    return errors


@dataclass(frozen=True)
class _Checked:
    venue: Venue | None
    instructors: list[User]
    #: None unless a lottery
    application_deadline: datetime | None


def _checked(
    db: Session,
    errors: dict[str, DomainError],
    *,
    venue_id: int,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    booking_mode: BookingMode,
    application_deadline: datetime | None,
    instructor_ids: Iterable[int],
) -> _Checked:
    """The rules a class's venue, times, seats, deadline and instructors keep, when it is
    scheduled and when it is edited; each problem is added to `errors` by its field."""
    venue = db.get(Venue, venue_id)
    if venue is None:
        errors["venue_id"] = DomainError(N_("Please choose a venue."), field="venue_id")
    if ends_at <= starts_at:
        errors["ends_at"] = DomainError(N_("The class must end after it starts."), field="ends_at")
    if capacity < 1:
        errors["capacity"] = DomainError(N_("The capacity must be at least 1."), field="capacity")
    elif venue is not None and capacity > venue.capacity:
        errors["capacity"] = CapacityTooLarge(
            field="capacity", capacity=capacity, venue_capacity=venue.capacity
        )
    if booking_mode == BookingMode.LOTTERY:
        if application_deadline is None:
            errors["application_deadline"] = DomainError(
                N_("A lottery needs an application deadline."), field="application_deadline"
            )
        elif application_deadline >= starts_at:
            errors["application_deadline"] = DomainError(
                N_("The application deadline must be before the class starts."),
                field="application_deadline",
            )
    else:
        application_deadline = None
    instructors = list(db.scalars(select(User).where(User.id.in_(list(instructor_ids)))))
    if any(u.role != Role.INSTRUCTOR and u.role != Role.COORDINATOR for u in instructors):
        errors["instructor_ids"] = DomainError(
            N_("Only instructors and coordinators can teach a class."), field="instructor_ids"
        )
    return _Checked(venue, instructors, application_deadline)


def create_session(
    db: Session,
    *,
    course_id: int,
    venue_id: int,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    actor: Actor,
    booking_mode: BookingMode | str = BookingMode.FIRST_COME,
    application_deadline: datetime | None = None,
    instructor_ids: Iterable[int] = (),
    note: str = "",
    now: datetime | None = None,
) -> ClassSession:
    """A scheduled session whose capacity fits the venue and whose times make sense.

    Its date lies in the scheduling window (`scheduling_window`), and so does a deadline.
    """
    now = now or utcnow()
    if errors := _window_errors(starts_at, ends_at, application_deadline, now):
        raise InvalidInput(errors)
    course = db.get(Course, course_id)
    if course is None:
        errors["course_id"] = DomainError(N_("Please choose a course."), field="course_id")
    booking_mode = BookingMode(booking_mode)
    checked = _checked(
        db,
        errors,
        venue_id=venue_id,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        booking_mode=booking_mode,
        application_deadline=application_deadline,
        instructor_ids=instructor_ids,
    )
    if errors:
        raise InvalidInput(errors)
    session = ClassSession(
        course=course,
        venue=checked.venue,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        booking_mode=booking_mode,
        application_deadline=checked.application_deadline,
        instructors=checked.instructors,
        note=note,
    )
    db.add(session)
    db.flush()
    audit.record(db, actor, "session.create", subject_type="class_session", subject_id=session.id)
    return session


class Repeat(LabelledEnum):
    """How a series of sessions repeats."""

    ONCE = "once", N_("Once")
    WEEKLY = "weekly", N_("Every week, same weekday and time")
    MONTHLY = "monthly", N_("Every month, same weekday of the month and time (e.g. 2nd Thursday)")


#: a ward plans a fiscal year at most: a year of weekly classes
MAX_OCCURRENCES = 52


def _week_of_month(day: int) -> int:
    return (day - 1) // 7 + 1


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def series_starts(starts_at: datetime, repeat: Repeat | str, occurrences: int) -> list[datetime]:
    """Start times on the wall clock of `starts_at`'s zone: weekly, or monthly on the same
    weekday of the same week of the month (2nd Thursday -> 2nd Thursday). None skipped."""
    repeat = Repeat(repeat)
    if repeat == Repeat.ONCE:
        return [starts_at]
    local_date, wall_time, zone = starts_at.date(), starts_at.time(), starts_at.tzinfo
    dates = []
    for k in range(occurrences):
        if repeat == Repeat.WEEKLY:
            dates.append(local_date + timedelta(weeks=k))
            continue
        year, month = _add_months(local_date.year, local_date.month, k)
        first = local_date.replace(year=year, month=month, day=1)
        offset = (local_date.weekday() - first.weekday()) % 7
        dates.append(first + timedelta(days=offset + 7 * (_week_of_month(local_date.day) - 1)))
    return [datetime.combine(d, wall_time, tzinfo=zone) for d in dates]


def create_series(
    db: Session,
    *,
    starts_at: datetime,
    ends_at: datetime,
    repeat: Repeat | str,
    occurrences: int,
    actor: Actor,
    application_deadline: datetime | None = None,
    now: datetime | None = None,
    **session_fields,
) -> list[ClassSession]:
    """`occurrences` sessions like `create_session`'s, all created or none (one savepoint).

    Times repeat on the wall clock of `starts_at`'s time zone (pass Tokyo-aware times);
    a lottery's deadline keeps the same distance before each session. Every class of
    the series lies in the scheduling window.
    """
    now = now or utcnow()
    window_errors = {
        field: _outside_window(field, now)
        for field, moment in (("date", starts_at), ("application_deadline", application_deadline))
        if not _in_window(moment, now)
    }
    if window_errors:  # before any date arithmetic: 9999-12-31 plus a week overflows
        raise InvalidInput(window_errors)
    repeat = Repeat(repeat)
    if repeat == Repeat.ONCE:
        occurrences = 1
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise InvalidInput.single(
            "occurrences",
            N_("A series has from 1 to %(max)s classes."),
            max=MAX_OCCURRENCES,
        )
    if repeat == Repeat.MONTHLY and _week_of_month(starts_at.day) > 4:
        raise InvalidInput.single(
            "repeat",
            N_(
                "Not every month has a 5th %(weekday)s. For a monthly series, start in the "
                "first four weeks of the month."
            ),
            weekday=Msg(_WEEKDAY_NAMES[starts_at.weekday()]),
        )
    length = ends_at - starts_at
    lead = starts_at - application_deadline if application_deadline is not None else None
    starts = series_starts(starts_at, repeat, occurrences)
    if not _in_window(starts[-1], now):
        _first, last = _window_days(now)
        raise InvalidInput.single(
            "occurrences",
            N_(
                "The last class of this series would be on %(day)s, after %(last)s. "
                "Please schedule fewer classes."
            ),
            day=starts[-1].date().isoformat(),
            last=last.isoformat(),
        )
    created: list[ClassSession] = []
    with db.begin_nested():
        for start in starts:
            created.append(
                create_session(
                    db,
                    starts_at=start,
                    ends_at=start + length,
                    application_deadline=start - lead if lead is not None else None,
                    actor=actor,
                    now=now,
                    **session_fields,
                )
            )
    if len(created) > 1:
        audit.record(
            db,
            actor,
            "session.series",
            subject_type="class_session",
            subject_id=created[0].id,
            details={"repeat": repeat.value, "session_ids": [s.id for s in created]},
        )
    return created


_WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def cancel_session(
    db: Session, session_id: int, *, actor: Actor, now: datetime | None = None
) -> list[CallTask]:
    """Cancel a session; everyone registered goes on the "to call" list."""
    now = now or utcnow()
    session = lock_session(db, session_id)
    if session.state == SessionState.HELD:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("already held")))
    if session.state == SessionState.CANCELLED:
        return []
    session.state = SessionState.CANCELLED
    session.cancelled_at = now
    calls = []
    for registration in db.scalars(
        select(Registration).where(
            Registration.session_id == session_id, Registration.status.in_(ACTIVE_STATUSES)
        )
    ):
        registration.status = RegistrationStatus.CANCELLED
        registration.waitlist_seq = None
        registration.cancelled_at = now
        registration.cancelled_by_id = actor.user_id
        call = CallTask(
            participant_id=registration.participant_id,
            session_id=session_id,
            registration_id=registration.id,
            reason=CallReason.SESSION_CANCELLED,
            created_at=now,
        )
        db.add(call)
        calls.append(call)
    session.seats_taken = 0
    db.flush()
    audit.record(db, actor, "session.cancel", subject_type="class_session", subject_id=session_id)
    return calls


class StaleEdit(DomainError):
    message = N_(
        "Someone else changed this class after this form was opened, so nothing was saved. "
        "Here is the class as it is now: please make your change again."
    )


#: why an edit is refused for a class that is no longer scheduled
NOT_EDITABLE = {
    SessionState.CANCELLED: N_("This class was cancelled; it cannot be edited."),
    SessionState.HELD: N_("This class was held; it cannot be edited."),
}


@dataclass(frozen=True)
class SessionEdit:
    session: ClassSession
    #: what changed, by field: "before → after", as the audit trail keeps it
    changes: dict[str, str]
    #: moved up from the waitlist into the seats a larger capacity opened, in line order
    promoted: list[Registration]
    #: "class moved" calls added: everyone registered, when the date, time or venue changed
    moved_calls: list[CallTask]


def _local(moment: datetime | None) -> str:
    return moment.astimezone(ward_zone()).strftime("%Y-%m-%d %H:%M") if moment else ""


def _described(session: ClassSession) -> dict[str, str]:
    """A class's editable fields as a person reads them (times in the ward's time)."""
    return {
        "starts_at": _local(session.starts_at),
        "ends_at": _local(session.ends_at)[-5:],
        "venue": session.venue.name,
        "capacity": str(session.capacity),
        "instructors": ", ".join(sorted(u.display_name or u.login for u in session.instructors)),
        "application_deadline": _local(session.application_deadline),
        "note": session.note,
    }


#: the changes that move a class: everyone registered must be told
MOVING = ("starts_at", "venue")


def _lottery_closed(
    db: Session, session: ClassSession, deadline: datetime | None, now: datetime
) -> DomainError | None:
    """A drawn lottery, or one past its deadline, cannot get a later deadline (it would
    open again for applications)."""
    if deadline is None or session.application_deadline is None:
        return None
    if deadline <= session.application_deadline:
        return None
    if db.scalar(select(LotteryDraw.id).where(LotteryDraw.session_id == session.id)):
        return DomainError(
            N_("The lottery was already drawn: its deadline cannot be moved later."),
            field="application_deadline",
        )
    if now >= session.application_deadline:
        return DomainError(
            N_(
                "Applications closed on %(deadline)s: the deadline cannot be moved later, "
                "which would open the lottery again."
            ),
            field="application_deadline",
            deadline=session.application_deadline,
        )
    return None


def _moved_calls(db: Session, session: ClassSession, why: str, now: datetime) -> list[CallTask]:
    """A "class moved" call for everyone registered (confirmed, waitlisted, applied), unless
    one is still open for them (a class moved twice before the call is one call)."""
    already = select(CallTask.registration_id).where(
        CallTask.reason == CallReason.SESSION_MOVED,
        CallTask.informed_at.is_(None),
        CallTask.session_id == session.id,
    )
    calls = [
        CallTask(
            participant_id=r.participant_id,
            session_id=session.id,
            registration_id=r.id,
            reason=CallReason.SESSION_MOVED,
            created_at=now,
            note=why,
        )
        for r in db.scalars(
            select(Registration)
            .where(
                Registration.session_id == session.id,
                Registration.status.in_(ACTIVE_STATUSES),
                Registration.id.not_in(already),
            )
            .order_by(Registration.id)
        )
    ]
    db.add_all(calls)
    return calls


def edit_session(
    db: Session,
    session_id: int,
    *,
    version: int,
    venue_id: int,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    instructor_ids: Iterable[int],
    application_deadline: datetime | None,
    note: str,
    actor: Actor,
    now: datetime | None = None,
) -> SessionEdit:
    """Change a scheduled class's date and times, venue, capacity, instructors, lottery
    deadline and note, with the rules of scheduling one (`create_session`) and these:

    - `version` is the class's version the form was made from: an edit from an older
      form (someone saved in between) is refused (`StaleEdit`);
    - the capacity is never below the seats already confirmed; a larger one is filled
      from the waitlist, first in line first, each one promoted on the call list;
    - a new date, start time or venue puts everyone registered on the call list (and
      drops a reminder for the old day not yet made: calls.tomorrows_reminders adds it
      again when the new day is near);
    - a lottery drawn or past its deadline cannot get a later deadline;
    - a cancelled or held class cannot be edited.

    Refusals change nothing. An edit that changes nothing is not recorded.
    """
    now = now or utcnow()
    session = lock_session(db, session_id)
    if session.state in NOT_EDITABLE:
        raise DomainError(NOT_EDITABLE[session.state], field="session_id")
    if version != session.version:
        raise StaleEdit(field="version")
    if errors := _window_errors(starts_at, ends_at, application_deadline, now):
        raise InvalidInput(errors)
    checked = _checked(
        db,
        errors,
        venue_id=venue_id,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        booking_mode=session.booking_mode,
        application_deadline=application_deadline,
        instructor_ids=instructor_ids,
    )
    if "capacity" not in errors and capacity < session.seats_taken:
        errors["capacity"] = DomainError(
            N_(
                "Seats already confirmed: %(confirmed)s. The capacity cannot be lower than "
                "that; cancel registrations first."
            ),
            field="capacity",
            confirmed=session.seats_taken,
        )
    if "application_deadline" not in errors and (
        closed := _lottery_closed(db, session, checked.application_deadline, now)
    ):
        errors["application_deadline"] = closed
    if errors:
        raise InvalidInput(errors)
    before = _described(session)
    session.venue = checked.venue
    session.starts_at, session.ends_at = starts_at, ends_at
    session.capacity = capacity
    session.instructors = checked.instructors
    session.application_deadline = checked.application_deadline
    session.note = note
    db.flush()
    after = _described(session)
    changes = {k: f"{before[k]} → {after[k]}" for k in before if before[k] != after[k]}
    if not changes:
        return SessionEdit(session, {}, [], [])
    promoted = promote_waitlist(db, session_id, now)
    moved = [k for k in MOVING if k in changes]
    moved_calls = []
    if moved:
        moved_calls = _moved_calls(db, session, "; ".join(changes[k] for k in moved), now)
        # a reminder not yet made was for the old day: made again when the new one is near
        db.execute(
            delete(CallTask).where(
                CallTask.session_id == session_id,
                CallTask.reason == CallReason.REMINDER,
                CallTask.informed_at.is_(None),
            )
        )
    session.version += 1
    db.flush()
    db.refresh(session)  # seats taken by the promotions
    audit.record(
        db,
        actor,
        "session.edit",
        subject_type="class_session",
        subject_id=session_id,
        details={
            "changes": changes,
            "promoted_registration_ids": [r.id for r in promoted],
            "moved_calls": len(moved_calls),
        },
    )
    return SessionEdit(session, changes, promoted, moved_calls)


def mark_held(
    db: Session, session_id: int, *, actor: Actor, now: datetime | None = None
) -> ClassSession:
    """Record that the session took place (it then counts in the reports)."""
    now = now or utcnow()
    session = db.get(ClassSession, session_id)
    if session is None:
        raise NotFound(field="session_id")
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    if session.state != SessionState.HELD:
        session.state = SessionState.HELD
        session.held_at = now
        db.flush()
        audit.record(db, actor, "session.held", subject_type="class_session", subject_id=session_id)
    return session


def upcoming_sessions(
    db: Session,
    *,
    now: datetime | None = None,
    course_id: int | None = None,
    device: DeviceTrack | str | None = None,
    until: datetime | None = None,
) -> list[ClassSession]:
    """Scheduled sessions that have not started, soonest first, with their course, venue
    and lottery draw."""
    if device is not None:
        device = DeviceTrack(device)
    statement = _upcoming_statement(course_id is not None, device is not None, until is not None)
    params = {"now": now or utcnow(), "course_id": course_id, "until": until}
    if device is not None:
        params["tracks"] = [device, DeviceTrack.ANY]
    return list(db.scalars(statement, params).unique())


@cache
def _upcoming_statement(by_course: bool, by_device: bool, until: bool):
    """`upcoming_sessions`' statement for the filters it has, built once: every kiosk asks
    for the schedule every minute or so (issue 21). One statement, the course, venue and
    lottery draw joined, instead of three more SELECTs by id; each variant's cache key is
    computed once."""
    query = (
        select(ClassSession)
        .join(ClassSession.course)
        .join(ClassSession.venue)
        .outerjoin(ClassSession.lottery_draw)
        .where(
            ClassSession.state == SessionState.SCHEDULED,
            ClassSession.starts_at > bindparam("now", type_=ClassSession.starts_at.type),
        )
        .options(
            contains_eager(ClassSession.course),
            contains_eager(ClassSession.venue),
            contains_eager(ClassSession.lottery_draw),
        )
        .order_by(ClassSession.starts_at, ClassSession.id)
    )
    if by_course:
        query = query.where(ClassSession.course_id == bindparam("course_id"))
    if by_device:
        query = query.where(Course.device_track.in_(bindparam("tracks", expanding=True)))
    if until:
        query = query.where(
            ClassSession.starts_at < bindparam("until", type_=ClassSession.starts_at.type)
        )
    return query


_class_session, _registration = ClassSession.__table__.c, Registration.__table__.c
#: the coordinator's list of the whole ward's upcoming classes (~150), read on every visit
#: to it: one prebuilt Core statement (no ORM compile step, its cache key made once), the
#: waiting count of each class a correlated count on
#: ix_registration_session_status_participant (covering; one probe per class) instead
#: of a second statement with an IN list of every class's id
_UPCOMING_LIST = (
    select(
        _class_session.id,
        _class_session.starts_at,
        _class_session.ends_at,
        Course.__table__.c.title.label("course_title"),
        Venue.__table__.c.name.label("venue_name"),
        _class_session.booking_mode,
        _class_session.capacity,
        (_class_session.capacity - _class_session.seats_taken).label("seats_left"),
        # waiting for a seat: waitlisted, or applied to a lottery not yet drawn
        # (registration.waiting_counts says the same for a list of classes)
        select(func.count())
        .where(
            _registration.session_id == _class_session.id,
            or_(
                _registration.status == RegistrationStatus.WAITLISTED,
                _registration.status == RegistrationStatus.APPLIED,
            ),
        )
        .scalar_subquery()
        .label("waiting"),
    )
    .select_from(
        ClassSession.__table__.join(
            Course.__table__, Course.__table__.c.id == _class_session.course_id
        ).join(Venue.__table__, Venue.__table__.c.id == _class_session.venue_id)
    )
    .where(
        _class_session.state == SessionState.SCHEDULED,
        _class_session.starts_at > bindparam("now", type_=_class_session.starts_at.type),
    )
    .order_by(_class_session.starts_at, _class_session.id)
)


def upcoming_list(db: Session, *, now: datetime | None = None) -> list:
    """upcoming_sessions as rows of what a list of them shows — id, starts_at, ends_at,
    course_title, venue_name, booking_mode, capacity, seats_left, waiting (how many wait
    for a seat) — in one statement and without objects."""
    return db.connection().execute(_UPCOMING_LIST, {"now": now or utcnow()}).all()
