"""A resident's rights under Japan's APPI: see everything held, correct it, erase it.

Erasing keeps every row, so the ward's counts survive: the participant row stays with
`erased_at` set and its personal values blanked; registrations and attendance stay as
anonymous rows; audit events stay, with any personal value in their details removed.
What the person learned (progress records, issue 17) is removed.
The retention period (TSUNAGU_RETENTION_DAYS) erases people who have not been active.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from languages import N_

from ..db import checkpoint_after_commit
from ..models import (
    Attendance,
    AuditEvent,
    CallTask,
    ClassSession,
    Participant,
    PhoneLoan,
    ProgressRecord,
    Registration,
    utcnow,
)
from . import audit
from .actor import Actor
from .errors import DomainError, NotFound

#: three years: the ward's usual keeping period for class rosters
DEFAULT_RETENTION_DAYS = 3 * 365
#: the participant's columns that hold personal data, with their erased value
PERSONAL_FIELDS = {
    "family_name": "",
    "given_name": "",
    "reading": "",
    "reading_key": "",
    "phone": "",
    "phone_digits": "",
    "birth_year": None,
    "note": "",
    "needs": [],
}
#: values shorter than this are not searched for in other rows (too many false matches)
_MIN_SEARCH_LENGTH = 2


class InvalidRetention(DomainError):
    message = N_(
        "TSUNAGU_RETENTION_DAYS must be a whole number of days, at least 1 (got %(value)s)."
    )


def retention_days(env: dict[str, str] | None = None) -> int:
    """TSUNAGU_RETENTION_DAYS, else three years."""
    value = (os.environ if env is None else env).get("TSUNAGU_RETENTION_DAYS", "").strip()
    if not value:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except ValueError:
        raise InvalidRetention(value=value) from None
    if days < 1:
        raise InvalidRetention(value=value)
    return days


# -- export --------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_resident(db: Session, participant_id: int, *, actor: Actor) -> dict:
    """Everything held about one resident, as plain data; the export is audited."""
    p = db.get(Participant, participant_id)
    if p is None or p.erased_at is not None:
        raise NotFound(field="participant_id")
    registrations = db.scalars(
        select(Registration)
        .where(Registration.participant_id == p.id)
        .options(
            selectinload(Registration.session).selectinload(ClassSession.course),
            selectinload(Registration.session).selectinload(ClassSession.venue),
        )
        .order_by(Registration.created_at, Registration.id)
    )
    attendances = db.scalars(
        select(Attendance).where(Attendance.participant_id == p.id).order_by(Attendance.marked_at)
    )
    calls = db.scalars(
        select(CallTask).where(CallTask.participant_id == p.id).order_by(CallTask.created_at)
    )
    loans = db.scalars(
        select(PhoneLoan).where(PhoneLoan.participant_id == p.id).order_by(PhoneLoan.lent_at)
    )
    progress = db.scalars(
        select(ProgressRecord)
        .where(ProgressRecord.participant_id == p.id)
        .order_by(ProgressRecord.marked_at, ProgressRecord.id)
    )
    data = {
        "participant": {
            "id": p.id,
            "family_name": p.family_name,
            "given_name": p.given_name,
            "reading": p.reading,
            "phone": p.phone,
            "birth_year": p.birth_year,
            "device": p.device.value,
            "needs": list(p.needs or []),
            "note": p.note,
            "consent_at": _iso(p.consent_at),
            "consent_method": p.consent_method,
            "source": p.source.value,
            "created_at": _iso(p.created_at),
            "last_activity_at": _iso(p.last_activity_at),
        },
        "registrations": [
            {
                "id": r.id,
                "session_id": r.session_id,
                "course": r.session.course.title,
                "venue": r.session.venue.name,
                "starts_at": _iso(r.session.starts_at),
                "status": r.status.value,
                "source": r.source.value,
                "code": r.code,
                "booked_by_family": r.booked_by_family,
                "contact_phone": r.contact_phone,
                "created_at": _iso(r.created_at),
                "confirmed_at": _iso(r.confirmed_at),
                "cancelled_at": _iso(r.cancelled_at),
            }
            for r in registrations
        ],
        "attendance": [
            {
                "session_id": a.session_id,
                "status": a.status.value,
                "walk_in": a.walk_in,
                "method": a.method.value,
                "marked_at": _iso(a.marked_at),
            }
            for a in attendances
        ],
        "calls": [
            {
                "session_id": c.session_id,
                "reason": c.reason.value,
                "created_at": _iso(c.created_at),
                "informed_at": _iso(c.informed_at),
                "note": c.note,
            }
            for c in calls
        ],
        "loans": [
            {
                "session_id": loan.session_id,
                "phone_label": loan.phone_label,
                "lent_at": _iso(loan.lent_at),
                "returned_at": _iso(loan.returned_at),
            }
            for loan in loans
        ],
        "progress": [
            {
                "item_id": record.item_id,
                "session_id": record.session_id,
                "marked_at": _iso(record.marked_at),
            }
            for record in progress
        ],
    }
    audit.record(
        db,
        actor,
        "participant.export",
        participant_id=p.id,
        subject_type="participant",
        subject_id=p.id,
    )
    return data


def export_rows(data: dict) -> list[list]:
    """The export as spreadsheet rows: one block per kind of record, each with its header."""
    rows: list[list] = [["participant"], ["field", "value"]]
    for key, value in data["participant"].items():
        rows.append([key, ", ".join(value) if isinstance(value, list) else value])
    for section in ("registrations", "attendance", "calls", "loans", "progress"):
        items = data[section]
        rows += [[], [section]]
        if items:
            rows.append(list(items[0]))
            rows += [list(item.values()) for item in items]
    return rows


# -- erase ---------------------------------------------------------------------------


def _personal_values(p: Participant) -> list[str]:
    values = {
        p.family_name,
        p.given_name,
        p.reading,
        p.reading_key,
        p.phone,
        p.phone_digits,
        p.note,
    }
    values |= {f"{p.family_name} {p.given_name}".strip(), f"{p.family_name}{p.given_name}"}
    values |= set(p.reading.split())
    return sorted(v for v in values if v and len(v) >= _MIN_SEARCH_LENGTH)


def _scrub(value, needles: list[str], birth_year: int | None, key: str = ""):
    """`value` with every string holding a personal value blanked (the structure stays)."""
    if isinstance(value, dict):
        return {k: _scrub(v, needles, birth_year, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles, birth_year, key) for v in value]
    if isinstance(value, str) and any(n in value for n in needles):
        return ""
    if birth_year is not None and key == "birth_year" and str(value) == str(birth_year):
        return None
    return value


def _json_forms(value: str) -> set[str]:
    """How a string looks inside stored JSON: raw, and with non-ASCII escaped."""
    return {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}


def erase_resident(
    db: Session,
    participant_id: int,
    *,
    actor: Actor,
    reason: str = "request",
    now: datetime | None = None,
) -> Participant:
    """Blank the resident's personal values everywhere; rows and counts stay."""
    now = now or utcnow()
    p = db.get(Participant, participant_id)
    if p is None:
        raise NotFound(field="participant_id")
    if p.erased_at is not None:
        return p
    needles = _personal_values(p)
    birth_year = p.birth_year
    patterns = {form for n in needles for form in _json_forms(n)}
    if birth_year is not None:
        patterns.add(f'"birth_year": {birth_year}')
        patterns.add(f'"birth_year":{birth_year}')
    details_text = cast(AuditEvent.details, String)
    conditions = [AuditEvent.participant_id == p.id]
    conditions += [details_text.contains(pattern, autoescape=True) for pattern in patterns]
    for event in db.scalars(select(AuditEvent).where(or_(*conditions))):
        scrubbed = _scrub(event.details or {}, needles, birth_year)
        if scrubbed != event.details:
            event.details = scrubbed
    # free text a coordinator typed about this person's calls may name them
    for call in db.scalars(
        select(CallTask).where(CallTask.participant_id == p.id, CallTask.note != "")
    ):
        call.note = ""
    # a family member's phone kept as the contact of a web booking (issue 19)
    db.execute(
        update(Registration)
        .where(Registration.participant_id == p.id)
        .values(contact_phone="", contact_phone_digits="")
    )
    # what they learned goes with them
    db.execute(delete(ProgressRecord).where(ProgressRecord.participant_id == p.id))
    for name, blank in PERSONAL_FIELDS.items():
        setattr(p, name, list(blank) if isinstance(blank, list) else blank)
    p.erased_at = now
    db.flush()
    # the old values are zeroed in the pages (secure_delete); flush them out of the WAL too
    checkpoint_after_commit(db)
    audit.record(
        db,
        actor,
        "participant.erase",
        participant_id=p.id,
        subject_type="participant",
        subject_id=p.id,
        details={"reason": reason},
    )
    return p


# -- retention -----------------------------------------------------------------------


@dataclass(frozen=True)
class Expired:
    participant_id: int
    last_activity_at: datetime


def expired_residents(
    db: Session, *, days: int | None = None, now: datetime | None = None
) -> list[Expired]:
    """Residents not yet erased whose last activity is older than the retention period."""
    cutoff = (now or utcnow()) - timedelta(days=days or retention_days())
    return [
        Expired(pid, last)
        for pid, last in db.execute(
            select(Participant.id, Participant.last_activity_at)
            .where(Participant.erased_at.is_(None), Participant.last_activity_at < cutoff)
            .order_by(Participant.last_activity_at, Participant.id)
        )
    ]


def purge(
    db: Session,
    *,
    actor: Actor,
    apply: bool = False,
    days: int | None = None,
    now: datetime | None = None,
) -> list[Expired]:
    """Who is past the retention period; with `apply`, erase them all (one transaction)."""
    now = now or utcnow()
    expired = expired_residents(db, days=days, now=now)
    if apply:
        for item in expired:
            erase_resident(db, item.participant_id, actor=actor, reason="retention", now=now)
    return expired
