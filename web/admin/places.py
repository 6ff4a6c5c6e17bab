"""Venues and courses: listed, added and changed by administrators."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from classroom.models import (
    ClassSession,
    Course,
    CourseKind,
    DeviceTrack,
    SessionState,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import courses as course_service
from classroom.services import venues as venue_service
from classroom.services.actor import Actor
from classroom.services.errors import DomainError
from content import Catalog

from .. import content_source
from ..access import course_or_404, venue_or_404
from ..database import db_session
from ..forms import choices, created, sent_before, show_domain_error
from .blueprint import bp
from .forms import CourseForm, NewCourseForm, NewVenueForm, VenueForm


def _actor() -> Actor:
    return Actor.for_user(current_user, request.remote_addr or "")


def _upcoming_counts(column) -> dict[int, int]:
    rows = db_session().execute(
        select(column, func.count(ClassSession.id))
        .where(ClassSession.state == SessionState.SCHEDULED, ClassSession.starts_at > utcnow())
        .group_by(column)
    )
    return dict(rows.all())


@bp.route("/venues")
def venues():
    found = db_session().scalars(select(Venue).order_by(Venue.name)).all()
    return render_template(
        "admin/venues.html", venues=found, upcoming=_upcoming_counts(ClassSession.venue_id)
    )


def _venue_form(venue: Venue | None = None) -> VenueForm:
    if venue is None:
        form = NewVenueForm()
    else:
        form = VenueForm(obj=venue) if request.method == "GET" else VenueForm()
    form.kind.choices = choices(VenueKind)
    if venue is not None and request.method == "GET":
        form.show_translations("name", venue.name_translations)
        form.show_translations("access", venue.access_translations)
    if venue is None and request.method == "GET":
        form.loaner_phones.data = "0"
    return form


def _venue_page(venue: Venue | None):
    form = _venue_form(venue)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            if venue is None and (first := sent_before(form)) is not None:
                return first
            fields = dict(
                name=form.name.data,
                kind=form.kind.data,
                address=form.address.data,
                access=form.access.data,
                capacity=form.capacity.data,
                loaner_phones=form.loaner_phones.data,
                name_translations=form.translations("name"),
                access_translations=form.translations("access"),
                actor=_actor(),
            )
            try:
                if venue is None:
                    venue_service.create_venue(db_session(), **fields)
                else:
                    venue_service.update_venue(db_session(), venue.id, **fields)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                flash(_("The venue %(name)s was saved.", name=form.name.data.strip()), "success")
                if venue is None:
                    return created(form, url_for("admin.venues"))
                return redirect(url_for("admin.venues"))
    return render_template("admin/venue_form.html", form=form, venue=venue), status


@bp.route("/venues/new", methods=["GET", "POST"])
def venue_new():
    return _venue_page(None)


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def venue_edit(venue_id: int):
    venue = venue_or_404(venue_id)
    return _venue_page(venue)


@bp.route("/courses")
def courses():
    found = db_session().scalars(select(Course).order_by(Course.code)).all()
    return render_template(
        "admin/courses.html", courses=found, upcoming=_upcoming_counts(ClassSession.course_id)
    )


def _lesson_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """The content's lessons: the intro lessons by their order, then the others by id."""
    lessons = sorted(
        catalog.lessons.values(),
        key=lambda lesson: (lesson.course != "intro", lesson.order or 0, lesson.id),
    )
    return [(lesson.id, f"{lesson.title.get('ja')}（{lesson.id}）") for lesson in lessons]


def _course_form(course: Course | None, catalog: Catalog) -> CourseForm:
    if course is None:
        form = NewCourseForm()
    else:
        form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    form.kind.choices = choices(CourseKind)
    form.device_track.choices = choices(DeviceTrack)
    form.lesson_ids.choices = _lesson_choices(catalog)
    if course is not None and request.method == "GET":
        form.show_translations("title", course.title_translations)
    return form


def _course_page(course: Course | None):
    catalog = content_source.catalog()
    form = _course_form(course, catalog)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            if course is None and (first := sent_before(form)) is not None:
                return first
            fields = dict(
                code=form.code.data,
                title=form.title.data,
                title_translations=form.translations("title"),
                kind=form.kind.data,
                device_track=form.device_track.data,
                description=form.description.data,
                lesson_ids=form.lesson_ids.data or [],
                known_lessons=catalog.lessons.keys(),
                actor=_actor(),
            )
            try:
                if course is None:
                    saved = course_service.create_course(db_session(), **fields)
                else:
                    saved = course_service.update_course(db_session(), course.id, **fields)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                flash(_("The course %(title)s was saved.", title=saved.title), "success")
                if course is None:
                    return created(form, url_for("admin.courses"))
                return redirect(url_for("admin.courses"))
    return render_template("admin/course_form.html", form=form, course=course), status


@bp.route("/courses/new", methods=["GET", "POST"])
def course_new():
    return _course_page(None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def course_edit(course_id: int):
    course = course_or_404(course_id)
    return _course_page(course)
