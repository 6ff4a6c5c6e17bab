"""Courses: what a class teaches (スマホ入門, スマホワンポイント教室) and for which phones."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from languages import N_

from ..models import Course, CourseKind, DeviceTrack
from . import audit, translations
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound
from .text import nfkc

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
TITLE_MAX, DESCRIPTION_MAX = 120, 2000


class CourseCodeTaken(DomainError):
    message = N_("There is already a course with the code %(code)s.")


class UnknownLesson(DomainError):
    message = N_("There is no lesson %(lesson)s in the content.")


def _lessons(lesson_ids: list[str], known: Collection[str] | None) -> list[str]:
    """The lesson ids in the order given, each once; each must be known (unchecked if None)."""
    chosen = list(dict.fromkeys(str(lesson_id).strip() for lesson_id in lesson_ids))
    unknown = [lesson_id for lesson_id in chosen if known is not None and lesson_id not in known]
    if unknown:
        raise UnknownLesson(field="lesson_ids", lesson=unknown[0])
    return chosen


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
    if len(title) > TITLE_MAX:
        errors["title"] = DomainError(
            N_("At most %(max)s characters."), field="title", max=TITLE_MAX
        )
    titles = translations.validated(
        errors,
        "title",
        raw["title_translations"],
        course.title_translations if course else None,
        maximum=TITLE_MAX,
    )
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
        errors["device_track"] = DomainError(
            N_("Please choose the phones it is for."), field="device_track"
        )
        track = None
    description = (raw["description"] or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = DomainError(
            N_("At most %(max)s characters."), field="description", max=DESCRIPTION_MAX
        )
    lessons = None
    if raw.get("lesson_ids") is not None:
        try:
            lessons = _lessons(raw["lesson_ids"], raw.get("known_lessons"))
        except UnknownLesson as error:
            errors["lesson_ids"] = error
    if errors:
        raise InvalidInput(errors)
    values = dict(
        code=code,
        title=title,
        title_translations=titles,
        kind=kind,
        device_track=track,
        description=description,
    )
    if lessons is not None:
        values["lesson_ids"] = lessons
    return values


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
    title_translations: Mapping[str, str] | None = None,
    description: str = "",
    lesson_ids: list[str] | None = None,
    known_lessons: Collection[str] | None = None,
) -> Course:
    """A new course with a unique code and a title, teaching the given lessons in that order.

    ``known_lessons`` are the content's lesson ids (the caller reads the catalog); a lesson
    id not among them is refused. Without them the ids are not checked.
    ``title_translations`` maps the other languages (translations.OTHER_LANGUAGES) to the
    title in them; empty ones are left out.
    """
    values = _validated(
        db,
        None,
        code=code,
        title=title,
        title_translations=title_translations,
        kind=kind,
        device_track=device_track,
        description=description,
        lesson_ids=lesson_ids,
        known_lessons=known_lessons,
    )
    values.setdefault("lesson_ids", [])
    course = Course(**values)
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
    title_translations: Mapping[str, str] | None = None,
    description: str = "",
    lesson_ids: list[str] | None = None,
    known_lessons: Collection[str] | None = None,
) -> Course:
    """Change a course; its sessions stay as they are, and its lessons too when
    ``lesson_ids`` is None (otherwise as for create_course). The languages given in
    ``title_translations`` are replaced (an empty text removes one); None keeps them."""
    course = db.get(Course, course_id)
    if course is None:
        raise NotFound(field="course_id")
    values = _validated(
        db,
        course,
        code=code,
        title=title,
        title_translations=title_translations,
        kind=kind,
        device_track=device_track,
        description=description,
        lesson_ids=lesson_ids,
        known_lessons=known_lessons,
    )
    for key, value in values.items():
        setattr(course, key, value)
    _save(db, course, values["code"])
    audit.record(db, actor, "course.update", subject_type="course", subject_id=course.id)
    return course
