"""Registering, cancelling, waitlists and lotteries: the seat rules, in one place.

Seat safety on both engines: every change to a session's seats first locks the
session row (SELECT ... FOR UPDATE on PostgreSQL; SQLite write transactions begin
IMMEDIATE, see classroom.db), and a seat is taken only by the guarded
``UPDATE ... SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity``, checked
by its rowcount. A CHECK constraint backs it: seats_taken never exceeds capacity.

A booking into an open first-come class (the burst when a class opens) takes the short
way, `_book_open_class` (issue 21): the guarded UPDATE of the class's one row is the lock
and the seat (or, when full, a second one the next waitlist number), then one INSERT ...
ON CONFLICT DO NOTHING RETURNING of the registration; on PostgreSQL the same statement
writes the audit row and the resident's activity and counts the waitlist position, so the
row stays locked for 2-3 round trips and the commit (14 before); on SQLite, where the
whole write transaction is the lock, they are single prebuilt statements (7 in all, 19
before). Anything else (a clash on the idempotency key, the same person twice, a random
code taken, a lottery, a closed or missing class) gives back that one UPDATE and goes
the full way below, which decides and explains.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Integer,
    Interval,
    and_,
    bindparam,
    case,
    column,
    exists,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from languages import N_

from ..db import COMMIT_WITHOUT_WAITING, answer_after_flush, commit_waits_itself
from ..models import (
    ACTIVE_STATUSES,
    AuditEvent,
    BookingMode,
    CallReason,
    CallTask,
    ClassSession,
    LotteryDraw,
    Participant,
    Registration,
    RegistrationStatus,
    Role,
    SessionState,
    Source,
    User,
    utcnow,
)
from . import audit
from .actor import Actor
from .codes import new_qr_token, new_reservation_code
from .errors import (
    AlreadyRegistered,
    IdempotencyKeyReused,
    LotteryAlreadyDrawn,
    LotteryClosed,
    LotteryStillOpen,
    Msg,
    NotALottery,
    NotFound,
    SessionNotOpen,
    UndoRefused,
)

_CODE_ATTEMPTS = 5
#: how long after a cancel the office may undo it (issue 16: a mis-click is noticed at once)
UNDO_WINDOW = timedelta(minutes=30)
#: who may undo a cancel: the office (coordinators, and admins standing in for them)
UNDO_ROLES = (Role.COORDINATOR, Role.ADMIN)


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    #: False when an earlier request with the same idempotency key made it
    created: bool
    status: RegistrationStatus
    #: 1-based waitlist position, None unless waitlisted
    position: int | None


@dataclass(frozen=True)
class CancelResult:
    registration: Registration
    #: the waitlisted registration that got the freed seat, if any
    promoted: Registration | None


def lock_session(db: Session, session_id: int) -> ClassSession:
    """The session, locked against concurrent seat changes until the transaction ends."""
    session = db.execute(
        select(ClassSession).where(ClassSession.id == session_id).with_for_update()
    ).scalar_one_or_none()
    if session is None:
        raise NotFound(field="session_id")
    db.refresh(session)  # counters may have moved while we waited for the lock
    return session


def waitlist_position(db: Session, registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        db.connection()
        .execute(
            _WAITLIST_POSITION,
            {"session_id": registration.session_id, "seq": registration.waitlist_seq},
        )
        .scalar()
    )


_registrations = Registration.__table__.c
_WAITLIST_POSITION = select(func.count(_registrations.id)).where(
    _registrations.session_id == bindparam("session_id"),
    _registrations.status == RegistrationStatus.WAITLISTED,
    _registrations.waitlist_seq <= bindparam("seq"),
)


def waiting_counts(db: Session, session_ids: list[int]) -> dict[int, int]:
    """How many wait for a seat (waitlisted, or applied to a lottery not yet drawn), by
    class; classes nobody waits for are left out."""
    if not session_ids:
        return {}
    rows = db.execute(
        select(Registration.session_id, func.count(Registration.id))
        .where(
            Registration.session_id.in_(session_ids),
            Registration.status.in_([RegistrationStatus.WAITLISTED, RegistrationStatus.APPLIED]),
        )
        .group_by(Registration.session_id)
    )
    return dict(rows.all())


def held_by(
    db: Session, participant_id: int, session_ids: list[int]
) -> dict[int, RegistrationStatus]:
    """The classes among `session_ids` where the resident holds (or waits for) a place."""
    if not session_ids:
        return {}
    rows = db.execute(
        select(Registration.session_id, Registration.status).where(
            Registration.participant_id == participant_id,
            Registration.session_id.in_(session_ids),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    return dict(rows.all())


def _result(db: Session, registration: Registration, created: bool) -> RegistrationResult:
    return RegistrationResult(
        registration=registration,
        created=created,
        status=registration.status,
        position=waitlist_position(db, registration),
    )


def _by_idempotency_key(db: Session, key: str) -> Registration | None:
    return db.scalar(select(Registration).where(Registration.idempotency_key == key))


def _active_registration(db: Session, session_id: int, participant_id: int) -> Registration | None:
    return db.scalar(
        select(Registration).where(
            Registration.session_id == session_id,
            Registration.participant_id == participant_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def _replay(db: Session, existing: Registration, session_id: int, participant_id: int):
    if existing.session_id != session_id or existing.participant_id != participant_id:
        raise IdempotencyKeyReused(field="idempotency_key")
    return _result(db, existing, created=False)


def _ensure_open(session: ClassSession, now: datetime) -> None:
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    if session.state == SessionState.HELD or session.starts_at <= now:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("already started")))


def _lottery_drawn(db: Session, session_id: int) -> bool:
    return db.scalar(select(LotteryDraw.id).where(LotteryDraw.session_id == session_id)) is not None


def _take_seat(db: Session, session_id: int) -> bool:
    taken = db.execute(
        update(ClassSession)
        .where(ClassSession.id == session_id, ClassSession.seats_taken < ClassSession.capacity)
        .values(seats_taken=ClassSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def _next_waitlist_seq(db: Session, session_id: int) -> int:
    db.execute(
        update(ClassSession)
        .where(ClassSession.id == session_id)
        .values(waitlist_seq=ClassSession.waitlist_seq + 1)
        .execution_options(synchronize_session=False)
    )
    return db.scalar(select(ClassSession.waitlist_seq).where(ClassSession.id == session_id))


def _insert_registration(db: Session, **values) -> Registration:
    """Insert with a fresh code; a clash of random codes is retried, other clashes raise."""
    for _attempt in range(_CODE_ATTEMPTS):
        code = new_reservation_code()
        if db.scalar(select(Registration.id).where(Registration.code == code)) is None:
            break
    registration = Registration(code=code, qr_token=new_qr_token(), **values)
    db.add(registration)
    db.flush()
    return registration


#: a kiosk booking's first statement: on the connection, not through the ORM's execute
_HOLD_KEY = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


def hold_idempotency_key(db: Session, key: str) -> None:
    """Requests with this key wait for each other until this transaction ends.

    A kiosk resends a booking whose answer it did not get while the first attempt may
    still be running; without this the resend, on PostgreSQL, would make its own new
    resident before the first commits and be refused as another person's key.
    SQLite write transactions are serialized already (BEGIN IMMEDIATE).
    """
    if db.get_bind().dialect.name == "postgresql":
        db.connection().execute(_HOLD_KEY, {"key": key})


def register(
    db: Session,
    *,
    session_id: int,
    participant_id: int,
    source: Source,
    actor: Actor,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Confirm a seat, or waitlist with a position, or apply for the lottery; never overbook.

    The same idempotency key twice returns the first result and creates nothing.
    """
    now = now or utcnow()
    # answered only for what is on disk: a booking others queue behind commits without
    # waiting for it (the class's row goes at once), and a replay may answer for a twin's
    # booking committed so (classroom/db.py); a commit that waits itself unmarks this
    answer_after_flush(db)
    if not _participant_exists(db, participant_id):
        raise NotFound(field="participant_id")
    values = _registration_values(session_id, participant_id, source, actor, idempotency_key, now)
    if (booked := _book_open_class(db, values, actor, now)) is not None:
        return booked
    if idempotency_key and (existing := _by_idempotency_key(db, idempotency_key)):
        return _replay(db, existing, session_id, participant_id)
    try:
        with db.begin_nested():
            session = lock_session(db, session_id)
            # a twin request may have finished while we waited for the lock
            if idempotency_key and (existing := _by_idempotency_key(db, idempotency_key)):
                return _replay(db, existing, session_id, participant_id)
            _ensure_open(session, now)
            if active := _active_registration(db, session_id, participant_id):
                raise AlreadyRegistered(field="participant_id", status=Msg(active.status.label))
            if session.booking_mode == BookingMode.LOTTERY and not _lottery_drawn(db, session_id):
                if now >= session.application_deadline:
                    raise LotteryClosed(field="session_id", deadline=session.application_deadline)
                values.update(status=RegistrationStatus.APPLIED)
            elif _take_seat(db, session_id):
                values.update(status=RegistrationStatus.CONFIRMED, confirmed_at=now)
            else:
                values.update(
                    status=RegistrationStatus.WAITLISTED,
                    waitlist_seq=_next_waitlist_seq(db, session_id),
                )
            registration = _insert_registration(db, **values)
    except IntegrityError:
        # a concurrent twin (same key) or the same person at once: answer as if serial
        if idempotency_key and (existing := _by_idempotency_key(db, idempotency_key)):
            return _replay(db, existing, session_id, participant_id)
        if active := _active_registration(db, session_id, participant_id):
            raise AlreadyRegistered(
                field="participant_id", status=Msg(active.status.label)
            ) from None
        raise
    _booked(db, actor, registration, now)
    commit_waits_itself(db)  # it wrote: its own commit waits for the disk
    return _result(db, registration, created=True)


