"""Questions residents asked without a sure answer (/office/unanswered, issue 20): one line
per question and language with how often it was asked, where and when last, so the ward
can write the missing FAQ entries. Coordinators and admins; the CSV export is audited.

Nothing here names anyone: the rows hold the scrubbed text, the language, the place
("/ask" or a kiosk's location) and the day (classroom/services/unanswered.py).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from classroom.models import utcnow
from classroom.services import audit
from classroom.services import unanswered as service
from classroom.services.errors import DomainError
from classroom.services.spreadsheet import ENCODINGS, encode_csv
from languages.clock import ward_today

from ..access import current_actor
from ..database import db_session, writes
from .blueprint import bp

#: the periods offered, in days back from today (today counted); the default first
PERIODS = (30, 7, 90, service.RETENTION_DAYS)
ORDERS = service.ORDERS


def _choice() -> tuple[int, str, str | None]:
    """The asked period and order; an unknown value gives the default and a message."""
    error = None
    period_text = request.args.get("period", str(PERIODS[0]))
    order = request.args.get("order", ORDERS[0])
    period = int(period_text) if period_text.isascii() and period_text.isdigit() else None
    if period not in PERIODS:
        period, error = PERIODS[0], _("Please choose a period from the list.")
    if order not in ORDERS:
        order, error = ORDERS[0], _("Please choose an order from the list.")
    return period, order, error


def _asked(period: int, order: str):
    today = ward_today(utcnow())
    since = today - timedelta(days=period - 1)
    return since, today, service.summary(db_session(), since=since, until=today, order=order)


@bp.route("/unanswered")
def unanswered():
    period, order, error = _choice()
    since, today, asked = _asked(period, order)
    return render_template(
        "office/unanswered.html",
        asked=asked,
        total=sum(a.count for a in asked),
        period=period,
        periods=PERIODS,
        order=order,
        since=since,
        today=today,
        error=error,
        retention=service.RETENTION_DAYS,
    ), (422 if error else 200)


@bp.route("/unanswered.csv")
@writes
def unanswered_csv():
    period, order, error = _choice()
    encoding = request.args.get("encoding", "utf-8-sig")
    if error or encoding not in ENCODINGS:
        abort(400)
    since, today, asked = _asked(period, order)
    rows = service.export_rows(asked)
    rows[0] = [_(title) for title in rows[0]]
    try:
        body = encode_csv(rows, encoding)
    except DomainError as refused:  # an emoji cannot be written in Shift_JIS: say so
        flash(refused.translate(_), "error")
        return redirect(url_for("office.unanswered", period=period, order=order))
    audit.record(
        db_session(),
        current_actor(),
        "unanswered.export",
        subject_type="unanswered_question",
        details={"from": since.isoformat(), "until": today.isoformat(), "rows": len(asked)},
    )
    charset = "shift_jis" if encoding == "cp932" else "utf-8"
    suffix = "shift_jis" if encoding == "cp932" else "utf8"
    name = f"tsunagu-unanswered-{since:%Y%m%d}-{today:%Y%m%d}-{suffix}.csv"
    return Response(
        body,
        content_type=f"text/csv; charset={charset}",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
