"""A resident's own booking at the kiosk (issue 19): look it up and cancel it by its
reservation code and the phone number given when booking (docs/kiosk-api.md, "Your own
booking").

The rules are classroom/services/self_service.py's: a wrong phone answers as an unknown
code; every look-up is counted per kiosk and per code before the code is checked (the
counts are kept even when nothing matched: a 404 commits); cancelling uses the office's
cancel, so a freed seat goes to the waitlist. The answer holds the class, its time and
place, the status and the code: nothing that names the resident, and not the phone typed.
"""

from __future__ import annotations

from flask import current_app, g, jsonify
from flask_babel import gettext as _

from classroom.models import ClassSession, utcnow
from classroom.services import self_service

from ..access import current_actor
from ..database import db_session, refuse
from ..errors import invalid, json_error, refused
from .blueprint import bp
from .routes import BadJSON, json_object, session_json

#: longer than anything a code or a phone number is typed as (with dashes and spaces)
MAX_TYPED = 32


def _code_and_phone() -> tuple[str, str] | None:
    data = json_object({"code", "phone"})
    errors = {}
    for field in ("code", "phone"):
        value = data.get(field)
        if value is None:
            errors[field] = _("This field is required.")
        elif not isinstance(value, str) or len(value) > MAX_TYPED:
            errors[field] = (
                _("A reservation code has 6 letters and digits, as on the slip.")
                if field == "code"
                else _("A phone number has 10 or 11 digits (for example 03-1234-5678).")
            )
    if errors:
        raise BadJSON(invalid(errors))
    return data["code"], data["phone"]


def _client() -> str:
    """Who is asking, for the throttle: this kiosk (many residents share its address)."""
    return f"kiosk:{g.kiosk.id}"


def _answer(view):
    if view is None:
        # no booking with this code *and* phone: the same answer for an unknown code; the
        # miss stays counted (this answer commits)
        return json_error(404, "not_found", _("No booking matches this code and phone number."))
    session = db_session().get(ClassSession, view.session_id)
    now = utcnow()
    return jsonify(
        booking={
            "code": view.code.replace("-", ""),
            "status": view.status,
            "position": view.position,
            "cancellable": view.cancellable,
            "class_cancelled": view.class_cancelled,
            "session": session_json(session, now),
        }
    )


def _too_many(error: self_service.TooManyAttempts):
    seconds = max(1, int(error.retry_after.total_seconds()))
    return json_error(429, error.code, error.translate(_), retry_after=seconds)


@bp.post("/bookings/lookup")
def booking_lookup():
    """The booking for a code and phone (a POST: the phone stays out of the address)."""
    code, phone = _code_and_phone()
    try:
        view = self_service.find_booking(
            db_session(), code, phone, client=_client(), secret=current_app.secret_key
        )
    except self_service.TooManyAttempts as error:
        return _too_many(error)
    return _answer(view)


@bp.post("/bookings/cancel")
def booking_cancel():
    """Cancel it (the kiosk asked the resident first); a second cancel answers the same."""
    code, phone = _code_and_phone()
    try:
        view = self_service.cancel_by_code(
            db_session(),
            code,
            phone,
            actor=current_actor(),
            client=_client(),
            secret=current_app.secret_key,
        )
    except self_service.TooManyAttempts as error:
        return _too_many(error)
    except self_service.NotCancellable as error:
        refuse()
        return refused(error)
    return _answer(view)