def _registration_values(
    session_id: int,
    participant_id: int,
    source: Source,
    actor: Actor,
    idempotency_key: str | None,
    now: datetime,
) -> dict:
    return dict(
        session_id=session_id,
        participant_id=participant_id,
        source=source,
        entered_by_id=actor.user_id,
        entered_via=actor.kind.removeprefix("kiosk:") if actor.kind.startswith("kiosk:") else "",
        idempotency_key=idempotency_key,
        created_at=now,
    )


def _booked(db: Session, actor: Actor, registration: Registration, now: datetime) -> None:
    """What every new registration leaves behind: the resident's activity, the audit row
    (one statement each, nothing left for the commit's flush)."""
    db.connection().execute(
        _TOUCH_PARTICIPANT, {"participant_id": registration.participant_id, "now": now}
    )
    _touched(db, registration.participant_id, now)
    audit.append(
        db,
        actor,
        "registration.create",
        participant_id=registration.participant_id,
        subject_type="registration",
        subject_id=registration.id,
        details=_trail_details(registration),
    )


def _trail_details(registration) -> dict:
    return {"session_id": registration.session_id, "status": registration.status.value}


def _touched(db: Session, participant_id: int, now: datetime) -> None:
    """The resident's object in this unit of work, if loaded, shows the activity too."""
    if (participant := db.identity_map.get(identity_key(Participant, participant_id))) is not None:
        set_committed_value(participant, "last_activity_at", now)


