from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from classroom.models import (
    AttendanceStatus,
    CheckInMethod,
    ClassSession,
    Course,
    Device,
    Need,
    Role,
    SessionState,
    Source,
    Venue,
    session_instructor,
    utcnow,
)
from classroom.services import attendance as attendance_service
from classroom.services import questionnaires as questionnaire_service
from classroom.services import residents as resident_service
from classroom.services import sessions as session_service
from classroom.services import walk_ins
from classroom.services.errors import DomainError

from ..access import OFFICE_ROLES, current_actor, session_for
from ..database import db_session, end_unit_of_work, writes
from ..formatting import PageFormat
from ..forms import choices, created, sent_before, show_domain_error
from ..handouts.content import content_language
from .blueprint import bp
from .forms import (
    CheckInForm,
    ConfirmForm,
    MarkForm,
    QuestionnaireEditForm,
    QuestionnaireForm,
    QuickResidentForm,
    WalkInForm,
    WalkInSearchForm,
)
from .plan import lesson_plan, timetable

UPCOMING_DAYS = 14
_NEEDS = {n.value for n in Need}


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


#: the course's title and the venue's name of a class, in one prebuilt statement (not two
#: lazy loads of whole objects)
_TITLE_AND_VENUE = (
    select(Course.__table__.c.title, Venue.__table__.c.name)
    .select_from(
        ClassSession.__table__.join(
            Course.__table__, Course.__table__.c.id == ClassSession.__table__.c.course_id
        ).join(Venue.__table__, Venue.__table__.c.id == ClassSession.__table__.c.venue_id)
    )
    .where(ClassSession.__table__.c.id == bindparam("session_id"))
)
#: where each row's name goes in the roster's mark buttons, rendered once per page: a
#: character no translation or markup holds (the names go in after the split)
_NAME_SLOT = "\x00"


#: (the buttons' template, the page's language) -> the pieces of the mark buttons for each
#: way a row can be marked: the same for every roster in that language (the statuses'
#: names and "Undo"), so rendered once per process, not on every roster page (issue 21)
_BUTTON_PIECES: dict[tuple, dict] = {}


def _mark_buttons(fmt: PageFormat) -> Callable[[AttendanceStatus | None, Markup], Markup]:
    """A roster row's mark buttons (teach/_mark_buttons.html) for how the row is marked and
    the person's escaped name. A roster of 60 has 240-300 buttons that differ only in the
    pressed one and the name each says to a screen reader: they are rendered once for each
    way a row can be marked (and language), in pieces the row's name is joined between."""
    template = current_app.jinja_env.get_template("teach/_mark_buttons.html")
    key = (template, str(get_locale()))
    pieces = _BUTTON_PIECES.get(key)
    if pieces is None:
        statuses, undo_text = fmt.choices(AttendanceStatus), _("Undo")
        pieces = _BUTTON_PIECES[key] = {
            pressed: template.render(
                statuses=statuses, pressed=pressed, name=_NAME_SLOT, undo_text=undo_text
            ).split(_NAME_SLOT)
            for pressed in (None, *AttendanceStatus)
        }
    # the pieces are the template's escaped output and the name is escaped: joined as text
    return lambda pressed, name: Markup(str.join(name, pieces[pressed]))


def _roster_rows(roster: list[dict], fmt: PageFormat) -> list[tuple]:
    """Each roster row's cells, made in one pass (60 rows): the id as text, the name escaped
    once, the kana only when it is not the name shown, walk-in or not, the phone model and
    needs in words, the status it is marked with (or None) and its mark buttons."""
    buttons = _mark_buttons(fmt)
    rows = []
    for row in roster:
        name, reading, mark = row["name"], row["reading"], row["attendance"]
        pressed = mark.status if mark is not None else None
        escaped = escape(name)
        rows.append(
            (
                str(row["id"]),
                escaped,
                reading if reading and reading != name else "",
                mark is not None and mark.walk_in,
                fmt.label(row["device"]),
                fmt.labels(row["needs"], "、"),
                pressed,
                buttons(pressed, escaped),
            )
        )
    return rows


