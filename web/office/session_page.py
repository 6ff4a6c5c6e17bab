"""The office's page of one class: its registrations and its loaner phones.

routes.py (registrations) and loans.py (lending) both answer with this page; it lives
here so that neither imports the other.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from classroom.models import (
    Attendance,
    ClassSession,
    Participant,
    PhoneLoan,
    Registration,
    RegistrationStatus,
)
from classroom.services import loans as loan_service

from ..database import db_session
from ..forms import option
from .forms import ConfirmForm, LoanForm


def phones_of(class_session: ClassSession) -> loan_service.VenuePhones:
    return loan_service.venue_phones(db_session(), class_session)


def _borrowers(class_session: ClassSession) -> list[Participant]:
    """Who may borrow: confirmed seats and those checked in (walk-ins) without a phone yet."""
    db = db_session()
    seated = select(Registration.participant_id).where(
        Registration.session_id == class_session.id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    present = select(Attendance.participant_id).where(Attendance.session_id == class_session.id)
    holding = select(PhoneLoan.participant_id).where(
        PhoneLoan.session_id == class_session.id, PhoneLoan.returned_at.is_(None)
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


def new_loan_form(class_session: ClassSession) -> LoanForm:
    form = LoanForm()
    form.participant_id.choices = [
        option(p.id, f"{p.display_name}（{p.reading}）") for p in _borrowers(class_session)
    ]
    return form


def render_session(
    class_session: ClassSession, loan_form: LoanForm | None = None, status: int = 200
):
    """The office's page of one class: registrations and loaner phones."""
    db = db_session()
    registrations = list(
        db.scalars(
            select(Registration)
            .where(Registration.session_id == class_session.id)
            .options(selectinload(Registration.participant))
            .order_by(Registration.status, Registration.waitlist_seq, Registration.created_at)
        )
    )
    return render_template(
        "office/session.html",
        session=class_session,
        registrations=registrations,
        cancel_form=ConfirmForm(),
        RegistrationStatus=RegistrationStatus,
        phones=phones_of(class_session),
        loan_form=loan_form or new_loan_form(class_session),
    ), status