def _participant_exists(db: Session, participant_id: int) -> bool:
    """Known to this unit of work already (the kiosk's resident), or one indexed look-up."""
    if identity_key(Participant, participant_id) in db.identity_map:
        return True
    return db.connection().execute(_PARTICIPANT_EXISTS, {"id": participant_id}).first() is not None


# The short way's statements, built once: a booking burst must not pay for building them.
_people = Participant.__table__
_PARTICIPANT_EXISTS = select(_people.c.id).where(_people.c.id == bindparam("id"))
_TOUCH_PARTICIPANT = (
    update(_people)
    .where(_people.c.id == bindparam("participant_id"))
    .values(last_activity_at=bindparam("now"))
)
_sessions = ClassSession.__table__.c
_OPEN_FIRST_COME = (
    _sessions.id == bindparam("session_id"),
    _sessions.state.not_in([SessionState.CANCELLED, SessionState.HELD]),
    _sessions.starts_at > bindparam("now"),
    _sessions.booking_mode != BookingMode.LOTTERY,
)
_TAKE_SEAT = (
    update(ClassSession.__table__)
    .where(*_OPEN_FIRST_COME, _sessions.seats_taken < _sessions.capacity)
    .values(seats_taken=_sessions.seats_taken + 1)
)
_TAKE_WAITLIST_NUMBER = (
    update(ClassSession.__table__)
    .where(*_OPEN_FIRST_COME, _sessions.seats_taken >= _sessions.capacity)
    .values(waitlist_seq=_sessions.waitlist_seq + 1)
    .returning(_sessions.waitlist_seq)
)
_GIVE_BACK = {
    column: update(ClassSession.__table__)
    .where(_sessions.id == bindparam("session_id"))
    .values({column: _sessions[column] - 1})
    for column in ("seats_taken", "waitlist_seq")
}
_INSERT_COLUMNS = (
    "session_id",
    "participant_id",
    "source",
    "entered_by_id",
    "entered_via",
    "idempotency_key",
    "created_at",
    "status",
    "confirmed_at",
    "waitlist_seq",
    "code",
    "qr_token",
)
#: every other column with a default gets it as a constant (a statement nested in a CTE
#: gets no Python-side default); a callable default must be one of the columns above
_INSERT_VALUES = {c: bindparam(f"new_{c}") for c in _INSERT_COLUMNS} | {
    c.name: literal(c.default.arg, c.type)
    for c in Registration.__table__.c
    if c.name not in _INSERT_COLUMNS and c.default is not None and c.default.is_scalar
}
_INSERT_IF_FREE = (
    sqlite.insert(Registration.__table__)
    .values(_INSERT_VALUES)
    .on_conflict_do_nothing()
    .returning(*Registration.__table__.c)
)
#: the registration's object from it; built once, as `_BOOKED_PG`, for its cache key
_INSERTED_IF_FREE = select(Registration).from_statement(_INSERT_IF_FREE)


