"""What the web adds to the core's answers (issue 20; docs/ask.md), for /ask and the kiosk
API alike: the smartphone classes as they are scheduled, the count of confident answers,
and the questions others asked most.

The core answers a question about the classes with one document (kind "class", id
``classes``); only the web knows the schedule, so here it becomes the courses with a class
to come, each with its next date, those that teach a lesson among the answers first.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from classroom.services import popular
from classroom.services.sessions import upcoming_sessions
from content.ask import CLASSES_ID, TOP, Answer, Result
from content.loader import Catalog
from content.model import Text
from content.popular import question_text, starter_questions

from .database import DatabaseUnavailable, mark_unavailable
from .formatting import when
from .public.routes import course_title as public_course_title

log = logging.getLogger(__name__)


def course_title(course) -> Text:
    return Text(public_course_title(course))


def with_classes(result: Result, language: str, db: Session, now: datetime) -> Result:
    """``result`` with its classes' answer replaced by the upcoming classes (kind "class",
    id the course's code, title the course's, text its next class), within the three
    answers; without an upcoming class it stays, saying none is planned."""
    where = next((i for i, a in enumerate(result.answers) if a.kind == "class"), None)
    if where is None:
        return result
    found = result.answers[where]
    lessons = {a.id for a in result.answers if a.kind == "lesson"}
    first: dict[int, object] = {}  # course id -> its soonest class
    for session in upcoming_sessions(db, now=now):
        first.setdefault(session.course_id, session)
    teaching = sorted(
        first.values(),
        key=lambda s: (not lessons & set(s.course.lesson_ids or ()), s.starts_at, s.id),
    )
    room = TOP - (len(result.answers) - 1)
    classes = tuple(
        Answer(
            "class",
            s.course.code,
            course_title(s.course).get(language),
            _(
                "Next class: %(when)s, %(venue)s",
                when=when(s.starts_at, s.ends_at),
                venue=s.venue.name,
            ),
            found.score,
        )
        for s in teaching[: max(1, room)]
    )
    if not classes:
        classes = (
            replace(found, text=_("No class is planned just now. Please ask the ward office.")),
        )
    answers = (*result.answers[:where], *classes, *result.answers[where + 1 :])[:TOP]
    return Result(result.confident, answers)


def count_answer(db: Session, result: Result, language: str) -> None:
    """Count the confident answer for the "questions others asked" (its id only); the
    answer is given even when the database cannot be reached."""
    if not result.confident or not result.answers:
        return
    best = result.answers[0]
    try:
        popular.record(db, best.kind, best.id, language)
    except (DatabaseUnavailable, OperationalError) as exc:
        mark_unavailable()
        log.warning("ask: an answer was not counted (%s)", type(exc).__name__)


def popular_questions(
    db: Session, catalog: Catalog, language: str, limit: int
) -> list[dict[str, str]]:
    """The answers given most often in ``language`` as short questions to tap (kind, id,
    text, and ``asked`` or ``faq`` for where each came from), the FAQ's own questions
    filling the rest when not enough were asked."""
    shown: list[dict[str, str]] = []
    for kind, answer_id, _count in popular.most_asked(db, language, limit=limit):
        text = (
            _class_question()
            if (kind, answer_id) == ("class", CLASSES_ID)
            else question_text(catalog, kind, answer_id, language)
        )
        if text:
            shown.append({"kind": kind, "id": answer_id, "text": text, "from": "asked"})
    taken = {(q["kind"], q["id"]) for q in shown}
    for kind, answer_id in starter_questions(catalog):
        if len(shown) >= limit:
            break
        if (kind, answer_id) not in taken:
            text = question_text(catalog, kind, answer_id, language)
            shown.append({"kind": kind, "id": answer_id, "text": text, "from": "faq"})
    return shown[:limit]


def _class_question() -> str:
    return _("When are the smartphone classes?")
