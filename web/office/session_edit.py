"""Editing a class after scheduling it (issue 16): the form, prefilled; the rules are
classroom.services.sessions.edit_session's."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import HiddenField

from classroom.models import ClassSession, SessionState
from classroom.services import sessions as session_service
from classroom.services.errors import DomainError
from classroom.services.sessions import StaleEdit

from ..access import class_session_or_404, current_actor
from ..database import db_session, refuse
from ..forms import created, sent_before, show_domain_error
from .blueprint import bp
from .forms import SessionForm
from .scheduling import class_fields, session_choices, zone


class SessionEditForm(SessionForm):
    """The class form without what an edit cannot change (course, booking, series)."""

    course_id = None
    booking_mode = None
    repeat = None
    occurrences = None
    #: the class's version this form was made from: a later edit makes it stale
    version = HiddenField()


def _prefilled(class_session: ClassSession) -> dict:
    tz = zone()
    starts = class_session.starts_at.astimezone(tz)
    deadline = class_session.application_deadline
    return {
        "venue_id": class_session.venue_id,
        "date": starts.date(),
        "starts_at": starts.time(),
        "ends_at": class_session.ends_at.astimezone(tz).time(),
        "capacity": class_session.capacity,
        "instructor_ids": [u.id for u in class_session.instructors],
        "application_deadline": deadline.astimezone(tz).replace(tzinfo=None) if deadline else None,
        "note": class_session.note,
        "version": str(class_session.version),
    }


def _edit_form(class_session: ClassSession) -> SessionEditForm:
    # a posted form is read as sent: a field it left out is not filled from the class
    if request.method == "POST":
        form = SessionEditForm()
    else:
        form = SessionEditForm(data=_prefilled(class_session))
    return session_choices(form, keep=list(class_session.instructors))


def _version(form: SessionEditForm) -> int:
    """The version the form was made from; a damaged one (-1) matches no class."""
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


def _saved(result: session_service.SessionEdit) -> None:
    if not result.changes:
        flash(_("Nothing was changed."), "info")
        return
    flash(_("The class was changed."), "success")
    if result.promoted:
        flash(
            ngettext(
                "%(num)s person moved up from the waitlist and was added to the list to call.",
                "%(num)s people moved up from the waitlist and were added to the list to call.",
                len(result.promoted),
            ),
            "success",
        )
    if result.moved_calls:
        flash(
            ngettext(
                "The class moved: %(num)s person registered was added to the list to call.",
                "The class moved: %(num)s people registered were added to the list to call.",
                len(result.moved_calls),
            ),
            "success",
        )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def session_edit(session_id: int):
    class_session = class_session_or_404(session_id)
    page = url_for("office.session", session_id=session_id)
    if class_session.state != SessionState.SCHEDULED:
        flash(_(session_service.NOT_EDITABLE[class_session.state]), "error")
        return redirect(page)
    form = _edit_form(class_session)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            if (first := sent_before(form)) is not None:
                return first
            try:
                result = session_service.edit_session(
                    db_session(),
                    session_id,
                    version=_version(form),
                    actor=current_actor(),
                    **class_fields(form),
                )
            except StaleEdit as error:
                # shown the class as it is now, to make the change again
                refuse()
                flash(error.translate(_), "error")
                return redirect(url_for("office.session_edit", session_id=session_id), code=303)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                _saved(result)
                return created(form, page)
    return render_template("office/session_edit.html", form=form, session=class_session), status