def _book_pg():
    """PostgreSQL: the whole short way of a booking in one statement (data-modifying
    CTEs), so that the class's row is locked for one round trip and its commit: a seat
    (the guarded UPDATE of the class's counter), else the next waitlist number (only when
    no seat was taken: its condition is evaluated once, before its UPDATE reads the row);
    the registration unless a unique rule holds a row already, and only then the
    resident's activity and the audit row; the new place's waitlist position. When others
    queued on the row (the statement ran for `contended_after` or longer, its wait for
    the lock included), it also asks for a commit that does not wait for the disk (see
    `answer_after_flush`).

    One row when a place was taken: the place, and the registration's columns (NULL when
    a unique rule refused it: the caller gives the place back); no row when the class is
    not an open first-come one (nothing changed)."""
    registrations, events, sessions = Registration.__table__, AuditEvent.__table__, _sessions
    seat = (
        update(ClassSession.__table__)
        .where(*_OPEN_FIRST_COME, sessions.seats_taken < sessions.capacity)
        .values(seats_taken=sessions.seats_taken + 1)
        .returning(sessions.id)
        .cte("seat")
    )
    wait = (
        update(ClassSession.__table__)
        .where(
            *_OPEN_FIRST_COME,
            sessions.seats_taken >= sessions.capacity,
            ~exists(select(seat.c.id)),
        )
        .values(waitlist_seq=sessions.waitlist_seq + 1)
        .returning(sessions.waitlist_seq)
        .cte("wait")
    )
    status_type = registrations.c.status.type
    place = union_all(
        select(
            literal(RegistrationStatus.CONFIRMED, status_type).label("status"),
            bindparam("now", type_=registrations.c.confirmed_at.type).label("confirmed_at"),
            null().cast(Integer).label("waitlist_seq"),
        ).select_from(seat),
        select(
            literal(RegistrationStatus.WAITLISTED, status_type),
            null().cast(registrations.c.confirmed_at.type),
            wait.c.waitlist_seq,
        ),
    ).cte("place")
    from_place = {"status", "confirmed_at", "waitlist_seq"}
    new = (
        postgresql.insert(registrations)
        .from_select(
            list(_INSERT_VALUES),
            select(
                *(place.c[c] if c in from_place else value for c, value in _INSERT_VALUES.items())
            ).select_from(place),
        )
        .on_conflict_do_nothing()
        .returning(*registrations.c)
        .cte("new")
    )
    touch = (
        update(_people)
        .where(_people.c.id == new.c.participant_id)
        .values(last_activity_at=bindparam("audit_now"))
        .cte("touch")
    )
    trail_columns = ("at", "actor_id", "actor_kind", "remote_addr")
    trail = (
        events.insert()
        .from_select(
            [*trail_columns, "details", "action", "participant_id", "subject_type", "subject_id"],
            select(
                *(bindparam(f"audit_{c}", type_=events.c[c].type) for c in trail_columns),
                # what `_trail_details` writes: the status is the place the statement took
                func.json_build_object(
                    literal("session_id"), new.c.session_id, literal("status"), new.c.status
                ),
                literal("registration.create"),
                new.c.participant_id,
                literal("registration"),
                new.c.id,
            ),
            include_defaults=False,
        )
        .cte("trail")
    )
    # counted once the statement holds the class's row, by a query that sees everyone
    # who booked while it waited (models/registrations.py WAITLIST_AHEAD_SQL)
    position = case(
        (
            new.c.status == RegistrationStatus.WAITLISTED.value,
            func.waitlist_ahead(new.c.session_id, new.c.waitlist_seq) + 1,
        )
    )
    # evaluated for the row once the places are taken; only for a registration made
    waited = func.clock_timestamp() - func.statement_timestamp()
    not_waiting = case(
        (
            and_(new.c.id.is_not(None), waited >= bindparam("contended_after", type_=Interval)),
            literal_column(COMMIT_WITHOUT_WAITING),
        )
    )
    return (
        select(
            *new.c,
            position.label("position"),
            place.c.waitlist_seq.label("place_waitlist_seq"),
            not_waiting.label("commit_without_waiting"),
        )
        .select_from(place.outerjoin(new, true()))
        .add_cte(touch, trail)
    )