def render_session(class_session: ClassSession, status: int = 200, **parts):
    """The check-in page; `parts` replace its default (empty) forms and search results."""
    walk_in_day = walk_ins.is_class_day(class_session)
    # the walk-in forms are shown on the class's day only: not built on the other days
    quick_form = parts.pop("quick_form", None)
    if quick_form is None and walk_in_day:
        quick_form = QuickResidentForm(formdata=None)
    if quick_form is not None:
        quick_form.device.choices = choices(Device)
        quick_form.device.data = quick_form.device.data or Device.UNKNOWN.value
    course_title, venue_name = (
        db_session().connection().execute(_TITLE_AND_VENUE, {"session_id": class_session.id}).one()
    )
    roster = attendance_service.roster(db_session(), class_session.id)
    fmt = PageFormat()
    context = dict(
        session=class_session,
        course_title=course_title,
        venue_name=venue_name,
        roster=roster,
        roster_rows=_roster_rows(roster, fmt),
        checked_in=sum(row["attendance"] is not None for row in roster),
        checkin_form=CheckInForm(formdata=None),
        mark_form=MarkForm(formdata=None),
        search_form=WalkInSearchForm(formdata=None) if walk_in_day else None,
        walk_in_form=WalkInForm(formdata=None) if walk_in_day else None,
        confirm_form=ConfirmForm(formdata=None),
        quick_form=quick_form,
        found=None,
        too_many=False,
        duplicates=[],
        walk_in_day=walk_in_day,
        max_matches=walk_ins.MAX_MATCHES,
        purpose=_(resident_service.PURPOSE_OF_COLLECTION),
        AttendanceStatus=AttendanceStatus,
        SessionState=SessionState,
        fmt=fmt,
    )
    context.update(parts)
    return render_template("teach/session.html", **context), status


@bp.route("/sessions/<int:session_id>")
def session(session_id: int):
    return render_session(session_for(session_id))


@bp.route("/sessions/<int:session_id>/check-in", methods=["POST"])
def check_in(session_id: int):
    class_session = session_for(session_id)
    form = CheckInForm()
    if form.validate():
        typed = form.code.data.strip()
        try:
            result = attendance_service.check_in(
                db_session(), session_id=class_session.id, code=typed, actor=current_actor()
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
    return render_session(class_session, 422, checkin_form=form)


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
def mark(session_id: int):
    """A tap on the roster: present / late / absent / excused, or undo."""
    class_session = session_for(session_id)
    form = MarkForm()
    if not form.validate() or not attendance_service.on_roster(
        db_session(), class_session.id, form.participant_id.data
    ):
        flash(_("That person is not on this class's roster."), "error")
        return redirect(url_for("teach.session", session_id=class_session.id), code=303)
    try:
        if form.status.data == "undo":
            attendance_service.undo_attendance(
                db_session(),
                session_id=class_session.id,
                participant_id=form.participant_id.data,
                actor=current_actor(),
            )
        else:
            attendance_service.mark_attendance(
                db_session(),
                session_id=class_session.id,
                participant_id=form.participant_id.data,
                status=AttendanceStatus(form.status.data),
                actor=current_actor(),
                method=CheckInMethod.ROSTER,
            )
    except DomainError as error:
        show_domain_error(None, error)
    return redirect(
        url_for(
            "teach.session", session_id=class_session.id, _anchor=f"p{form.participant_id.data}"
        )
    )


@bp.route("/sessions/<int:session_id>/walk-in")
@writes  # the search shows residents' names: audited
def walk_in_search(session_id: int):
    """Find a resident who came without a booking: by the name in kana (and year of birth)
    or the whole phone number; a few matches, rate-limited, audited (classroom/services/walk_ins)."""
    class_session = session_for(session_id)
    form = WalkInSearchForm(request.args)
    if not form.validate():
        return render_session(class_session, 422, search_form=form)
    try:
        walk_ins.ensure_class_day(class_session)
        result = walk_ins.search(
            db_session(), form.q.data, session_id=class_session.id, actor=current_actor()
        )
    except walk_ins.TooManySearches as error:
        # the refusal stays in the audit trail although the answer is an error
        walk_ins.record_refused(db_session(), current_actor(), class_session.id, "rate_limit")
        end_unit_of_work(commit=True)
        show_domain_error(form, error)
        return render_session(session_for(session_id), 429, search_form=form)
    except (walk_ins.NotASearch, walk_ins.WholePhoneNumber) as error:
        # nothing was looked up, but the attempt (a few digits?) stays in the audit trail
        reason = "partial_phone" if isinstance(error, walk_ins.WholePhoneNumber) else "not_a_name"
        walk_ins.record_refused(db_session(), current_actor(), class_session.id, reason)
        end_unit_of_work(commit=True)
        show_domain_error(form, error)
        return render_session(session_for(session_id), 422, search_form=form)
    except DomainError as error:
        show_domain_error(form, error)
        return render_session(class_session, 422, search_form=form)
    return render_session(
        class_session, search_form=form, found=result.matches, too_many=result.too_many
    )


def _check_in_walk_in(class_session: ClassSession, participant_id: int, just_added=False):
    participant = walk_ins.check_in(
        db_session(),
        session_id=class_session.id,
        participant_id=participant_id,
        actor=current_actor(),
        just_added=just_added,
    )
    flash(_("%(name)s: checked in.", name=participant.display_name), "success")
    return redirect(url_for("teach.session", session_id=class_session.id), code=303)


@bp.route("/sessions/<int:session_id>/walk-in", methods=["POST"])
def walk_in(session_id: int):
    """Check in a resident the search just showed (a walk-in unless they hold a seat);
    only on the class's day."""
    class_session = session_for(session_id)
    form = WalkInForm()
    if not form.validate():
        flash(_("Please search for the resident again."), "error")
        return redirect(url_for("teach.session", session_id=class_session.id), code=303)
    try:
        return _check_in_walk_in(class_session, form.participant_id.data)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("teach.session", session_id=class_session.id), code=303)


