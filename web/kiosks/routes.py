from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from classroom.db import MAX_ROW_ID
from classroom.models import utcnow
from classroom.services import kiosks as kiosk_service
from classroom.services.errors import DomainError, NotFound

from ..access import current_actor
from ..database import db_session
from ..forms import show_domain_error
from .blueprint import bp
from .forms import ActionForm
from .screens import screen_in_words

#: how often the board reloads itself (kiosks.js reads it from the page)
REFRESH_SECONDS = 30


@bp.route("/")
def board():
    db = db_session()
    now = utcnow()
    kiosks = [(k, kiosk_service.is_online(k, now)) for k in kiosk_service.list_kiosks(db)]
    return render_template(
        "kiosks/board.html",
        kiosks=kiosks,
        help_requests=kiosk_service.open_help_requests(db),
        help_status=kiosk_service.help_status,
        screen_in_words=screen_in_words,
        form=ActionForm(),
        now=now,
        refresh_seconds=current_app.config.get("KIOSK_BOARD_REFRESH_SECONDS", REFRESH_SECONDS),
    )


def _act(help_request_id: int, action, done: str):
    form = ActionForm()
    if not form.validate():
        abort(400)
    try:
        if help_request_id > MAX_ROW_ID:
            raise NotFound(field="help_request_id")
        action(db_session(), help_request_id, actor=current_actor())
    except NotFound:
        # closed and gone from the board, or never there: the board shows what is left
        flash(_("This help request is no longer on the board."), "warning")
    except DomainError as error:
        show_domain_error(None, error)
    else:
        flash(done, "success")
    return redirect(url_for("kiosks.board"))


@bp.route("/help-requests/<int:help_request_id>/take", methods=["POST"])
def take(help_request_id: int):
    return _act(
        help_request_id,
        kiosk_service.take_help_request,
        _("You are on your way: the others see that it is taken."),
    )


@bp.route("/help-requests/<int:help_request_id>/close", methods=["POST"])
def close(help_request_id: int):
    return _act(help_request_id, kiosk_service.close_help_request, _("The help request is closed."))