_BOOK_PG = _book_pg()
#: what it answers, as the registration's object and three values; built once, so that its
#: cache key (a walk over the whole statement) is computed once, not on every booking
_BOOKED_PG = select(
    Registration,
    column("position"),
    column("place_waitlist_seq"),
    column("commit_without_waiting"),
).from_statement(_BOOK_PG)
#: a booking statement that ran this long waited for the class's row: others book it too
CONTENDED_S = 0.002


def _claim_place(db: Session, session_id: int, now: datetime) -> dict | None:
    """SQLite: a seat, else the next waitlist number, of an open first-come class (see
    `_ensure_open`), each by one guarded UPDATE of its row; None, with nothing changed,
    when the class is not one (the full rules then decide). The write transaction is
    the lock here (BEGIN IMMEDIATE)."""
    conn = db.connection()
    params = {"session_id": session_id, "now": now}
    if conn.execute(_TAKE_SEAT, params).rowcount == 1:
        return dict(status=RegistrationStatus.CONFIRMED, confirmed_at=now, waitlist_seq=None)
    if (seq := conn.execute(_TAKE_WAITLIST_NUMBER, params).scalar()) is not None:
        return dict(status=RegistrationStatus.WAITLISTED, confirmed_at=None, waitlist_seq=seq)
    return None


def _book_open_class(
    db: Session, values: dict, actor: Actor, now: datetime
) -> RegistrationResult | None:
    """The short way of `register`: claim the place, then insert the registration unless
    any unique rule (idempotency key, one active registration per person, code, QR
    token) already holds a row; None when it cannot be taken this way, with the place
    given back (the row is still ours: nobody moved it since)."""
    db.flush()  # what the caller left pending is written before the lock, not under it
    codes = {"code": new_reservation_code(), "qr_token": new_qr_token()}
    if db.get_bind().dialect.name == "postgresql":
        registration, position, place = _book_open_class_pg(db, values | codes, actor, now)
        if place is None:
            return None
    else:
        place = _claim_place(db, values["session_id"], now)
        if place is None:
            return None
        # named apart from every column, as the PostgreSQL statement's are
        params = {f"new_{c}": v for c, v in (values | place | codes).items()}
        registration = db.scalar(_INSERTED_IF_FREE, params)
        if registration is not None:
            _booked(db, actor, registration, now)
            position = waitlist_position(db, registration)
    if registration is None:
        taken = "waitlist_seq" if place["waitlist_seq"] is not None else "seats_taken"
        db.connection().execute(_GIVE_BACK[taken], {"session_id": values["session_id"]})
        return None
    return RegistrationResult(
        registration=registration,
        created=True,
        status=registration.status,
        position=position if registration.status == RegistrationStatus.WAITLISTED else None,
    )


