"""Courses: what a class teaches (スマホ入門, スマホワンポイント教室) and for which phones."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..i18n import N_
from ..models import Course, CourseKind, DeviceTrack
from . import audit
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound
from .text import nfkc

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
TITLE_MAX, DESCRIPTION_MAX = 120, 2000


class CourseCodeTaken(DomainError):
    message = N_("There is already a course with the code %(code)s.")


def _validated(db: Session, course: Course | None, **raw) -> dict:
    errors: dict[str, DomainError] = {}
    code = nfkc(raw["code"] or "").strip().lower()
    if not CODE_RE.match(code):
        errors["code"] = DomainError(
            N_("A code has 1 to 40 lower-case letters, digits and dashes, e.g. intro-iphone."),
            field="code",
        )
    elif db.scalar(
        select(Course.id).where(Course.code == code, Course.id != (course.id if course else -1))
    ):
        errors["code"] = CourseCodeTaken(field="code", code=code)
    title = (raw["title"] or "").strip()  # as written: （） stay full width
    title_en = (raw["title_en"] or "").strip()
    for field, value in (("title", title), ("title_en", title_en)):
        if len(value) > TITLE_MAX:
            errors[field] = DomainError(N_("At most %(max)s characters."), field=field,
                                        max=TITLE_MAX)
    if not title:
        errors["title"] = DomainError(N_("Please enter the title residents see."), field="title")
    try:
        kind = CourseKind(raw["kind"])
    except ValueError:
        errors["kind"] = DomainError(N_("Please choose the kind of course."), field="kind")
        kind = None
    try:
        track = DeviceTrack(raw["device_track"])
    except ValueError:
        errors["device_track"] = DomainError(N_("Please choose the phones it is for."),
                                             field="device_track")
        track = None
    description = (raw["description"] or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = DomainError(N_("At most %(max)s characters."),
                                            field="description", max=DESCRIPTION_MAX)
    if errors:
        raise InvalidInput(errors)
    translations = dict(course.title_translations or {}) if course else {}
    if title_en:
        translations["en"] = title_en
    else:
        translations.pop("en", None)
    return dict(code=code, title=title, title_translations=translations, kind=kind,
                device_track=track, description=description)


def _save(db: Session, course: Course, code: str) -> None:
    try:
        with db.begin_nested():
            db.add(course)
            db.flush()
    except IntegrityError:
        # another administrator saved the same code at the same moment
        raise InvalidInput({"code": CourseCodeTaken(field="code", code=code)}) from None


def create_course(
    db: Session,
    *,
    code: str,
    title: str,
    kind: CourseKind | str,
    device_track: DeviceTrack | str,
    actor: Actor,
    title_en: str = "",
    description: str = "",
) -> Course:
    """A new course with a unique code and a title."""
    values = _validated(db, None, code=code, title=title, title_en=title_en, kind=kind,
                        device_track=device_track, description=description)
    course = Course(lesson_ids=[], **values)
    _save(db, course, values["code"])
    audit.record(db, actor, "course.create", subject_type="course", subject_id=course.id)
    return course


def update_course(
    db: Session,
    course_id: int,
    *,
    code: str,
    title: str,
    kind: CourseKind | str,
    device_track: DeviceTrack | str,
    actor: Actor,
    title_en: str = "",
    description: str = "",
) -> Course:
    """Change a course; its lessons and sessions stay as they are."""
    course = db.get(Course, course_id)
    if course is None:
        raise NotFound(field="course_id")
    values = _validated(db, course, code=code, title=title, title_en=title_en, kind=kind,
                        device_track=device_track, description=description)
    for key, value in values.items():
        setattr(course, key, value)
    _save(db, course, values["code"])
    audit.record(db, actor, "course.update", subject_type="course", subject_id=course.id)
    return course
