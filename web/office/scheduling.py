"""Scheduling classes (one or a series), cancelling them, and drawing lotteries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from classroom.models import (
    ACTIVE_STATUSES,
    BookingMode,
    Course,
    Registration,
    RegistrationStatus,
    Role,
    SessionState,
    User,
    Venue,
    utcnow,
)
from classroom.services import registration as registration_service
from classroom.services import sessions as session_service
from classroom.services.errors import DomainError
from classroom.services.sessions import Repeat

from ..access import class_session_or_404, current_actor
from ..database import db_session
from ..formatting import when
from ..forms import choices, option, sent_before, show_domain_error
from ..forms import created as created_page
from .blueprint import bp
from .forms import ConfirmForm, SessionForm


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def session_choices(form: SessionForm, keep: list[User] = ()) -> SessionForm:
    """Fill a class form's menus (those it has) and date window; `keep`, the instructors
    a class has now, are offered even when they have left (an edit keeps them)."""
    db = db_session()
    if "course_id" in form:
        form.course_id.choices = [
            option(c.id, c.title) for c in db.scalars(select(Course).order_by(Course.code))
        ]
    form.venue_id.choices = [
        option(v.id, _("%(name)s (%(seats)s seats)", name=v.name, seats=v.capacity))
        for v in db.scalars(select(Venue).order_by(Venue.name))
    ]
    teachers = list(
        db.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_([Role.INSTRUCTOR, Role.COORDINATOR]))
            .order_by(User.role.desc(), User.display_name, User.login)
        )
    )
    teachers += [u for u in keep if u not in teachers]
    form.instructor_ids.choices = [option(u.id, u.display_name or u.login) for u in teachers]
    if "booking_mode" in form:
        form.booking_mode.choices = choices(BookingMode)
    if "repeat" in form:
        form.repeat.choices = choices(Repeat)
    # the browser's date picker offers only the scheduling window (the service checks it)
    first, end = session_service.scheduling_window()
    form.date.render_kw = {
        **(form.date.render_kw or {}),
        "min": first.astimezone(zone()).date().isoformat(),
        "max": (end.astimezone(zone()) - timedelta(days=1)).date().isoformat(),
    }
    return form


def _session_form() -> SessionForm:
    form = session_choices(SessionForm())
    if not form.is_submitted():
        form.booking_mode.data = BookingMode.FIRST_COME.value
        form.repeat.data = Repeat.ONCE.value
    return form


def class_fields(form: SessionForm) -> dict:
    """What a class form says of the class, times in the ward's time zone."""
    tz = zone()
    day = form.date.data
    deadline = form.application_deadline.data
    return {
        "venue_id": form.venue_id.data,
        "starts_at": datetime.combine(day, form.starts_at.data, tzinfo=tz),
        "ends_at": datetime.combine(day, form.ends_at.data, tzinfo=tz),
        "capacity": form.capacity.data,
        "application_deadline": deadline.replace(tzinfo=tz) if deadline else None,
        "instructor_ids": form.instructor_ids.data or [],
        "note": form.note.data or "",
    }


@bp.route("/sessions/new", methods=["GET", "POST"])
def session_new():
    form = _session_form()
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            if (first := sent_before(form)) is not None:
                return first
            try:
                created = session_service.create_series(
                    db_session(),
                    course_id=form.course_id.data,
                    booking_mode=form.booking_mode.data,
                    repeat=form.repeat.data,
                    occurrences=form.occurrences.data or 1,
                    actor=current_actor(),
                    **class_fields(form),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                if len(created) == 1:
                    flash(_("The class was scheduled."), "success")
                    return created_page(form, url_for("office.session", session_id=created[0].id))
                flash(
                    ngettext(
                        "%(num)s class was scheduled, from %(first)s to %(last)s.",
                        "%(num)s classes were scheduled, from %(first)s to %(last)s.",
                        len(created),
                        first=when(created[0].starts_at),
                        last=when(created[-1].starts_at),
                    ),
                    "success",
                )
                return created_page(form, url_for("office.sessions"))
    return render_template("office/session_form.html", form=form), status


def _active_registrations(session_id: int) -> list[Registration]:
    return list(
        db_session().scalars(
            select(Registration)
            .where(
                Registration.session_id == session_id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
            .options(selectinload(Registration.participant))
            .order_by(Registration.status, Registration.waitlist_seq, Registration.created_at)
        )
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
def session_cancel(session_id: int):
    """GET asks "are you sure?" and says who will be called; POST cancels."""
    class_session = class_session_or_404(session_id)
    form = ConfirmForm()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        try:
            calls = session_service.cancel_session(db_session(), session_id, actor=current_actor())
        except DomainError as error:
            show_domain_error(None, error)
        else:
            flash(
                ngettext(
                    "The class was cancelled. %(num)s person was added to the list to call.",
                    "The class was cancelled. %(num)s people were added to the list to call.",
                    len(calls),
                ),
                "success",
            )
        return redirect(url_for("office.session", session_id=session_id))
    if class_session.state != SessionState.SCHEDULED:
        flash(
            _(
                "This class is %(state)s; it cannot be cancelled.",
                state=_(class_session.state.label).lower(),
            ),
            "error",
        )
        return redirect(url_for("office.session", session_id=session_id))
    return render_template(
        "office/session_cancel.html",
        session=class_session,
        form=form,
        registrations=_active_registrations(session_id),
    )


@bp.route("/sessions/<int:session_id>/lottery")
def lottery(session_id: int):
    """The applications before the draw; the seed and the drawn result after it."""
    db = db_session()
    class_session = class_session_or_404(session_id)
    if class_session.booking_mode != BookingMode.LOTTERY:
        flash(
            _("This class takes registrations first come, first served; there is nothing to draw."),
            "info",
        )
        return redirect(url_for("office.session", session_id=session_id))
    registrations = {
        r.id: r
        for r in db.scalars(
            select(Registration)
            .where(Registration.session_id == session_id)
            .options(selectinload(Registration.participant))
            .order_by(Registration.created_at, Registration.id)
        )
    }
    return render_template(
        "office/lottery.html",
        session=class_session,
        registrations=registrations,
        result=registration_service.lottery_result(db, session_id),
        applications=[r for r in registrations.values() if r.status == RegistrationStatus.APPLIED],
        deadline_passed=utcnow() >= class_session.application_deadline,
        form=ConfirmForm(),
        RegistrationStatus=RegistrationStatus,
    )


@bp.route("/sessions/<int:session_id>/lottery/draw", methods=["POST"])
def lottery_draw(session_id: int):
    class_session_or_404(session_id)
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    try:
        draw = registration_service.draw_lottery(db_session(), session_id, actor=current_actor())
    except DomainError as error:
        show_domain_error(None, error)
    else:
        flash(
            ngettext(
                "The lottery was drawn (seed %(seed)s). %(num)s applicant is on the list to call.",
                "The lottery was drawn (seed %(seed)s). %(num)s applicants are on the list to call.",
                len(draw.drawn_order),
                seed=draw.seed,
            ),
            "success",
        )
    return redirect(url_for("office.lottery", session_id=session_id))