@bp.route("/sessions/<int:session_id>/walk-in/new", methods=["POST"])
def walk_in_new(session_id: int):
    """Add a resident who is not known yet (name, reading, phone, year of birth, consent)
    and check them in."""
    class_session = session_for(session_id)
    form = QuickResidentForm()
    form.device.choices = choices(Device)
    if not form.validate():
        return render_session(class_session, 422, quick_form=form)
    db = db_session()
    try:
        walk_ins.ensure_class_day(class_session)
    except DomainError as error:
        show_domain_error(None, error)
        return redirect(url_for("teach.session", session_id=class_session.id), code=303)
    if (first := sent_before(form)) is not None:
        return first  # sent twice: the first one added and checked in the resident
    if not form.not_a_duplicate.data:
        duplicates = resident_service.likely_duplicates(
            db, reading=form.reading.data, phone=form.phone.data, birth_year=form.birth_year.data
        )
        if duplicates:
            # they are shown like a search's results (and may be checked in the same way)
            walk_ins.record_shown(
                db, current_actor(), class_session.id, [p.id for p in duplicates], by="duplicates"
            )
            shown = walk_ins.matches(duplicates)
            end_unit_of_work(commit=True)
            return render_session(session_for(session_id), 422, quick_form=form, duplicates=shown)
    try:
        participant = resident_service.create_participant(
            db,
            family_name=form.family_name.data,
            given_name=form.given_name.data,
            reading=form.reading.data,
            phone=form.phone.data,
            birth_year=form.birth_year.data,
            device=form.device.data,
            consent=form.consent.data,
            source=Source.WALK_IN,
            actor=current_actor(),
        )
        _check_in_walk_in(class_session, participant.id, just_added=True)
        return created(form, url_for("teach.session", session_id=class_session.id), code=303)
    except DomainError as error:
        show_domain_error(form, error)
        return render_session(class_session, 422, quick_form=form)


@bp.route("/sessions/<int:session_id>/held", methods=["POST"])
def held(session_id: int):
    """Record that the class took place; it then counts in the ward's reports."""
    class_session = session_for(session_id)
    try:
        session_service.mark_held(db_session(), class_session.id, actor=current_actor())
    except DomainError as error:
        show_domain_error(None, error)
    else:
        flash(_("The class is marked as held."), "success")
    return redirect(url_for("teach.session", session_id=class_session.id), code=303)


