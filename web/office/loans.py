"""Loaner phones on the office's class page: lend one, mark it returned."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from classroom.services import loans as loan_service
from classroom.services.errors import DomainError

from ..access import class_session_or_404, current_actor
from ..database import db_session
from ..forms import created, sent_before, show_domain_error
from .blueprint import bp
from .forms import ConfirmForm
from .session_page import new_loan_form, render_session


@bp.route("/sessions/<int:session_id>/loans", methods=["POST"])
def loan_new(session_id: int):
    class_session = class_session_or_404(session_id)
    form = new_loan_form(class_session)
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
                actor=current_actor(),
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
        loan = loan_service.return_phone(db_session(), loan_id, actor=current_actor())
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("office.sessions"))
    flash(_("The phone %(label)s is back.", label=loan.phone_label), "success")
    return redirect(url_for("office.session", session_id=loan.session_id, _anchor="phones"))
