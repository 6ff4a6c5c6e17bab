"""Scheduling class sessions, cancelling them, and marking them held."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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
from .registration import lock_session
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
    errors: dict[str, DomainError] = {}
    now = now or utcnow()
    if not _in_window(starts_at, now):
        errors["date"] = _outside_window("date", now)
    if not _in_window(ends_at, now) and "date" not in errors:
        errors["ends_at"] = _outside_window("ends_at", now)
    if not _in_window(application_deadline, now):
        errors["application_deadline"] = _outside_window("application_deadline", now)
    if errors:
        raise InvalidInput(errors)
    course = db.get(Course, course_id)
    venue = db.get(Venue, venue_id)
    if course is None:
        errors["course_id"] = DomainError(N_("Please choose a course."), field="course_id")
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
    booking_mode = BookingMode(booking_mode)
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
    if errors:
        raise InvalidInput(errors)
    session = ClassSession(
        course=course,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        booking_mode=booking_mode,
        application_deadline=application_deadline,
        instructors=instructors,
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
    """Scheduled sessions that have not started, soonest first."""
    now = now or utcnow()
    query = (
        select(ClassSession)
        .join(ClassSession.course)
        .where(ClassSession.state == SessionState.SCHEDULED, ClassSession.starts_at > now)
        .options(
            selectinload(ClassSession.course),
            selectinload(ClassSession.venue),
            selectinload(ClassSession.lottery_draw),
        )
        .order_by(ClassSession.starts_at, ClassSession.id)
    )
    if course_id is not None:
        query = query.where(ClassSession.course_id == course_id)
    if device is not None:
        query = query.where(Course.device_track.in_([DeviceTrack(device), DeviceTrack.ANY]))
    if until is not None:
        query = query.where(ClassSession.starts_at < until)
    return list(db.scalars(query))
