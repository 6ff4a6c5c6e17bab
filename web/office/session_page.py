"""The office's page of one class: its registrations and its loaner phones.

routes.py (registrations) and loans.py (lending) both answer with this page; it lives
here so that neither imports the other.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from classroom.models import (
    ClassSession,
    Participant,
    Registration,
    RegistrationStatus,
)
from classroom.services import loans as loan_service
from classroom.services.phones import phone_end

from ..database import db_session
from ..formatting import birth_year
from ..forms import option
from .forms import ConfirmForm, LoanForm


def phones_of(class_session: ClassSession) -> loan_service.VenuePhones:
    return loan_service.venue_phones(db_session(), class_session)


def borrower_label(p: Participant) -> str:
    """山田 花子（ヤマダ ハナコ・1948（昭和23年）・電話 …78）: two namesakes told apart as
    the walk-in search tells them (the year in 和暦, the phone's last two digits only)."""
    told_apart = [p.reading, birth_year(p.birth_year)]
    if end := phone_end(p.phone_digits):
        told_apart.append(_("phone …%(digits)s", digits=end))
    return f"{p.display_name}（{'・'.join(part for part in told_apart if part)}）"


def new_loan_form(class_session: ClassSession) -> LoanForm:
    form = LoanForm()
    form.participant_id.choices = [
        option(p.id, borrower_label(p))
        for p in loan_service.borrowers(db_session(), class_session.id)
    ]
    return form


def render_session(
    class_session: ClassSession,
    loan_form: LoanForm | None = None,
    status: int = 200,
    undo: Registration | None = None,
):
    """The office's page of one class: registrations and loaner phones; `undo`, a
    registration just cancelled, is offered back with a button."""
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
        undo=undo,
        RegistrationStatus=RegistrationStatus,
        phones=phones_of(class_session),
        lending_day=loan_service.lending_day(class_session),
        loan_form=loan_form or new_loan_form(class_session),
    ), status
