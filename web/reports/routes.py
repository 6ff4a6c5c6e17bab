from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import false, select

from classroom.db import MAX_ROW_ID
from classroom.models import AuditEvent, Participant, Role, User, utcnow
from classroom.services import imports as import_service
from classroom.services import privacy as privacy_service
from classroom.services import report_figures
from classroom.services import reports as report_service
from classroom.services.errors import DomainError
from classroom.services.spreadsheet import ENCODINGS, encode_csv

from ..access import current_actor, has_role, participant_or_404
from ..database import db_session, end_unit_of_work, get_database, writes
from ..forms import show_domain_error
from ..handouts.content import lesson_item_ids, lesson_titles
from .blueprint import bp
from .charts import bar_chart
from .forms import EraseForm, ImportApplyForm, ImportUploadForm

AUDIT_PAGE = 100
#: a resident or entry number as typed: ASCII digits (full-width ones fold, ² does not)
_NUMBER = re.compile(r"[0-9]{1,40}")
_FULL_WIDTH_DIGITS = {0xFF10 + d: str(d) for d in range(10)}
#: what the audit viewer can filter on
AUDIT_ACTIONS = (
    "participant.view",
    # instructors' walk-in searches (classroom/services/walk_ins.py), and refused ones
    "participant.search",
    "participant.search.refused",
    "participant.export",
    "participant.create",
    "participant.update",
    "participant.erase",
    "registration.create",
    "registration.cancel",
    "attendance.mark",
    "import.residents",
    # staff accounts and logging in (web/admin, web/auth)
    "staff_user.create",
    "staff_user.disable",
    "staff_user.enable",
    "staff_user.password_reset",
    "staff_user.password_change",
    "staff_user.password",
    "auth.login_failed",
)


#: the years a report may cover: the ward's records start well after 2000, and a date
#: far outside would overflow the conversion to UTC (year 1 in Tokyo is before year 1 UTC)
REPORT_YEARS = (2000, 2100)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")
_EXAMPLE = "2027-03-31"