def _book_open_class_pg(
    db: Session, values: dict, actor: Actor, now: datetime
) -> tuple[Registration | None, int | None, dict | None]:
    """`_BOOK_PG`: (the registration or None, its waitlist position, the place taken or
    None when the class is not an open first-come one)."""
    # named apart from every column: a key named like a column would become a SET of the
    # resident's UPDATE in the statement
    params = {f"new_{c}": v for c, v in values.items()} | {
        "session_id": values["session_id"],
        "now": now,
        "contended_after": timedelta(seconds=CONTENDED_S),
        "audit_now": now,
        "audit_at": utcnow(),
        "audit_actor_id": actor.user_id,
        "audit_actor_kind": actor.kind,
        "audit_remote_addr": actor.remote_addr,
    }
    row = db.execute(_BOOKED_PG, params).first()
    if row is None:
        return None, None, None
    registration, position, waitlist_seq, not_waiting = row
    if registration is not None:
        _touched(db, registration.participant_id, now)
        if not_waiting is None:
            commit_waits_itself(db)  # nobody queued: its commit waits for the disk itself
    return registration, position, {"waitlist_seq": waitlist_seq}


def _first_waitlisted(db: Session, session_id: int) -> Registration | None:
    return db.scalar(
        select(Registration)
        .where(
            Registration.session_id == session_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.waitlist_seq)
        .limit(1)
    )


def _open_call(db: Session, registration: Registration, reason: CallReason, now: datetime) -> None:
    db.add(
        CallTask(
            participant_id=registration.participant_id,
            session_id=registration.session_id,
            registration_id=registration.id,
            reason=reason,
            created_at=now,
        )
    )


def _promote(db: Session, registration: Registration, now: datetime) -> None:
    """A waitlisted registration takes a seat (already counted) and goes on the call list."""
    registration.status = RegistrationStatus.CONFIRMED
    registration.waitlist_seq = None
    registration.confirmed_at = now
    _open_call(db, registration, CallReason.PROMOTED, now)


def promote_waitlist(db: Session, session_id: int, now: datetime) -> list[Registration]:
    """Fill the seats a class has free from its waitlist, first in line first (the class
    is locked by the caller: `lock_session`); each one promoted goes on the call list."""
    promoted = []
    while (first := _first_waitlisted(db, session_id)) is not None and _take_seat(db, session_id):
        _promote(db, first, now)
        db.flush()
        promoted.append(first)
    return promoted


def cancel_registration(
    db: Session, registration_id: int, *, actor: Actor, now: datetime | None = None
) -> CancelResult:
    """Cancel; a freed seat goes to the first waitlisted person in the same transaction.

    Cancelling twice changes nothing the second time.
    """
    now = now or utcnow()
    registration = db.get(Registration, registration_id)
    if registration is None:
        raise NotFound(field="registration_id")
    session = lock_session(db, registration.session_id)
    db.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return CancelResult(registration, promoted=None)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    before = {"status": registration.status.value, "waitlist_seq": registration.waitlist_seq}
    registration.status = RegistrationStatus.CANCELLED
    registration.waitlist_seq = None
    registration.cancelled_at = now
    registration.cancelled_by_id = actor.user_id
    db.flush()
    promoted = None
    if was_confirmed:
        promoted = (
            _first_waitlisted(db, session.id) if session.state == SessionState.SCHEDULED else None
        )
        if promoted is not None:
            _promote(db, promoted, now)
        else:
            db.execute(
                update(ClassSession)
                .where(ClassSession.id == session.id)
                .values(seats_taken=ClassSession.seats_taken - 1)
                .execution_options(synchronize_session=False)
            )
    db.flush()
    audit.record(
        db,
        actor,
        "registration.cancel",
        participant_id=registration.participant_id,
        subject_type="registration",
        subject_id=registration.id,
        # what it was, so that undo_cancel can put it back
        details={"promoted_registration_id": promoted.id if promoted else None, **before},
    )
    return CancelResult(registration, promoted=promoted)