@bp.route("/sessions/<int:session_id>/questionnaires", methods=["GET", "POST"])
def questionnaires(session_id: int):
    """Type in the paper questionnaires: satisfaction 1–5 and a comment; the average."""
    class_session = session_for(session_id)
    form = QuestionnaireForm()
    status = 200
    if request.method == "POST" and not form.token_intact():
        status = 422  # the flashed message says so; nothing is saved
    elif request.method == "POST" and (first := sent_before(form)) is not None:
        return first  # sent twice: counted once (the ward's satisfaction figures)
    elif request.method == "POST":
        try:
            response = questionnaire_service.add_response(
                db_session(),
                session_id=class_session.id,
                satisfaction=form.satisfaction.data,
                comment=form.comment.data or "",
                actor=current_actor(),
            )
        except DomainError as error:
            show_domain_error(form, error)
            status = 422
        else:
            flash(
                _(
                    "Saved as form no. %(number)s: write this number on the paper. "
                    "Enter the next one.",
                    number=response.sheet_number,
                ),
                "success",
            )
            return created(
                form, url_for("teach.questionnaires", session_id=class_session.id), code=303
            )
    db = db_session()
    return render_template(
        "teach/questionnaires.html",
        session=class_session,
        form=form,
        responses=questionnaire_service.responses(db, class_session.id),
        may_change=lambda r: (
            current_user.role in OFFICE_ROLES or r.entered_by_id == current_user.id
        ),
        summary=questionnaire_service.summary(db, class_session.id),
        max_comment=questionnaire_service.MAX_COMMENT_LENGTH,
    ), status


def _own_response(class_session: ClassSession, response_id: int):
    """A questionnaire of this class that the current user may change: the instructor who
    typed it in, or a coordinator/administrator. 404 / 403 otherwise."""
    try:
        response = questionnaire_service.response_of(db_session(), class_session.id, response_id)
    except DomainError:
        abort(404)
    if current_user.role not in OFFICE_ROLES and response.entered_by_id != current_user.id:
        abort(403)
    return response


@bp.route(
    "/sessions/<int:session_id>/questionnaires/<int:response_id>/edit", methods=["GET", "POST"]
)
def questionnaire_edit(session_id: int, response_id: int):
    """Correct a questionnaire typed in wrong: its satisfaction or comment."""
    class_session = session_for(session_id)
    response = _own_response(class_session, response_id)
    form = QuestionnaireEditForm(
        data={"satisfaction": str(response.satisfaction), "comment": response.comment}
        if request.method == "GET"
        else None
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                questionnaire_service.correct_response(
                    db_session(),
                    session_id=class_session.id,
                    response_id=response.id,
                    satisfaction=form.satisfaction.data,
                    comment=form.comment.data or "",
                    actor=current_actor(),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                flash(_("Form no. %(number)s corrected.", number=response.sheet_number), "success")
                return redirect(
                    url_for("teach.questionnaires", session_id=class_session.id), code=303
                )
    return render_template(
        "teach/questionnaire_edit.html",
        session=class_session,
        response=response,
        form=form,
        max_comment=questionnaire_service.MAX_COMMENT_LENGTH,
    ), status


@bp.route(
    "/sessions/<int:session_id>/questionnaires/<int:response_id>/delete", methods=["GET", "POST"]
)
def questionnaire_delete(session_id: int, response_id: int):
    """Delete a questionnaire typed in by mistake, after a page that shows which one."""
    class_session = session_for(session_id)
    response = _own_response(class_session, response_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        number = questionnaire_service.delete_response(
            db_session(),
            session_id=class_session.id,
            response_id=response.id,
            actor=current_actor(),
        )
        flash(_("Form no. %(number)s deleted.", number=number), "success")
        return redirect(url_for("teach.questionnaires", session_id=class_session.id), code=303)
    return render_template(
        "teach/questionnaire_delete.html", session=class_session, response=response, form=form
    ), (422 if request.method == "POST" else 200)


@bp.route("/sessions/<int:session_id>/plan")
def plan(session_id: int):
    """The lesson plan: a timetable of the class, the course's lessons, the variants for
    the class's phones, checklists."""
    class_session = session_for(session_id)
    people = attendance_service.roster(db_session(), class_session.id)
    language = content_language()
    planned = lesson_plan(class_session.course.lesson_ids or [], people, language)
    return render_template(
        "teach/plan.html",
        session=class_session,
        roster=people,
        language=language,
        plan=planned,
        timetable=timetable(class_session.starts_at, class_session.ends_at, planned),
        device_labels={d.value: _(d.label) for d in Device},
    )
