from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from classroom.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    ClassSession,
    Need,
    Participant,
    Registration,
    RegistrationStatus,
    Role,
    SessionState,
    session_instructor,
    utcnow,
)
from classroom.services import attendance as attendance_service
from classroom.services.actor import Actor
from classroom.services.codes import normalize_code
from classroom.services.errors import DomainError

from ..access import session_for
from ..database import db_session
from ..forms import show_domain_error
from . import bp
from .forms import CheckInForm, MarkForm

UPCOMING_DAYS = 14
#: QR tokens are long; codes typed by hand have 6 characters
_SCANNED_MIN_LENGTH = 12
_NEEDS = {n.value for n in Need}


def actor() -> Actor:
    return Actor.for_user(current_user, request.remote_addr or "")


def _day_start(now: datetime) -> datetime:
    local = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@bp.route("/")
def today():
    """Today's sessions and the next two weeks'; instructors see only the ones they teach."""
    start = _day_start(utcnow())
    query = (
        select(ClassSession)
        .where(
            ClassSession.starts_at >= start,
            ClassSession.starts_at < start + timedelta(days=UPCOMING_DAYS),
            ClassSession.state != SessionState.CANCELLED,
        )
        .options(selectinload(ClassSession.course), selectinload(ClassSession.venue))
        .order_by(ClassSession.starts_at, ClassSession.id)
    )
    if current_user.role == Role.INSTRUCTOR:
        query = query.join(
            session_instructor, session_instructor.c.session_id == ClassSession.id
        ).where(session_instructor.c.user_id == current_user.id)
    found = list(db_session().scalars(query))
    tomorrow = start + timedelta(days=1)
    todays = [s for s in found if s.starts_at < tomorrow]
    later = [s for s in found if s.starts_at >= tomorrow]
    return render_template("teach/today.html", todays=todays, later=later)


def roster(class_session: ClassSession) -> list[dict]:
    """Everyone with a seat or an attendance: name, kana, device, needs — never the phone."""
    db = db_session()
    registered = db.scalars(
        select(Registration)
        .where(
            Registration.session_id == class_session.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .options(selectinload(Registration.participant))
    ).all()
    attended = {
        a.participant_id: a
        for a in db.scalars(
            select(Attendance)
            .where(Attendance.session_id == class_session.id)
            .options(selectinload(Attendance.participant))
        )
    }
    people: dict[int, dict] = {}
    for reg in registered:
        people[reg.participant_id] = {"participant": reg.participant, "registration": reg}
    for participant_id, a in attended.items():
        people.setdefault(participant_id, {"participant": a.participant, "registration": None})
    rows = []
    for participant_id, entry in people.items():
        p: Participant = entry["participant"]
        rows.append(
            {
                "id": participant_id,
                "name": p.display_name,
                "reading": p.reading,
                "device": p.device,
                "needs": [Need(n) for n in (p.needs or []) if n in _NEEDS],
                "code": entry["registration"].code if entry["registration"] else "",
                "attendance": attended.get(participant_id),
            }
        )
    rows.sort(key=lambda r: (r["reading"] or r["name"]))
    return rows


@bp.route("/sessions/<int:session_id>")
def session(session_id: int):
    class_session = session_for(session_id)
    return render_template(
        "teach/session.html", session=class_session, roster=roster(class_session),
        checkin_form=CheckInForm(), mark_form=MarkForm(), AttendanceStatus=AttendanceStatus,
    )


@bp.route("/sessions/<int:session_id>/check-in", methods=["POST"])
def check_in(session_id: int):
    class_session = session_for(session_id)
    form = CheckInForm()
    if form.validate():
        typed = form.code.data.strip()
        method = (
            CheckInMethod.SCAN if len(normalize_code(typed)) >= _SCANNED_MIN_LENGTH
            else CheckInMethod.CODE
        )
        try:
            result = attendance_service.check_in(
                db_session(), session_id=class_session.id, code=typed, actor=actor(),
                method=method,
            )
        except DomainError as error:
            show_domain_error(form, error)
            form.code.data = ""  # ready for the next scan; the message repeats the code
        else:
            name = result.attendance.participant.display_name
            if result.created:
                flash(_("%(name)s: checked in.", name=name), "success")
            else:
                flash(_("%(name)s was already checked in.", name=name), "info")
            return redirect(url_for("teach.session", session_id=class_session.id))
    return render_template(
        "teach/session.html", session=class_session, roster=roster(class_session),
        checkin_form=form, mark_form=MarkForm(), AttendanceStatus=AttendanceStatus,
    ), 422


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
def mark(session_id: int):
    """A tap on the roster: present / late / absent / excused, or undo."""
    class_session = session_for(session_id)
    form = MarkForm()
    on_roster = {row["id"] for row in roster(class_session)}
    if not form.validate() or form.participant_id.data not in on_roster:
        flash(_("That person is not on this class's roster."), "error")
        return redirect(url_for("teach.session", session_id=class_session.id), code=303)
    try:
        if form.status.data == "undo":
            attendance_service.undo_attendance(
                db_session(), session_id=class_session.id,
                participant_id=form.participant_id.data, actor=actor(),
            )
        else:
            attendance_service.mark_attendance(
                db_session(), session_id=class_session.id,
                participant_id=form.participant_id.data,
                status=AttendanceStatus(form.status.data), actor=actor(),
                method=CheckInMethod.ROSTER,
            )
    except DomainError as error:
        show_domain_error(None, error)
    return redirect(
        url_for("teach.session", session_id=class_session.id, _anchor=f"p{form.participant_id.data}")
    )