class PeriodError(Exception):
    """The asked period cannot be counted: the message belongs next to `field`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _report_date(field: str) -> date:
    text = request.args.get(field, "").strip()
    if not text:
        raise PeriodError(field, _("Please enter both dates."))
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            field,
            _("Please enter a date as YYYY-MM-DD, for example %(example)s.", example=_EXAMPLE),
        ) from None
    if not REPORT_YEARS[0] <= day.year <= REPORT_YEARS[1]:
        raise PeriodError(
            field,
            _(
                "Please choose a date between %(first)s and %(last)s.",
                first=REPORT_YEARS[0],
                last=REPORT_YEARS[1],
            ),
        )
    return day


def _period() -> tuple[datetime, datetime, int | None, str, str]:
    """The asked period: ?from=YYYY-MM-DD&until=YYYY-MM-DD (both days counted, whole, in the
    ward's time), else ?fy=2025, else this fiscal year.

    Raises PeriodError for a period that cannot be counted (the form again, never a 500).
    """
    start_text, until_text = request.args.get("from", ""), request.args.get("until", "")
    if start_text or until_text:
        start, last = _report_date("from"), _report_date("until")
        if last < start:
            raise PeriodError(
                "until",
                _(
                    "The last day is before the first day: choose %(first)s or a later day.",
                    first=start.isoformat(),
                ),
            )
        return (*report_service.days(start, last), None, start_text, until_text)
    fy_text = request.args.get("fy", "").strip()
    if fy_text:
        if not _YEAR.fullmatch(fy_text) or not (
            REPORT_YEARS[0] <= int(fy_text) <= REPORT_YEARS[1] - 1
        ):
            raise PeriodError("fy", _("Please choose a fiscal year from the list."))
        fiscal_year = int(fy_text)
    else:
        fiscal_year = report_service.fiscal_year_of(utcnow())
    start, end = report_service.fiscal_year_bounds(fiscal_year)
    return start, end, fiscal_year, "", ""


def _counted(start: datetime, end: datetime, fiscal_year: int | None):
    """The report, its learning outcomes told by the lessons' items and titles (content)."""
    # a fiscal year's figures are kept per person: brought up to date first (when a
    # change has noted anyone stale), so that the report reads them rather than counts
    report_figures.keep_current(get_database())
    result = report_service.report(
        db_session(), start, end, fiscal_year=fiscal_year, lesson_items=lesson_item_ids()
    )
    return replace(result, outcomes=result.outcomes.titled(lesson_titles()))


def _report():
    start, end, fiscal_year, start_text, until_text = _period()
    return _counted(start, end, fiscal_year), start_text, until_text


@bp.route("/")
def index():
    try:
        result, start_text, until_text = _report()
    except PeriodError as error:
        return _period_refused(error)
    return _report_page(result, start_text, until_text)


def _period_refused(error: PeriodError):
    """This fiscal year's report, the refused dates kept in their fields with the message."""
    this_year = report_service.fiscal_year_of(utcnow())
    result = _counted(*report_service.fiscal_year_bounds(this_year), this_year)
    return _report_page(
        result,
        request.args.get("from", "")[:10],
        request.args.get("until", "")[:10],
        errors={error.field: error.message},
    ), 422


def _report_page(result, start_text: str, until_text: str, errors: dict | None = None):
    this_year = report_service.fiscal_year_of(utcnow())
    charts = {
        "month": bar_chart(
            [(r.label, r.attendances) for r in result.by_month],
            title=_("Attendances by month"),
        ),
        "course": bar_chart(
            [(r.label, r.attendances) for r in result.by_course], title=_("Attendances by course")
        ),
        "age": bar_chart(
            [(r.label, r.participants) for r in result.by_age_band], title=_("People by age band")
        ),
        "kiosk": bar_chart(
            [(r.label, r.guides_viewed) for r in result.kiosk.by_location],
            title=_("Guides viewed by kiosk location"),
        ),
        "lesson": bar_chart(
            [(g.label, g.items) for g in result.outcomes.by_lesson],
            title=_("Things learned by lesson"),
        ),
        "completion": bar_chart(
            [(c.label, round((c.share or 0) * 100, 1)) for c in result.outcomes.by_course],
            title=_("Share who completed, by course"),
            value_format="{:.1f}%",
        ),
    }
    return render_template(
        "reports/report.html",
        report=result,
        charts=charts,
        start_text=start_text,
        until_text=until_text,
        # 令和8年度 in Japanese, "FY2026 (Reiwa 8)" in English
        years=[(y, report_service.reiwa_label(y)) for y in range(this_year, this_year - 6, -1)],
        # the CSV links add their own encoding; a period refused is not offered for export
        query={
            k: v for k, v in request.args.items() if k in ("fy", "from", "until") and not errors
        },
        errors=errors or {},
    )


def _csv_response(rows, filename: str, localized: str | None = None) -> Response:
    encoding = request.args.get("encoding", "utf-8-sig")
    if encoding not in ENCODINGS:
        abort(400)
    body = encode_csv(rows, encoding)
    charset = "shift_jis" if encoding == "cp932" else "utf-8"
    disposition = f'attachment; filename="{filename}"'
    if localized and localized != filename:
        # RFC 6266: browsers save it as 実績報告_令和8年度_Excel用.csv, older ones as `filename`
        disposition += f"; filename*=UTF-8''{quote(localized, safe='')}"
    return Response(
        body,
        content_type=f"text/csv; charset={charset}",
        headers={"Content-Disposition": disposition},
    )


def _report_file_names(result, encoding: str) -> tuple[str, str]:
    """Each download its own name, so the Excel and the Shift_JIS file do not overwrite
    each other: tsunagu-report-2026-utf8.csv and …-shift_jis.csv, in the staff's language
    実績報告_令和8年度_Excel用.csv and 実績報告_令和8年度_ShiftJIS.csv."""
    if result.fiscal_year is not None:
        period, label = str(result.fiscal_year), result.label
    else:
        period = label = f"{result.first_day:%Y%m%d}-{result.last_day:%Y%m%d}"
    if encoding == "cp932":
        return (
            f"tsunagu-report-{period}-shift_jis.csv",
            _("Report %(period)s Shift_JIS.csv", period=label),
        )
    return f"tsunagu-report-{period}-utf8.csv", _("Report %(period)s for Excel.csv", period=label)


@bp.route("/export.csv")
def export_csv():
    try:
        result, _s, _u = _report()
    except PeriodError as error:
        return _period_refused(error)
    names = _report_file_names(result, request.args.get("encoding", "utf-8-sig"))
    try:
        return _csv_response(report_service.report_rows(result), *names)
    except DomainError as error:
        flash(error.translate(_), "error")
        return redirect(
            url_for("reports.index", **{k: v for k, v in request.args.items() if k != "encoding"})
        )


# -- a resident's privacy requests ---------------------------------------------------


def _resident(participant_id: int) -> Participant:
    participant = participant_or_404(participant_id)
    return participant


@bp.route("/residents/<int:participant_id>/privacy")
def privacy(participant_id: int):
    participant = _resident(participant_id)
    return render_template(
        "reports/privacy.html",
        participant=participant,
        form=EraseForm(),
        retention_days=privacy_service.retention_days(),
    )


@bp.route("/residents/<int:participant_id>/export.json")
@writes
def resident_export_json(participant_id: int):
    _resident(participant_id)
    data = privacy_service.export_resident(db_session(), participant_id, actor=current_actor())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="resident-{participant_id}.json"'},
    )