def _last_cancel(db: Session, registration_id: int) -> AuditEvent | None:
    return db.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.action == "registration.cancel",
            AuditEvent.subject_type == "registration",
            AuditEvent.subject_id == registration_id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def _promoted_since(db: Session, session_id: int, since: datetime) -> bool:
    """Someone moved up from this class's waitlist at or after `since` (every promotion
    opens a PROMOTED call, in the same transaction)."""
    return (
        db.scalar(
            select(CallTask.id)
            .where(
                CallTask.session_id == session_id,
                CallTask.reason == CallReason.PROMOTED,
                CallTask.created_at >= since,
            )
            .limit(1)
        )
        is not None
    )


def undoable(registration: Registration, now: datetime | None = None) -> bool:
    """Whether the office may still try to undo this cancel (its time window is open)."""
    now = now or utcnow()
    return (
        registration.status == RegistrationStatus.CANCELLED
        and registration.cancelled_at is not None
        and now - registration.cancelled_at <= UNDO_WINDOW
    )


def undo_cancel(
    db: Session, registration_id: int, *, actor: Actor, now: datetime | None = None
) -> Registration:
    """Put a cancelled registration back as it was, if no one has taken its place since.

    A confirmed seat comes back confirmed with its code, taken by the guarded update (so
    never overbooked), and only when nobody waits for a seat and the cancel promoted no
    one; a waitlisted one gets back its place in the queue (its old sequence number)
    unless someone has moved up since; a lottery application comes back until the draw.
    Only office staff, within UNDO_WINDOW of the cancel, and only a single cancel (not a
    whole class's). Anything else is refused, with what to do instead, and changes nothing.
    """
    now = now or utcnow()
    staff = db.get(User, actor.user_id) if actor.user_id is not None else None
    if staff is None or staff.role not in UNDO_ROLES:
        raise UndoRefused(reason=Msg(N_("only the office can undo a cancellation")))
    registration = db.get(Registration, registration_id)
    if registration is None:
        raise NotFound(field="registration_id")
    session = lock_session(db, registration.session_id)
    db.refresh(registration)
    if registration.status != RegistrationStatus.CANCELLED:
        raise UndoRefused(reason=Msg(N_("it is not cancelled")))
    if not undoable(registration, now):
        raise UndoRefused(reason=Msg(N_("it was cancelled more than 30 minutes ago")))
    cancel = _last_cancel(db, registration.id)
    if cancel is None or "status" not in (cancel.details or {}):
        raise UndoRefused(reason=Msg(N_("it was cancelled with its class")))
    try:
        _ensure_open(session, now)
    except SessionNotOpen as error:
        raise UndoRefused(reason=error.params["reason"]) from None
    if _active_registration(db, session.id, registration.participant_id) is not None:
        raise UndoRefused(reason=Msg(N_("this person is registered for the class again")))
    before = RegistrationStatus(cancel.details["status"])
    if before == RegistrationStatus.CONFIRMED:
        if cancel.details.get("promoted_registration_id") is not None:
            raise UndoRefused(reason=Msg(N_("the seat went to the next person on the waitlist")))
        if _first_waitlisted(db, session.id) is not None or not _take_seat(db, session.id):
            raise UndoRefused(reason=Msg(N_("someone else has booked the seat since")))
    elif before == RegistrationStatus.WAITLISTED:
        # someone moved up, or a seat came free that she would have been given
        if (
            _promoted_since(db, session.id, registration.cancelled_at)
            or session.seats_taken < session.capacity
        ):
            raise UndoRefused(reason=Msg(N_("the waitlist has moved since")))
        registration.waitlist_seq = cancel.details["waitlist_seq"]
    elif before == RegistrationStatus.APPLIED and _lottery_drawn(db, session.id):
        raise UndoRefused(reason=Msg(N_("the lottery has been drawn since")))
    cancelled_at = registration.cancelled_at
    registration.status = before
    registration.cancelled_at = None
    registration.cancelled_by_id = None
    db.flush()
    audit.record(
        db,
        actor,
        "registration.undo_cancel",
        participant_id=registration.participant_id,
        subject_type="registration",
        subject_id=registration.id,
        details={
            "status": before.value,
            "waitlist_seq": registration.waitlist_seq,
            "cancelled_at": cancelled_at.isoformat(),
        },
    )
    return registration


