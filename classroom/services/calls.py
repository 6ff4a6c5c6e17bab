"""The coordinators' "to call" list: promotions, cancellations, lottery results, reminders.

Reminders are call tasks like the others (reason REMINDER), so that ticking "informed"
works the same for all of them. `tomorrows_reminders` adds them: it is idempotent —
one reminder per registration, ever, even after it was ticked — and the office calls
it whenever the list is shown, so nobody has to remember to press a button.

The list has one row per person and class (`call_rows`): a resident who won tomorrow's
lottery and is due tomorrow's reminder is one phone call, so one row with both reasons
and one "informed" that ticks both (issue 16: two rows, two ticks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..models import (
    CallReason,
    CallTask,
    ClassSession,
    Participant,
    Registration,
    RegistrationStatus,
    SessionState,
    utcnow,
)
from ..settings import ward_zone
from . import audit
from .actor import Actor
from .errors import NotFound


def _still_worth_a_call(now: datetime):
    """A reminder is dropped from the list once it no longer holds: the registration was
    cancelled, the class was cancelled, or the class has started."""
    return or_(
        CallTask.reason != CallReason.REMINDER,
        and_(
            Registration.status == RegistrationStatus.CONFIRMED,
            ClassSession.state == SessionState.SCHEDULED,
            ClassSession.starts_at > now,
        ),
    )


def open_calls(db: Session, now: datetime | None = None) -> list[CallTask]:
    """Calls not yet made, oldest first; reminders that no longer hold are left out."""
    now = now or utcnow()
    return list(
        db.scalars(
            select(CallTask)
            .join(ClassSession, ClassSession.id == CallTask.session_id)
            .outerjoin(Registration, Registration.id == CallTask.registration_id)
            .where(CallTask.informed_at.is_(None), _still_worth_a_call(now))
            .options(
                selectinload(CallTask.participant),
                selectinload(CallTask.session).selectinload(ClassSession.course),
                selectinload(CallTask.session).selectinload(ClassSession.venue),
            )
            .order_by(CallTask.created_at, CallTask.id)
        )
    )


@dataclass(frozen=True)
class CallRow:
    """One person and one class on the list, with every open call about it, oldest first."""

    calls: tuple[CallTask, ...]

    @property
    def id(self) -> int:
        """The call the row's "informed" posts to; the others go with it (`others`)."""
        return self.calls[0].id

    @property
    def others(self) -> list[int]:
        return [c.id for c in self.calls[1:]]

    @property
    def participant(self) -> Participant:
        return self.calls[0].participant

    @property
    def session(self) -> ClassSession:
        return self.calls[0].session

    @property
    def reasons(self) -> list[CallReason]:
        """Why to call, news first and the reminder last, each once."""
        reasons = dict.fromkeys(c.reason for c in self.calls)
        return sorted(reasons, key=lambda r: r == CallReason.REMINDER)

    @property
    def reminder_only(self) -> bool:
        return self.reasons == [CallReason.REMINDER]


def call_rows(calls: Iterable[CallTask]) -> list[CallRow]:
    """The calls as the list shows them: one row per person and class, in the order of
    each row's oldest call."""
    grouped: dict[tuple[int, int], list[CallTask]] = {}
    for call in calls:
        grouped.setdefault((call.participant_id, call.session_id), []).append(call)
    return [CallRow(tuple(group)) for group in grouped.values()]


def tomorrow_in_utc(now: datetime, timezone: str | None = None) -> tuple[datetime, datetime]:
    """The start and end of tomorrow in the ward's time zone, as UTC-comparable datetimes."""
    zone = ZoneInfo(timezone) if timezone else ward_zone()
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tzinfo=zone)
    return start, datetime.combine(tomorrow + timedelta(days=1), time(0), tzinfo=zone)


def tomorrows_reminders(
    db: Session, now: datetime, *, timezone: str | None = None
) -> list[CallTask]:
    """Add a REMINDER call for each confirmed registration of tomorrow's scheduled classes
    (tomorrow in `timezone`, else the ward's) that never had one; return the calls added
    (idempotent)."""
    start, end = tomorrow_in_utc(now, timezone)
    already_reminded = select(CallTask.registration_id).where(
        CallTask.reason == CallReason.REMINDER, CallTask.registration_id.is_not(None)
    )
    due = db.execute(
        select(Registration.id, Registration.participant_id, Registration.session_id)
        .join(ClassSession, ClassSession.id == Registration.session_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            ClassSession.state == SessionState.SCHEDULED,
            ClassSession.starts_at >= start,
            ClassSession.starts_at < end,
            Registration.status == RegistrationStatus.CONFIRMED,
            Participant.erased_at.is_(None),
            Registration.id.not_in(already_reminded),
        )
        .order_by(ClassSession.starts_at, Registration.id)
    ).all()
    added = [
        CallTask(
            participant_id=participant_id,
            session_id=session_id,
            registration_id=registration_id,
            reason=CallReason.REMINDER,
            created_at=now,
        )
        for registration_id, participant_id, session_id in due
    ]
    if not added:
        return []
    try:
        with db.begin_nested():
            db.add_all(added)
            db.flush()
    except IntegrityError:
        # another coordinator's page added the same reminders at the same moment
        return []
    return added


def mark_informed(
    db: Session,
    call_id: int,
    *,
    actor: Actor,
    now: datetime | None = None,
    together: Iterable[int] = (),
) -> CallTask:
    """Tick a call as made, with the calls `together` that its row showed (the same person
    and class; others are left alone); each is audited. Ticking twice keeps the first time.

    Only the calls the coordinator saw are ticked: news about the same class that came in
    after the list was shown stays on it."""
    call = db.get(CallTask, call_id)
    if call is None:
        raise NotFound(field="call_id")
    same_row = [call]
    if wanted := set(together) - {call.id}:
        same_row += db.scalars(
            select(CallTask)
            .where(
                CallTask.id.in_(wanted),
                CallTask.participant_id == call.participant_id,
                CallTask.session_id == call.session_id,
            )
            .order_by(CallTask.id)
        )
    now = now or utcnow()
    for made in same_row:
        if made.informed_at is not None:
            continue
        made.informed_at = now
        made.informed_by_id = actor.user_id
        db.flush()
        audit.record(
            db,
            actor,
            "call.informed",
            participant_id=made.participant_id,
            subject_type="call_task",
            subject_id=made.id,
        )
    return call
