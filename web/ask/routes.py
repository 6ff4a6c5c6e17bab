"""/ask: a text box, the best answers as links to the guide pages, and, when no answer is
sure, the ward office's phone and hours instead of a guess.

The question is sent by POST, so it stays out of URLs, browser history and access logs;
it is never logged. One without a confident answer is counted without a name (its text
scrubbed of phone numbers and codes, the language, "/ask" and the day: see
classroom/services/unanswered.py), so the ward can write the missing FAQ entries; the page
says so. The page wears the public site's layout and language (its context and language
switch come from web.public).
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from classroom.models import utcnow
from classroom.services import unanswered
from classroom.services.sessions import upcoming_sessions
from content.ask import CLASSES_ID, MAX_CHARS, Answer, AskError, ask
from content.loader import ContentError
from content.speech import AudioCache, cache_root
from languages import reset_language, set_language

from .. import asking, content_source
from ..database import DatabaseUnavailable, db_session, mark_unavailable
from ..public import language
from ..public.routes import _page_globals, catalog, setting
from .blueprint import bp

bp.context_processor(_page_globals)
# the question box of the schedule and guide pages (ask/_box.html) takes as much as /ask
bp.app_context_processor(lambda: {"ask_max_chars": MAX_CHARS})
log = logging.getLogger(__name__)


class Shown(NamedTuple):
    """One answer as the page shows it: its words, where it leads (or None) and, for a
    lesson, the courses with upcoming classes that teach it."""

    answer: Answer
    url: str | None
    courses: tuple = ()
    #: the answer read aloud: the clip built for the kiosks (``tsunagu content speech``)
    audio: str | None = None


class Counter(NamedTuple):
    phone: str | None
    tel: str | None
    hours: dict[str, str] | None


def _link(answer: Answer) -> str | None:
    """The public page of an answer: its guide, or the guide its FAQ entry points to; a
    class: the schedule of its course (of all courses when none is planned)."""
    if answer.kind == "class":
        if answer.id == CLASSES_ID:
            return url_for("public.schedule")
        return url_for("public.schedule", course=answer.id)
    guide_id = answer.id if answer.kind == "guide" else None
    if answer.kind == "faq":
        topic_id, _sep, question_id = answer.id.partition("/")
        topic = catalog().faq.get(topic_id)
        found = [q for q in topic.questions if q.id == question_id] if topic else []
        guide_id = found[0].guide if found else None
    guide = catalog().guides.get(guide_id) if guide_id else None
    if guide is None or guide.withdrawn:
        return None
    return url_for("public.guide", guide_id=guide.id)


def _courses_teaching() -> dict[str, tuple]:
    """lesson id -> the courses with an upcoming class that teach it (for 'classes' links)."""
    courses = {s.course_id: s.course for s in upcoming_sessions(db_session(), now=utcnow())}
    found: dict[str, list] = {}
    for course in sorted(courses.values(), key=lambda c: c.id):
        for lesson_id in course.lesson_ids or ():
            found.setdefault(lesson_id, []).append(course)
    return {lesson_id: tuple(list_) for lesson_id, list_ in found.items()}


def _counter() -> Counter:
    """The ward office's phone and hours, from the ward's settings."""
    settings = content_source.settings()
    phone = settings.value_in("ward.phone", "ja") if settings.has_value("ward.phone") else None
    tel = "tel:" + re.sub(r"[^0-9+]", "", phone) if phone else None
    return Counter(phone, tel, setting("ward.office_hours"))


def _with_classes(result):
    """The classes' answer as the upcoming classes; as it is when the database is down."""
    try:
        return asking.with_classes(result, language.current().code, db_session(), utcnow())
    except (DatabaseUnavailable, OperationalError) as exc:
        mark_unavailable()
        log.warning("ask: the classes could not be read (%s)", type(exc).__name__)
        return result


def _keep_unanswered(question: str, code: str) -> None:
    """Count the question for the staff's list; the answer is shown even when the database
    cannot be reached (the question is not logged)."""
    try:
        unanswered.record(db_session(), question, code, place=unanswered.WEB_PLACE)
    except (DatabaseUnavailable, OperationalError) as exc:
        mark_unavailable()
        log.warning("ask: an unanswered question was not counted (%s)", type(exc).__name__)


#: a clip's file name in the audio cache: its key and the engine's format, nothing else
AUDIO_NAME = re.compile(r"[0-9a-f]{16,64}\.(ogg|mp3|wav)")
AUDIO_TYPES = {"ogg": "audio/ogg", "mp3": "audio/mpeg", "wav": "audio/wav"}


def _audio_cache() -> AudioCache:
    return AudioCache(cache_root(current_app.config.get("AUDIO_CACHE_DIR")))


def _audio(answer: Answer, code: str) -> str | None:
    """The address of the answer's text spoken, when the kiosks' audio holds it; else None
    (a class's answer, or audio never built: the page shows no player)."""
    try:
        found = _audio_cache().find(answer.text, code)
    except OSError:
        return None
    return url_for("ask.audio", name=found.name) if found is not None else None


@bp.route("/ask/audio/<name>")
def audio(name: str):
    """A clip of the ward's content (public text, the same files the kiosks play)."""
    if not AUDIO_NAME.fullmatch(name):
        abort(404)
    path = _audio_cache().root / name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=AUDIO_TYPES[name.rsplit(".", 1)[1]], max_age=86400)


@bp.route("/ask", methods=["GET", "POST"])
def page():
    """The form; on POST also the answers (or why the question could not be asked)."""
    question, result, error, unavailable = "", None, None, False
    if request.method == "POST":
        question = request.form.get("question", "")
        token = set_language(language.current().locale)
        try:
            content = content_source.content_root()
            result = ask(question, language.current().code, content)
        except AskError as exc:
            error = str(exc)
        except ContentError:  # broken content on disk: say so, and give the counter
            log.exception("ask: the content could not be read")
            unavailable = True
        finally:
            reset_language(token)
    if result is not None and not result.confident:
        _keep_unanswered(question, language.current().code)
    if result is not None:
        asking.count_answer(db_session(), result, language.current().code)
        result = _with_classes(result)
    code = language.current().code
    answers = [Shown(a, _link(a), audio=_audio(a, code)) for a in result.answers] if result else []
    if result and any(a.kind == "lesson" for a in result.answers):
        teaching = _courses_teaching()
        answers = [s._replace(courses=teaching.get(s.answer.id, ())) for s in answers]
    return render_template(
        "ask/ask.html",
        question=question[: MAX_CHARS * 2],
        result=result,
        answers=answers,
        error=error,
        unavailable=unavailable,
        counter=_counter(),
        max_chars=MAX_CHARS,
        title=_("Ask a question"),
    )
