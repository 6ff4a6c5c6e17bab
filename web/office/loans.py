"""Loaner phones on the office's class page: lend one, mark it returned."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from classroom.models import (
    Attendance,
    ClassSession,
    Participant,
    PhoneLoan,
    Registration,
    RegistrationStatus,
)
from classroom.services import loans as loan_service
from classroom.services.errors import DomainError

from ..database import db_session
from ..forms import created, option, sent_before, show_domain_error
from . import bp
from .forms import ConfirmForm, LoanForm
from .routes import actor, render_session


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


def loan_form(class_session: ClassSession) -> LoanForm:
    form = LoanForm()
    form.participant_id.choices = [
        option(p.id, f"{p.display_name}（{p.reading}）") for p in _borrowers(class_session)
    ]
    return form


@bp.route("/sessions/<int:session_id>/loans", methods=["POST"])
def loan_new(session_id: int):
    class_session = db_session().get(ClassSession, session_id)
    if class_session is None:
        abort(404)
    form = loan_form(class_session)
    # before validation: once lent, the borrower is no longer a choice of the form
    if (first := sent_before(form)) is not None:
        return first  # sent twice: lent once, and no "already lent" error
    if form.validate():
        try:
            loan = loan_service.lend(
                db_session(),
                session_id=session_id,
                participant_id=form.participant_id.data,
                phone_label=form.phone_label.data or "",
                actor=actor(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(
                _(
                    "The phone %(label)s was lent to %(name)s.",
                    label=loan.phone_label,
                    name=loan.participant.display_name,
                ),
                "success",
            )
            return created(form, url_for("office.session", session_id=session_id, _anchor="phones"))
    return render_session(class_session, loan_form=form, status=422)


@bp.route("/loans/<int:loan_id>/return", methods=["POST"])
def loan_return(loan_id: int):
    if not ConfirmForm().validate():
        abort(400)
    try:
        loan = loan_service.return_phone(db_session(), loan_id, actor=actor())
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("office.sessions"))
    flash(_("The phone %(label)s is back.", label=loan.phone_label), "success")
    return redirect(url_for("office.session", session_id=loan.session_id, _anchor="phones"))
