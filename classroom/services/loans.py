"""Loaner phones: a venue's phones lent to participants for a class, and given back.

Rules: a phone is lent on the class's day in the ward's time zone (one lent days ahead
was out for every class in between: issue 16); a phone (by its label) is in one pair of
hands at a time, a participant holds one phone per class, and no more phones are out at
a venue than the venue keeps (`Venue.loaner_phones`). The one-pair-of-hands and
one-per-person rules are also partial unique indexes on `phone_loan`; a concurrent twin
that slips past the checks hits them, and the IntegrityError is answered with the same
message as the check. The venue row is locked while counting, so two lends at once
cannot both take the last phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from languages import N_

from ..models import (
    Attendance,
    ClassSession,
    Participant,
    PhoneLoan,
    Registration,
    RegistrationStatus,
    SessionState,
    Venue,
    utcnow,
)
from . import audit
from .actor import Actor
from .errors import DomainError, InvalidInput, Msg, NotFound, SessionNotOpen
from .text import nfkc
from .walk_ins import is_class_day

#: the longest label the phone_loan table keeps
LABEL_MAX = 40


class PhoneAlreadyOut(DomainError):
    message = N_("The phone %(label)s is already lent out. Mark it returned first.")


class AlreadyHasPhone(DomainError):
    message = N_("%(name)s already has a loaner phone (%(label)s).")


class NoPhonesLeft(DomainError):
    message = N_("All %(count)s loaner phones of %(venue)s are out.")


class NoLoanerPhones(DomainError):
    message = N_("%(venue)s keeps no loaner phones.")


class NotLendingDay(DomainError):
    message = N_("Loaner phones are lent on the day of the class (%(day)s).")


class NotTakingPart(DomainError):
    message = N_("%(name)s has no confirmed seat in this class and was not checked in.")


@dataclass(frozen=True)
class VenuePhones:
    """The loaner phones as a class sees them."""

    #: phones the venue keeps
    total: int
    #: this class's loans, the ones still out first
    loans: list[PhoneLoan]
    #: phones not returned from other classes at the same venue
    out_elsewhere: list[PhoneLoan]

    @property
    def out(self) -> int:
        return sum(1 for loan in self.loans if loan.returned_at is None) + len(self.out_elsewhere)

    @property
    def left(self) -> int:
        return max(self.total - self.out, 0)


def clean_label(typed: str) -> str:
    """The label as stored: full-width folded (ＮＦＫＣ), spaces collapsed."""
    return re.sub(r"\s+", " ", nfkc(typed or "")).strip()


def _lock_venue(db: Session, venue_id: int) -> Venue:
    venue = db.execute(select(Venue).where(Venue.id == venue_id).with_for_update()).scalar_one()
    db.refresh(venue)
    return venue


def _open_at_venue(venue_id: int):
    return (
        select(PhoneLoan)
        .join(ClassSession, ClassSession.id == PhoneLoan.session_id)
        .where(ClassSession.venue_id == venue_id, PhoneLoan.returned_at.is_(None))
    )


def _open_loan_of(db: Session, session_id: int, participant_id: int) -> PhoneLoan | None:
    return db.scalar(
        select(PhoneLoan).where(
            PhoneLoan.session_id == session_id,
            PhoneLoan.participant_id == participant_id,
            PhoneLoan.returned_at.is_(None),
        )
    )


def takes_part(db: Session, session_id: int, participant_id: int) -> bool:
    """A confirmed seat, or an attendance row (walk-ins have no registration)."""
    registered = db.scalar(
        select(Registration.id).where(
            Registration.session_id == session_id,
            Registration.participant_id == participant_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    attended = db.scalar(
        select(Attendance.id).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    )
    return registered is not None or attended is not None


def borrowers(db: Session, session_id: int) -> list[Participant]:
    """Who may borrow a phone for this class: confirmed seats and those checked in
    (walk-ins) who hold none yet, by kana; erased residents never."""
    seated = select(Registration.participant_id).where(
        Registration.session_id == session_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    present = select(Attendance.participant_id).where(Attendance.session_id == session_id)
    holding = select(PhoneLoan.participant_id).where(
        PhoneLoan.session_id == session_id, PhoneLoan.returned_at.is_(None)
    )
    return list(
        db.scalars(
            select(Participant)
            .where(
                Participant.id.in_(seated.union(present)),
                Participant.id.not_in(holding),
                Participant.erased_at.is_(None),
            )
            .order_by(Participant.reading_key, Participant.id)
        )
    )


def lending_day(session: ClassSession, now: datetime | None = None) -> bool:
    """Phones are lent on the class's day in the ward's time zone, as walk-ins are
    checked in (walk_ins.is_class_day)."""
    return is_class_day(session, now)


def _refusal(db: Session, venue: Venue, session_id: int, participant: Participant, label: str):
    """Why this lend may not happen, or None."""
    if held := _open_loan_of(db, session_id, participant.id):
        return AlreadyHasPhone(
            field="participant_id", name=participant.display_name, label=held.phone_label
        )
    if db.scalar(_open_at_venue(venue.id).where(PhoneLoan.phone_label == label)):
        return PhoneAlreadyOut(field="phone_label", label=label)
    if venue.loaner_phones == 0:
        return NoLoanerPhones(field="phone_label", venue=venue.name)
    out = db.scalar(select(func.count()).select_from(_open_at_venue(venue.id).subquery()))
    if out >= venue.loaner_phones:
        return NoPhonesLeft(field="phone_label", count=venue.loaner_phones, venue=venue.name)
    return None


def lend(
    db: Session,
    *,
    session_id: int,
    participant_id: int,
    phone_label: str,
    actor: Actor,
    now: datetime | None = None,
) -> PhoneLoan:
    """Lend the phone labelled `phone_label` to a participant of the class; never more
    phones out than the venue keeps, never one phone or one person twice."""
    now = now or utcnow()
    label = clean_label(phone_label)
    if not label:
        raise InvalidInput.single("phone_label", N_("Please enter the label on the phone."))
    if len(label) > LABEL_MAX:
        raise InvalidInput.single(
            "phone_label", N_("A label has at most %(max)s characters."), max=LABEL_MAX
        )
    session = db.get(ClassSession, session_id)
    if session is None:
        raise NotFound(field="session_id")
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    if not lending_day(session, now):
        raise NotLendingDay(field="participant_id", day=session.starts_at)
    participant = db.get(Participant, participant_id)
    if participant is None or participant.erased_at is not None:
        raise NotFound(field="participant_id")
    if not takes_part(db, session_id, participant_id):
        raise NotTakingPart(field="participant_id", name=participant.display_name)
    venue = _lock_venue(db, session.venue_id)
    if refusal := _refusal(db, venue, session_id, participant, label):
        raise refusal
    loan = PhoneLoan(
        session_id=session_id,
        participant_id=participant_id,
        phone_label=label,
        lent_at=now,
        lent_by_id=actor.user_id,
    )
    try:
        with db.begin_nested():
            db.add(loan)
            db.flush()
    except IntegrityError:
        # a twin request got there between our checks and our insert: say what it did
        refusal = _refusal(db, venue, session_id, participant, label)
        if refusal is None:
            raise
        raise refusal from None
    audit.record(
        db,
        actor,
        "loan.lend",
        participant_id=participant_id,
        subject_type="phone_loan",
        subject_id=loan.id,
        details={"session_id": session_id, "phone_label": label},
    )
    return loan


def return_phone(
    db: Session, loan_id: int, *, actor: Actor, now: datetime | None = None
) -> PhoneLoan:
    """Mark the phone given back; returning twice keeps the first time."""
    loan = db.get(PhoneLoan, loan_id)
    if loan is None:
        raise NotFound(field="loan_id")
    if loan.returned_at is None:
        loan.returned_at = now or utcnow()
        loan.returned_by_id = actor.user_id
        db.flush()
        audit.record(
            db,
            actor,
            "loan.return",
            participant_id=loan.participant_id,
            subject_type="phone_loan",
            subject_id=loan.id,
        )
    return loan


def venue_phones(db: Session, session: ClassSession) -> VenuePhones:
    """This class's loans and the phones still out from other classes at its venue."""
    loans = list(
        db.scalars(
            select(PhoneLoan)
            .where(PhoneLoan.session_id == session.id)
            .options(selectinload(PhoneLoan.participant))
            .order_by(PhoneLoan.returned_at.is_not(None), PhoneLoan.lent_at, PhoneLoan.id)
        )
    )
    elsewhere = list(
        db.scalars(
            _open_at_venue(session.venue_id)
            .where(PhoneLoan.session_id != session.id)
            .options(selectinload(PhoneLoan.participant), selectinload(PhoneLoan.session))
            .order_by(PhoneLoan.lent_at, PhoneLoan.id)
        )
    )
    return VenuePhones(total=session.venue.loaner_phones, loans=loans, out_elsewhere=elsewhere)
