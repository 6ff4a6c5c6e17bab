from __future__ import annotations

import re
import secrets

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from classroom.db import MAX_ROW_ID
from classroom.models import (
    ClassSession,
    Device,
    Need,
    Participant,
    Registration,
    RegistrationStatus,
    Source,
    utcnow,
)
from classroom.services import audit, next_class
from classroom.services import calls as call_service
from classroom.services import registration as registration_service
from classroom.services import residents as resident_service
from classroom.services import sessions as session_service
from classroom.services.availability import availability
from classroom.services.errors import DomainError

from ..access import class_session_or_404, current_actor, participant_or_404, registration_or_404
from ..database import db_session, writes
from ..formatting import PageFormat
from ..forms import (
    DAMAGED_FORM_MESSAGE,
    choices,
    created,
    option,
    sent_before,
    show_domain_error,
)
from ..handouts.content import item_texts, lesson_item_ids
from .blueprint import bp
from .forms import ConfirmForm, NewResidentForm, RegisterForm, ResidentForm
from .session_page import render_session

SEARCH_LIMIT = 30
#: what the register form's hidden key is (secrets.token_urlsafe(16) makes 22 of these)
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: how a coordinator's registration came in
OFFICE_SOURCES = (Source.PHONE, Source.COUNTER, Source.WALK_IN)


def _resident_form(form_cls, **kwargs):
    form = form_cls(**kwargs)
    form.device.choices = choices(Device)
    form.needs.choices = choices(Need)
    return form


def _resident_json(p: Participant) -> dict:
    return {
        "id": p.id,
        "name": p.display_name,
        "reading": p.reading,
        "phone": p.phone,
        "birth_year": p.birth_year,
        "url": url_for("office.resident", participant_id=p.id),
    }


@bp.route("/")
def index():
    return redirect(url_for("office.residents"))


@bp.route("/residents")
def residents():
    query = request.args.get("q", "").strip()[:60]
    found = (
        resident_service.search_participants(db_session(), query, limit=SEARCH_LIMIT)
        if query
        else []
    )
    return render_template("office/residents.html", query=query, found=found, limit=SEARCH_LIMIT)


@bp.route("/residents/search.json")
def residents_search():
    """The search-as-you-type answer for residents.js; the page works without it."""
    query = request.args.get("q", "").strip()[:60]
    found = (
        resident_service.search_participants(db_session(), query, limit=SEARCH_LIMIT)
        if query
        else []
    )
    return jsonify(query=query, results=[_resident_json(p) for p in found])


@bp.route("/residents/new", methods=["GET", "POST"])
def resident_new():
    form = _resident_form(NewResidentForm)
    duplicates: list[Participant] = []
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            if (first := sent_before(form)) is not None:
                return first
            db = db_session()
            duplicates = resident_service.likely_duplicates(
                db,
                reading=form.reading.data,
                phone=form.phone.data,
                birth_year=form.birth_year.data,
            )
            if duplicates and not form.not_a_duplicate.data:
                status = 409
            else:
                try:
                    participant = resident_service.create_participant(
                        db,
                        family_name=form.family_name.data,
                        given_name=form.given_name.data,
                        reading=form.reading.data,
                        phone=form.phone.data,
                        birth_year=form.birth_year.data,
                        device=form.device.data,
                        needs=form.needs.data or [],
                        note=form.note.data,
                        consent=form.consent.data,
                        source=Source.COUNTER,
                        actor=current_actor(),
                    )
                except DomainError as error:
                    show_domain_error(form, error)
                else:
                    flash(_("%(name)s was added.", name=participant.display_name), "success")
                    return created(form, url_for("office.resident", participant_id=participant.id))
    return render_template(
        "office/resident_form.html",
        form=form,
        duplicates=duplicates,
        creating=True,
        purpose=_(resident_service.PURPOSE_OF_COLLECTION),
    ), status


@bp.route("/residents/<int:participant_id>")
@writes
def resident(participant_id: int):
    db = db_session()
    participant = participant_or_404(participant_id)
    audit.record(
        db,
        current_actor(),
        "participant.view",
        participant_id=participant.id,
        subject_type="participant",
        subject_id=participant.id,
    )
    registrations = list(
        db.scalars(
            select(Registration)
            .where(Registration.participant_id == participant.id)
            .options(
                selectinload(Registration.session).selectinload(ClassSession.course),
                selectinload(Registration.session).selectinload(ClassSession.venue),
            )
            .order_by(Registration.created_at.desc())
        )
    )
    return render_template(
        "office/resident.html",
        participant=participant,
        registrations=registrations,
        cancel_form=ConfirmForm(),
        needs={n.value: n for n in Need},
        next_classes=_next_classes(participant.id),
    )