def lottery_order(application_ids: list[int], seed: str) -> list[int]:
    """The drawn order of applications: reproducible by anyone from the ids and the seed.

    Sort the ids, then shuffle them with Python's Mersenne Twister seeded with the
    string "tsunagu-lottery:<seed>" (random.Random(str) hashes it with SHA-512).
    """
    order = sorted(application_ids)
    random.Random(f"tsunagu-lottery:{seed}").shuffle(order)
    return order


def draw_lottery(
    db: Session,
    session_id: int,
    *,
    actor: Actor,
    seed: str | None = None,
    now: datetime | None = None,
) -> LotteryDraw:
    """Draw once, after the deadline: winners confirmed, the rest waitlisted in drawn order."""
    now = now or utcnow()
    session = lock_session(db, session_id)
    if session.booking_mode != BookingMode.LOTTERY:
        raise NotALottery(field="session_id")
    if previous := db.scalar(select(LotteryDraw).where(LotteryDraw.session_id == session_id)):
        raise LotteryAlreadyDrawn(field="session_id", seed=previous.seed)
    if now < session.application_deadline:
        raise LotteryStillOpen(field="session_id", deadline=session.application_deadline)
    seed = seed or secrets.token_hex(8)
    applications = {
        r.id: r
        for r in db.scalars(
            select(Registration).where(
                Registration.session_id == session_id,
                Registration.status == RegistrationStatus.APPLIED,
            )
        )
    }
    order = lottery_order(list(applications), seed)
    for registration_id in order:
        registration = applications[registration_id]
        if _take_seat(db, session_id):
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            _open_call(db, registration, CallReason.LOTTERY_WON, now)
        else:
            seq = _next_waitlist_seq(db, session_id)
            registration.status = RegistrationStatus.WAITLISTED
            registration.waitlist_seq = seq
            _open_call(db, registration, CallReason.LOTTERY_WAITLISTED, now)
        db.flush()
    draw = LotteryDraw(
        session_id=session_id,
        seed=seed,
        drawn_order=order,
        seats=session.capacity,
        drawn_at=now,
        drawn_by_id=actor.user_id,
    )
    db.add(draw)
    db.flush()
    audit.record(
        db,
        actor,
        "lottery.draw",
        subject_type="class_session",
        subject_id=session_id,
        details={"seed": seed, "applications": len(order)},
    )
    return draw


@dataclass(frozen=True)
class LotteryResult:
    draw: LotteryDraw
    #: registration ids that won a seat, in drawn order
    winners: list[int]
    #: registration ids put on the waitlist, in waitlist order (the rest of the drawn order)
    waitlist: list[int]


def lottery_result(db: Session, session_id: int) -> LotteryResult | None:
    """The draw as it fell, or None before it: the first `capacity` drawn won a seat.

    Before its draw a lottery session confirms nobody (applications take no seat), so
    the draw hands out all `capacity` seats in drawn order and waitlists the rest; the
    draw keeps that number, so raising the capacity later (promoting from the waitlist)
    leaves the drawn result as it was.
    """
    draw = db.scalar(select(LotteryDraw).where(LotteryDraw.session_id == session_id))
    if draw is None:
        return None
    # the seats there were at the draw: a class edited later keeps the result it drew
    seats = draw.seats if draw.seats is not None else db.get(ClassSession, session_id).capacity
    order = list(draw.drawn_order)
    return LotteryResult(draw=draw, winners=order[:seats], waitlist=order[seats:])