@bp.route("/residents/<int:participant_id>/export.csv")
@writes
def resident_export_csv(participant_id: int):
    _resident(participant_id)
    data = privacy_service.export_resident(db_session(), participant_id, actor=current_actor())
    try:
        return _csv_response(privacy_service.export_rows(data), f"resident-{participant_id}.csv")
    except DomainError as error:
        flash(error.translate(_), "error")
        return redirect(url_for("reports.privacy", participant_id=participant_id))


@bp.route("/residents/<int:participant_id>/erase", methods=["POST"])
def resident_erase(participant_id: int):
    participant = _resident(participant_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return render_template(
            "reports/privacy.html",
            participant=participant,
            form=form,
            retention_days=privacy_service.retention_days(),
        ), 422
    privacy_service.erase_resident(db_session(), participant_id, actor=current_actor())
    flash(
        _("The resident's personal data was erased. Their attendance still counts, anonymously."),
        "success",
    )
    return redirect(url_for("office.residents"))


# -- the audit trail (admins) ---------------------------------------------------------


@bp.route("/audit")
def audit():
    if not has_role(current_user, Role.ADMIN):
        abort(403)
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    participant = request.args.get("participant", "").translate(_FULL_WIDTH_DIGITS).strip()[:40]
    action = request.args.get("action", "").strip()
    if participant and not _NUMBER.fullmatch(participant):
        return render_template(
            "reports/audit.html",
            events=[],
            actors={},
            participant=participant,
            action=action,
            actions=AUDIT_ACTIONS,
            more=False,
            next_before=None,
            participant_error=_("A resident number is written in digits, for example 123."),
        ), 400
    if participant:
        # beyond a database integer no resident can have the number: nothing matches
        number = int(participant)
        query = query.where(
            AuditEvent.participant_id == number if number <= MAX_ROW_ID else false()
        )
    if action:
        query = query.where(AuditEvent.action == action)
    before = request.args.get("before", "")
    if _NUMBER.fullmatch(before) and int(before) <= MAX_ROW_ID:
        query = query.where(AuditEvent.id < int(before))
    events = list(db_session().scalars(query.limit(AUDIT_PAGE + 1)))
    more = len(events) > AUDIT_PAGE
    events = events[:AUDIT_PAGE]
    actors = _staff_names({e.actor_id for e in events if e.actor_id})
    return render_template(
        "reports/audit.html",
        events=events,
        actors=actors,
        participant=participant,
        action=action,
        actions=AUDIT_ACTIONS,
        more=more,
        next_before=events[-1].id if events and more else None,
    )


def _staff_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        uid: f"{name or login} ({login})"
        for uid, login, name in db_session().execute(
            select(User.id, User.login, User.display_name).where(User.id.in_(ids))
        )
    }


# -- importing the old spreadsheet ----------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
def import_upload():
    form = ImportUploadForm()
    result, payload, status = None, "", 200
    if form.is_submitted():
        status = 422
        if form.validate():
            data = form.file.data.read()
            result, status = _run_import(data, apply=False)
            payload = (
                base64.b64encode(data).decode("ascii") if result is not None and result.ok else ""
            )
    return render_template(
        "reports/import.html",
        form=form,
        result=result,
        apply_form=ImportApplyForm(payload=payload),
        columns=import_service.COLUMNS,
    ), status


@bp.route("/import/apply", methods=["POST"])
def import_apply():
    form = ImportApplyForm()
    if not form.validate_on_submit() or not form.payload.data:
        abort(400)
    try:
        data = base64.b64decode(form.payload.data, validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    result, status = _run_import(data, apply=True)
    if result is not None and result.applied and not result.ok:
        # a class changed between the check and the writing: say which rows, keep the rest
        flash(
            _(
                "%(count)s rows could not be written (something changed since the check); "
                "the other rows were imported. Importing the same file again adds only what is missing.",
                count=len(result.error_rows),
            ),
            "warning",
        )
    elif result is not None and result.applied:
        flash(
            _(
                "Imported %(rows)s rows: %(created)s new residents, %(registrations)s registrations.",
                rows=len(result.rows),
                created=result.created,
                registrations=result.registrations,
            ),
            "success",
        )
        return redirect(url_for("reports.import_upload"))
    return render_template(
        "reports/import.html",
        form=ImportUploadForm(),
        result=result,
        apply_form=ImportApplyForm(),
        columns=import_service.COLUMNS,
    ), status


def _run_import(data: bytes, *, apply: bool):
    # the import checks without a write transaction and writes in short batches of its
    # own: this request's transaction (opened by the login check) must not hold the lock
    end_unit_of_work(commit=True)
    try:
        result = import_service.import_residents(
            get_database(), data, actor=current_actor(), apply=apply
        )
    except DomainError as error:
        show_domain_error(None, error)
        return None, 422
    return result, 200 if result.ok else 422


@bp.route("/import/template.csv")
def import_template():
    return _csv_response(import_service.template_rows(), "tsunagu-import-template.csv")