def _next_classes(participant_id: int) -> list[tuple[next_class.Suggestion, list[str]]]:
    """The classes to suggest when the resident phones, each with the texts of the items
    it would teach them that they have not shown yet."""
    texts = item_texts()
    return [
        (found, [texts.get(item, item) for item in found.items_left])
        for found in next_class.next_classes(db_session(), participant_id, lesson_item_ids())
    ]


@bp.route("/residents/<int:participant_id>/edit", methods=["GET", "POST"])
def resident_edit(participant_id: int):
    participant = participant_or_404(participant_id)
    form = _resident_form(ResidentForm, obj=participant)
    if request.method == "GET":
        form.device.data = participant.device.value
        form.needs.data = list(participant.needs or [])
        form.birth_year.data = str(participant.birth_year or "")
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                resident_service.update_participant(
                    db_session(),
                    participant.id,
                    actor=current_actor(),
                    family_name=form.family_name.data,
                    given_name=form.given_name.data,
                    reading=form.reading.data,
                    phone=form.phone.data,
                    birth_year=form.birth_year.data or None,
                    device=form.device.data,
                    needs=form.needs.data or [],
                    note=form.note.data,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                flash(_("The changes were saved."), "success")
                return redirect(url_for("office.resident", participant_id=participant.id))
    return render_template(
        "office/resident_form.html",
        form=form,
        participant=participant,
        creating=False,
        duplicates=[],
        purpose=_(resident_service.PURPOSE_OF_COLLECTION),
    ), status


def _url_before_id(endpoint: str, name: str) -> str:
    """The part of url_for(endpoint, name=id) before the id (which ends the URL): a page
    of many rows builds it once instead of once per row."""
    sentinel = "987654321"
    prefix, found, rest = url_for(endpoint, **{name: int(sentinel)}).partition(sentinel)
    if not found or rest:
        raise ValueError(f"{endpoint}: {name} does not end the URL")
    return prefix


@bp.route("/sessions")
def sessions():
    fmt = PageFormat()
    when, booking_label = fmt.when, fmt.label
    session_url = _url_before_id("office.session", "session_id")
    # each row's cells made here, in one pass and as text (a number is escaped faster as
    # text): ~150 rows, a template call or attribute look-up per cell adds up
    rows = [
        (
            f"{session_url}{id_}",
            when(starts, ends),
            course,
            venue,
            booking_label(mode),
            str(capacity),
            str(left) if left > 0 else "",  # "" shows as full
            str(waiting),
        )
        for id_, starts, ends, course, venue, mode, capacity, left, waiting in (
            session_service.upcoming_list(db_session())
        )
    ]
    return render_template("office/sessions.html", rows=rows)


@bp.route("/sessions/<int:session_id>")
def session(session_id: int):
    class_session = class_session_or_404(session_id)
    return render_session(class_session, undo=_undo_offer(class_session))


def _undo_offer(class_session: ClassSession) -> Registration | None:
    """The registration just cancelled (?undo=<id>), while its cancel may still be undone."""
    wanted = request.args.get("undo", type=int)
    if wanted is None or not 0 < wanted <= MAX_ROW_ID:
        return None
    reg = db_session().get(Registration, wanted)
    if reg is None or reg.session_id != class_session.id or not registration_service.undoable(reg):
        return None
    return reg


@bp.route("/residents/<int:participant_id>/register", methods=["GET", "POST"])
def register(participant_id: int):
    db = db_session()
    participant = participant_or_404(participant_id)
    upcoming = session_service.upcoming_sessions(db)
    form = RegisterForm()
    form.session_id.choices = [option(s.id, str(s.id)) for s in upcoming]
    form.source.choices = choices(Source, exclude=set(Source) - set(OFFICE_SOURCES))
    if request.method == "GET":
        form.idempotency_key.data = secrets.token_urlsafe(16)
        if (wanted := request.args.get("session", type=int)) is not None:
            form.session_id.data = wanted
    status = 200
    if form.is_submitted():
        status = 422
        if form.idempotency_key.data and not IDEMPOTENCY_KEY.fullmatch(form.idempotency_key.data):
            # the hidden key came back damaged: say so, and offer a fresh one
            form.idempotency_key.data = secrets.token_urlsafe(16)
            flash(str(DAMAGED_FORM_MESSAGE), "error")
        elif form.validate():
            try:
                result = registration_service.register(
                    db,
                    session_id=form.session_id.data,
                    participant_id=participant.id,
                    source=Source(form.source.data),
                    actor=current_actor(),
                    idempotency_key=f"office:{form.idempotency_key.data}"
                    if form.idempotency_key.data
                    else None,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                return redirect(
                    url_for("office.registration", registration_id=result.registration.id)
                )
    now = utcnow()
    return render_template(
        "office/register.html",
        form=form,
        participant=participant,
        sessions=upcoming,
        # each class as booking it would go: the one rule (a closed lottery is closed,
        # a drawn one is open or full again), and those the resident holds already
        availability={s.id: availability(s, now) for s in upcoming},
        held=registration_service.held_by(db_session(), participant.id, [s.id for s in upcoming]),
        waiting=registration_service.waiting_counts(db_session(), [s.id for s in upcoming]),
        next_classes=_next_classes(participant.id),
    ), status


@bp.route("/registrations/<int:registration_id>")
def registration(registration_id: int):
    db = db_session()
    reg = registration_or_404(registration_id)
    position = registration_service.waitlist_position(db, reg)
    return render_template(
        "office/registration.html",
        registration=reg,
        position=position,
        RegistrationStatus=RegistrationStatus,
        cancel_form=ConfirmForm(),
    )


@bp.route("/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
def registration_cancel(registration_id: int):
    """GET asks "cancel this person's place in this class?" by name and class; POST cancels.

    A mis-click cancelled the wrong resident (issue 16): one click never cancels now, and
    the class page offers to undo the cancel afterwards.
    """
    reg = registration_or_404(registration_id)
    form = ConfirmForm()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        try:
            result = registration_service.cancel_registration(
                db_session(), registration_id, actor=current_actor()
            )
        except DomainError as error:
            show_domain_error(None, error)
            return redirect(url_for("office.sessions"))
        flash(_("The registration was cancelled."), "success")
        if result.promoted is not None:
            flash(
                _(
                    "%(name)s moved up from the waitlist and was added to the list of people "
                    "to call.",
                    name=result.promoted.participant.display_name,
                ),
                "warning",
            )
        return redirect(
            url_for(
                "office.session",
                session_id=result.registration.session_id,
                undo=result.registration.id,
            )
        )
    if reg.status == RegistrationStatus.CANCELLED:
        flash(_("This registration is already cancelled."), "info")
        return redirect(url_for("office.session", session_id=reg.session_id))
    back = (
        url_for("office.registration", registration_id=reg.id)
        if request.args.get("back") == "registration"
        else url_for("office.session", session_id=reg.session_id)
    )
    return render_template(
        "office/registration_cancel.html",
        registration=reg,
        position=registration_service.waitlist_position(db_session(), reg),
        form=form,
        back=back,
    )


@bp.route("/registrations/<int:registration_id>/undo", methods=["POST"])
def registration_undo(registration_id: int):
    """Undo a cancel made a moment ago, if no one has taken the place since."""
    reg = registration_or_404(registration_id)
    session_id = reg.session_id
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    try:
        registration_service.undo_cancel(db_session(), registration_id, actor=current_actor())
    except DomainError as error:
        show_domain_error(None, error)
    else:
        flash(
            _(
                "The cancellation was undone: %(name)s is back as before.",
                name=reg.participant.display_name,
            ),
            "success",
        )
    return redirect(url_for("office.session", session_id=session_id))


def _calls_to_make(action: str) -> dict:
    """Tomorrow's reminders added (idempotent), then every open call, one row per person
    and class: rows with news first, then rows that are only tomorrow's reminder.

    Showing or printing the list is a view of personal data, so it is audited.
    """
    db = db_session()
    now = utcnow()
    call_service.tomorrows_reminders(db, now, timezone=current_app.config["TIMEZONE"])
    calls = call_service.open_calls(db, now)
    rows = call_service.call_rows(calls)  # one per person and class, every reason on it
    reminders = sorted(
        (r for r in rows if r.reminder_only),
        key=lambda r: (r.session.starts_at, r.participant.reading_key, r.id),
    )
    news = [r for r in rows if not r.reminder_only]
    audit.record(
        db, current_actor(), action, subject_type="call_task", details={"calls": len(calls)}
    )
    return {"news": news, "reminders": reminders, "now": now}


@bp.route("/calls")
@writes
def calls():
    return render_template("office/calls.html", form=ConfirmForm(), **_calls_to_make("calls.view"))


@bp.route("/calls/print")
@writes
def calls_print():
    """The same list on A4 for the desk: large type, no menus, a column to tick by hand."""
    return render_template("office/calls_print.html", **_calls_to_make("calls.print"))


@bp.route("/calls/<int:call_id>/informed", methods=["POST"])
def call_informed(call_id: int):
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    # the other calls the row showed (the same person and class): ticked with this one
    together = [
        int(v)
        for v in request.form.getlist("with")
        if v.isascii() and v.isdigit() and 0 < int(v) <= MAX_ROW_ID
    ]
    try:
        call_service.mark_informed(db_session(), call_id, actor=current_actor(), together=together)
    except DomainError as error:
        show_domain_error(None, error)
    else:
        flash(_("Marked as informed."), "success")
    return redirect(url_for("office.calls"))
