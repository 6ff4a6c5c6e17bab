"""Checking people in: by slip code or QR token, by a tap on the roster, or as a walk-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, exists, literal_column, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from languages import N_

from ..models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    ClassSession,
    Need,
    Participant,
    Registration,
    RegistrationStatus,
    SessionState,
    utcnow,
)
from ..settings import ward_zone
from . import audit
from .actor import Actor
from .codes import normalize_code
from .errors import Msg, NotConfirmed, NotFound, SessionNotOpen, UnknownCode, WrongSession


@dataclass(frozen=True)
class CheckInResult:
    attendance: Attendance
    #: False when the person was already checked in (a second scan changes nothing)
    created: bool


def _registration_for(db: Session, typed: str) -> Registration | None:
    typed = typed.strip()
    code = normalize_code(typed)
    return db.scalar(
        select(Registration).where(or_(Registration.code == code, Registration.qr_token == typed))
    )


def _upsert(
    db: Session,
    *,
    session_id: int,
    participant_id: int,
    registration_id: int | None,
    status: AttendanceStatus,
    method: CheckInMethod,
    actor: Actor,
    now: datetime,
    keep_attended: bool,
) -> CheckInResult:
    existing = db.scalar(
        select(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    )
    if existing is not None:
        if keep_attended and existing.status.value in ATTENDED_STATUSES:
            return CheckInResult(existing, created=False)
        existing.status = status
        existing.method = method
        existing.marked_by_id = actor.user_id
        existing.marked_at = now
        db.flush()
        return CheckInResult(existing, created=False)
    attendance = Attendance(
        session_id=session_id,
        participant_id=participant_id,
        registration_id=registration_id,
        walk_in=registration_id is None,
        status=status,
        method=method,
        marked_by_id=actor.user_id,
        marked_at=now,
    )
    try:
        with db.begin_nested():
            db.add(attendance)
            db.flush()
    except IntegrityError:  # a second scanner beat us to it: same answer as a re-scan
        existing = db.scalar(
            select(Attendance).where(
                Attendance.session_id == session_id, Attendance.participant_id == participant_id
            )
        )
        return CheckInResult(existing, created=False)
    participant = db.get(Participant, participant_id)
    participant.last_activity_at = now
    return CheckInResult(attendance, created=True)


def _open_for_attendance(db: Session, session_id: int) -> ClassSession:
    session = db.get(ClassSession, session_id)
    if session is None:
        raise NotFound(field="session_id")
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    return session


def check_in(
    db: Session,
    *,
    session_id: int,
    code: str,
    actor: Actor,
    method: CheckInMethod | None = None,
    status: AttendanceStatus = AttendanceStatus.PRESENT,
    now: datetime | None = None,
) -> CheckInResult:
    """Check in the holder of a slip (code or QR token); scanning twice changes nothing.

    Unless told, the method is what matched: the slip's QR token (only a scanner reads
    it) is a scan, the six-character code is typed.
    """
    now = now or utcnow()
    _open_for_attendance(db, session_id)
    registration = _registration_for(db, code)
    if registration is not None and method is None:
        scanned = registration.qr_token == code.strip()
        method = CheckInMethod.SCAN if scanned else CheckInMethod.CODE
    if registration is None:
        raise UnknownCode(field="code", code=code.strip()[:20])
    if registration.session_id != session_id:
        other = registration.session
        raise WrongSession(
            field="code",
            course=other.course.title,
            when=other.starts_at.astimezone(ward_zone()).strftime("%Y-%m-%d %H:%M"),
            venue=other.venue.name,
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotConfirmed(field="code", status=Msg(registration.status.label))
    result = _upsert(
        db,
        session_id=session_id,
        participant_id=registration.participant_id,
        registration_id=registration.id,
        status=status,
        method=method,
        actor=actor,
        now=now,
        keep_attended=True,
    )
    if result.created:
        audit.record(
            db,
            actor,
            "attendance.check_in",
            participant_id=registration.participant_id,
            subject_type="attendance",
            subject_id=result.attendance.id,
        )
    return result


def mark_attendance(
    db: Session,
    *,
    session_id: int,
    participant_id: int,
    status: AttendanceStatus | str,
    actor: Actor,
    method: CheckInMethod = CheckInMethod.ROSTER,
    now: datetime | None = None,
) -> Attendance:
    """Set a participant's attendance; without a confirmed registration it is a walk-in."""
    now = now or utcnow()
    _open_for_attendance(db, session_id)
    if db.get(Participant, participant_id) is None:
        raise NotFound(field="participant_id")
    registration_id = db.scalar(
        select(Registration.id).where(
            Registration.session_id == session_id,
            Registration.participant_id == participant_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    if registration_id is None and method != CheckInMethod.IMPORT:
        method = CheckInMethod.WALK_IN
    result = _upsert(
        db,
        session_id=session_id,
        participant_id=participant_id,
        registration_id=registration_id,
        status=AttendanceStatus(status),
        method=method,
        actor=actor,
        now=now,
        keep_attended=False,
    )
    audit.record(
        db,
        actor,
        "attendance.mark",
        participant_id=participant_id,
        subject_type="attendance",
        subject_id=result.attendance.id,
        details={"status": AttendanceStatus(status).value},
    )
    return result.attendance


def undo_attendance(db: Session, *, session_id: int, participant_id: int, actor: Actor) -> bool:
    """Remove a mistaken check-in; True if there was one."""
    attendance = db.scalar(
        select(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    )
    if attendance is None:
        return False
    db.delete(attendance)
    db.flush()
    audit.record(
        db,
        actor,
        "attendance.undo",
        participant_id=participant_id,
        subject_type="class_session",
        subject_id=session_id,
    )
    return True


#: the needs a roster shows (a stored value no longer in Need is left out)
_NEEDS = {n.value for n in Need}


class RosterMark(NamedTuple):
    """A roster row's attendance: how the person was marked, and whether as a walk-in."""

    status: AttendanceStatus
    walk_in: bool


_registration, _attendance, _participant = (
    Registration.__table__.c,
    Attendance.__table__.c,
    Participant.__table__.c,
)


def _roster_part(person, code, part: int, seq, joined, *where):
    """One part of `_ROSTER`: what a roster row shows of a person (never the phone), read
    as columns — a roster of 60 on the instructor's page builds no Participant, Registration
    or Attendance objects — with the attendance if marked, and the part's order."""
    return (
        select(
            person,
            code,
            _participant.family_name,
            _participant.given_name,
            _participant.reading,
            _participant.device,
            _participant.needs,
            _attendance.status,
            _attendance.walk_in,
            literal_column(str(part)).label("part"),
            seq.label("seq"),
        )
        .select_from(joined.join(Participant.__table__, _participant.id == person))
        .where(*where)
    )


_confirmed_seat = (
    _registration.session_id == bindparam("session_id"),
    _registration.status == RegistrationStatus.CONFIRMED,
)
#: a class's roster in one prebuilt statement (its cache key made once): the confirmed seats
#: in the order they were booked, each with its attendance if marked (the unique (session,
#: person) index), then the walk-ins — attendance without a confirmed seat — in the order
#: they were marked
_ROSTER = union_all(
    _roster_part(
        _registration.participant_id,
        _registration.code,
        0,
        _registration.id,
        Registration.__table__.outerjoin(
            Attendance.__table__,
            (_attendance.session_id == _registration.session_id)
            & (_attendance.participant_id == _registration.participant_id),
        ),
        *_confirmed_seat,
    ),
    _roster_part(
        _attendance.participant_id,
        literal_column("''").label("code"),
        1,
        _attendance.id,
        Attendance.__table__,
        _attendance.session_id == bindparam("session_id"),
        ~exists().where(
            *_confirmed_seat, _registration.participant_id == _attendance.participant_id
        ),
    ),
).order_by("part", "seq")


def roster(db: Session, session_id: int) -> list[dict]:
    """Who is on a class's roster: everyone with a confirmed seat or an attendance row
    (walk-ins), sorted by kana — name, kana, device, needs, code, attendance (a
    `RosterMark`, or None); never the phone. The instructor's page, the lesson plan and
    `on_roster` all read it here."""
    db.flush()  # a Core statement: what this unit of work changed is read as the ORM would
    display_name = Participant.display_name.fget  # the same name the Participant shows
    rows = [
        {
            "id": p.participant_id,
            "name": display_name(p),
            "reading": p.reading,
            "device": p.device,
            "needs": [Need(n) for n in (p.needs or []) if n in _NEEDS],
            "code": p.code,
            "attendance": RosterMark(p.status, p.walk_in) if p.status is not None else None,
        }
        for p in db.connection().execute(_ROSTER, {"session_id": session_id})
    ]
    rows.sort(key=lambda r: r["reading"] or r["name"])
    return rows


def on_roster(db: Session, session_id: int, participant_id: int | None) -> bool:
    """True when the roster may mark this person: they are on this class's roster."""
    return participant_id is not None and any(
        row["id"] == participant_id for row in roster(db, session_id)
    )
