"""What each participant can now do (issue 17): the instructor's grid of "I can ..." items
for a class, and the printable progress sheet and certificate (修了証) for a resident.

The items are the lessons' checklists in content; the domain core knows them only by id
("<lesson>/<item>"), so the titles are resolved here."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, Length

from classroom.models import (
    ClassSession,
    Course,
    Participant,
    Role,
    utcnow,
)
from classroom.services import attendance as attendance_service
from classroom.services import audit
from classroom.services import progress as progress_service
from classroom.services.errors import DomainError
from classroom.services.progress import Item, LessonItems, item_id

from ..access import OFFICE_ROLES, current_actor, session_for
from ..database import db_session, refuse, writes
from ..formatting import local
from ..forms import Form, record_id
from ..handouts.content import HANDOUT_LANGUAGE, catalog, content_language
from .blueprint import bp


class ProgressForm(Form):
    """One cell of the grid: tick an item for a person, or undo the tick."""

    participant_id = IntegerField(validators=[DataRequired(), record_id()])
    item_id = HiddenField(validators=[DataRequired(), Length(max=160)])
    action = SelectField(choices=["tick", "untick"])


def course_items(course: Course, language: str | None = None) -> list[LessonItems]:
    """The "I can ..." items of a course's lessons, in order, in the staff member's
    language (Japanese when the content lacks it). A lesson the content lacks is left out."""
    language = language or content_language()
    lessons = catalog().lessons
    found = []
    for lesson_id in course.lesson_ids or []:
        lesson = lessons.get(lesson_id)
        if lesson is None:
            continue
        found.append(
            LessonItems(
                lesson_id,
                lesson.title.get(language),
                [Item(item_id(lesson_id, can.id), can.text.get(language)) for can in lesson.can_do],
            )
        )
    return found


def _lesson_numbers(lessons: list[LessonItems]) -> dict[str, int]:
    """Each item's lesson, numbered from 1 as the grid's sections (and row anchors) are."""
    return {item.id: n for n, lesson in enumerate(lessons, 1) for item in lesson.items}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _grid_url(class_session: ClassSession, anchor: str | None = None):
    return url_for("teach.progress", session_id=class_session.id, _anchor=anchor)


@bp.route("/sessions/<int:session_id>/progress")
def progress(session_id: int):
    """できたことの記録: the class's roster × the items of its lessons."""
    class_session = session_for(session_id)
    db = db_session()
    return render_template(
        "teach/progress.html",
        session=class_session,
        roster=attendance_service.roster(db, class_session.id),
        lessons=course_items(class_session.course),
        done=progress_service.roster_progress(db, class_session.id),
        form=ProgressForm(formdata=None),
    )


@bp.route("/sessions/<int:session_id>/progress", methods=["POST"])
def progress_mark(session_id: int):
    """A tap on a cell: tick (できた) or undo. Without JavaScript the page comes back at
    the person's row; with it, the answer is JSON and the cell changes in place."""
    class_session = session_for(session_id)
    form = ProgressForm()
    lesson_of = _lesson_numbers(course_items(class_session.course))
    error = anchor = None
    if not form.validate():
        error = _("That tap could not be read. Please tap again.")
    elif form.item_id.data not in lesson_of:
        error = _("This is not an item of the class's lessons.")
    else:
        arguments = dict(
            session_id=class_session.id,
            participant_id=form.participant_id.data,
            item_id=form.item_id.data,
            actor=current_actor(),
        )
        try:
            if form.action.data == "tick":
                progress_service.tick(db_session(), **arguments)
            else:
                progress_service.untick(db_session(), **arguments)
        except DomainError as problem:
            refuse()
            error = problem.translate(_)
    if _wants_json():
        if error is not None:
            return jsonify(error=error), 422
        return jsonify(done=form.action.data == "tick")
    if error is not None:
        flash(error, "error")
    if form.item_id.data in lesson_of and form.participant_id.data:
        anchor = f"l{lesson_of[form.item_id.data]}-p{form.participant_id.data}"
    return redirect(_grid_url(class_session, anchor), code=303)


# -- the resident's progress sheet and certificate --------------------------------------


def _participant_for(participant_id: int) -> Participant:
    """The resident, if the staff member may see their outcomes: coordinators and admins,
    and the instructors of a class the resident is (or was) on the roster of."""
    participant = db_session().get(Participant, participant_id)
    if participant is None or participant.erased_at is not None:
        abort(404)
    if current_user.role in OFFICE_ROLES:
        return participant
    if current_user.role == Role.INSTRUCTOR and progress_service.teaches_participant(
        db_session(), current_user.id, participant_id
    ):
        return participant
    abort(403)


def _outcomes(participant: Participant, language: str) -> list[progress_service.CourseOutcome]:
    return progress_service.outcomes(
        db_session(), participant.id, lambda course: course_items(course, language)
    )


def _ward_name() -> str:
    settings = catalog().settings
    if settings.has_value("ward.name"):
        value = settings.lookup("ward.name")
        return str(value.get(HANDOUT_LANGUAGE, "")) if isinstance(value, Mapping) else str(value)
    return _("the ward")


def _viewed(participant: Participant, action: str, course_id: int | None = None) -> None:
    audit.record(
        db_session(),
        current_actor(),
        action,
        participant_id=participant.id,
        subject_type="participant",
        subject_id=participant.id,
        details={"course_id": course_id} if course_id else None,
    )


@bp.route("/residents/<int:participant_id>/progress")
@writes  # a resident's name and what they learned: audited
def progress_sheet(participant_id: int):
    """できるようになったこと: the items done and the next ones, per course; printable A4."""
    participant = _participant_for(participant_id)
    _viewed(participant, "participant.progress_sheet")
    with force_locale(HANDOUT_LANGUAGE):  # the resident's paper: in Japanese
        return render_template(
            "teach/progress_sheet.html",
            participant=participant,
            outcomes=_outcomes(participant, HANDOUT_LANGUAGE),
            ward_name=_ward_name(),
            lang=HANDOUT_LANGUAGE,
        )


@bp.route("/residents/<int:participant_id>/certificate/<int:course_id>")
@writes
def certificate(participant_id: int, course_id: int):
    """修了証 for a course whose items are all done; otherwise what is still to do."""
    participant = _participant_for(participant_id)
    outcomes = _outcomes(participant, HANDOUT_LANGUAGE)
    outcome = next((o for o in outcomes if o.course.id == course_id), None)
    if outcome is None:
        abort(404)
    _viewed(participant, "participant.certificate", course_id)
    with force_locale(HANDOUT_LANGUAGE):
        return render_template(
            "teach/certificate.html",
            participant=participant,
            outcome=outcome,
            issued=format_date(local(utcnow()).date(), "long"),  # 2026年12月4日
            ward_name=_ward_name(),
            lang=HANDOUT_LANGUAGE,
        )
