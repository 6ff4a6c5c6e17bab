"""The kiosk API's views: parse, call a classroom service, answer JSON. Nothing personal out."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g, jsonify, request, send_file, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from classroom.db import MAX_ROW_ID
from classroom.models import ClassSession, Course, DeviceTrack, Source, utcnow
from classroom.services import availability as availability_service
from classroom.services import kiosks as kiosk_service
from classroom.services import next_class, unanswered
from classroom.services import phones as phone_service
from classroom.services import registration as registration_service
from classroom.services import residents as resident_service
from classroom.services import sessions as session_service
from classroom.services.errors import DomainError, NotFound
from classroom.services.text import has_control_characters
from content.ask import AskError, ask
from content.loader import ContentError
from languages import LANGUAGES, reset_language, set_language

from .. import asking, content_source
from ..access import current_actor
from ..database import commit_now, db_session
from ..errors import api_language, invalid, json_error
from ..handouts.content import lesson_item_ids
from .blueprint import bp
from .openapi import PHONE_PATTERN, READING_PATTERN, openapi_document

log = logging.getLogger(__name__)

#: routes a kiosk may call without its token
PUBLIC_ENDPOINTS = {"api.openapi"}
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
#: what the kiosk's kana keyboard and number pad produce (the schema says the same);
#: the residents service then checks the values themselves
READING = re.compile(READING_PATTERN)
PHONE = re.compile(PHONE_PATTERN)
#: phones a resident may bring to a class (Device values)
REGISTRATION_DEVICES = ("iphone", "android", "senior", "none")
SESSION_DEVICES = ("iphone", "android", "senior")
MAX_SESSIONS = 100
#: how stale a kiosk's "last seen" may be before a booking writes it again (it is shown
#: online for 3 minutes after it: kiosks.ONLINE_WINDOW)
SEEN_PRECISION = timedelta(seconds=30)


class BadJSON(Exception):
    """The body is not what a JSON endpoint takes; carries the answer to give."""

    def __init__(self, response) -> None:
        self.response = response


@bp.errorhandler(BadJSON)
def _bad_json(error: BadJSON):
    return error.response


@bp.before_request
def _language_token_and_rate():
    locale = force_locale(api_language())
    locale.__enter__()
    g.api_locale = locale
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    kiosk = None
    if scheme.lower() == "bearer":
        kiosk = kiosk_service.kiosk_for_token(db_session(), token.strip())
    if kiosk is None:
        return json_error(401)
    wait = current_app.extensions["tsunagu_api_limiter"].hit(kiosk.id)
    if wait:
        return json_error(429, retry_after=wait)
    g.kiosk = kiosk
    return None


@bp.after_request
def _api_headers(response):
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept-Language")
    return response


@bp.teardown_request
def _end_locale(exc):
    if (locale := g.pop("api_locale", None)) is not None:
        locale.__exit__(None, None, None)


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def json_object(allowed: set[str]) -> dict:
    """The request's JSON object, or BadJSON with the right answer (415, 400, 422)."""
    if not request.is_json:
        raise BadJSON(json_error(415))
    try:
        data = json.loads(request.get_data(cache=False).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadJSON(json_error(400, "malformed_json", _("The body is not valid JSON."))) from None
    if not isinstance(data, dict):
        raise BadJSON(invalid({"body": _("The body must be a JSON object.")}))
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadJSON(invalid({k: _("This field is not expected.") for k in unknown}))
    if controlled := sorted(k for k, v in data.items() if _holds_control_characters(v)):
        raise BadJSON(invalid({k: _control_message() for k in controlled}))
    return data


def _control_message() -> str:
    return _("This contains invisible control characters. Please type it again without them.")


def _holds_control_characters(value) -> bool:
    """True when any string inside `value` (lists and objects too) holds one; PostgreSQL
    refuses NUL in text, and nothing a kiosk sends needs any of them."""
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, list):
        return any(_holds_control_characters(v) for v in value)
    if isinstance(value, dict):
        return any(
            _holds_control_characters(k) or _holds_control_characters(v) for k, v in value.items()
        )
    return False


# -- sessions ----------------------------------------------------------------------------


def availability_json(s: ClassSession, now: datetime) -> dict:
    """What booking it now would do (classroom.services.availability): the kiosk only shows it."""
    found = availability_service.availability(s, now)
    return {
        "state": found.state,
        "bookable": found.bookable,
        "reason": found.reason or None,
        "deadline": iso(found.deadline),
    }


def session_json(s: ClassSession, now: datetime) -> dict:
    return {
        "id": s.id,
        "course": {
            "code": s.course.code,
            "title": s.course.title,
            "titles": dict(s.course.title_translations or {}),
            "kind": s.course.kind.value,
            "device_track": s.course.device_track.value,
            "lesson_ids": [str(lesson_id) for lesson_id in s.course.lesson_ids or []],
        },
        "venue": {
            "name": s.venue.name,
            "names": dict(s.venue.name_translations or {}),
            "access": s.venue.access or "",
            "accesses": dict(s.venue.access_translations or {}),
            "address": s.venue.address or "",
            "lends_phones": s.venue.loaner_phones > 0,
        },
        "starts_at": iso(s.starts_at),
        "ends_at": iso(s.ends_at),
        "capacity": s.capacity,
        "seats_left": max(0, s.seats_left),
        "booking_mode": s.booking_mode.value,
        "application_deadline": iso(s.application_deadline),
        "availability": availability_json(s, now),
        "public_path": url_for("public.class_page", session_id=s.id),
    }


@bp.get("/sessions")
def sessions():
    errors: dict[str, str] = {}
    now = utcnow()
    start = now
    if (day := request.args.get("from")) is not None:
        try:
            local = datetime.combine(
                date.fromisoformat(day), time(), ZoneInfo(current_app.config["TIMEZONE"])
            )
            start = max(now, local.astimezone(UTC))
        except (ValueError, OverflowError):
            errors["from"] = _("A date is written like 2026-12-03.")
    device = request.args.get("device")
    if device is not None and device not in SESSION_DEVICES:
        errors["device"] = _(
            "The kind of phone must be one of: %(choices)s.", choices=", ".join(SESSION_DEVICES)
        )
    course_code = request.args.get("course")
    if course_code is not None and has_control_characters(course_code):
        errors["course"] = _control_message()
    elif course_code is not None and len(course_code) > 40:
        errors["course"] = _("There is no course with this code.")
    if errors:
        return invalid(errors)
    db = db_session()
    course_id = None
    if course_code is not None:
        course_id = db.scalar(select(Course.id).where(Course.code == course_code))
        if course_id is None:
            return jsonify(sessions=[])
    found = session_service.upcoming_sessions(
        db, now=start, course_id=course_id, device=DeviceTrack(device) if device else None
    )
    return jsonify(sessions=[session_json(s, now) for s in found[:MAX_SESSIONS]])


# -- registrations -----------------------------------------------------------------------


def _registration_input(data: dict) -> dict[str, str]:
    """Type errors per field; the values themselves are checked by the residents service."""
    errors: dict[str, str] = {}
    required = _("This field is required.")
    for field in ("session_id", "reading", "phone", "birth_year", "device"):
        if data.get(field) is None:
            errors[field] = required
    sid = data.get("session_id")
    if sid is not None:
        data["session_id"] = sid = kiosk_service.whole_number(sid)
        if sid is None or not 1 <= sid <= MAX_ROW_ID:
            errors["session_id"] = _("This is not a class's number.")
    errors.update(_reading_and_phone_errors(data))
    year = data.get("birth_year")
    if year is not None:
        data["birth_year"] = kiosk_service.whole_number(year)
        if data["birth_year"] is None:
            errors["birth_year"] = _("The year of birth must be a number like 1948.")
    device = data.get("device")
    if device is not None and device not in REGISTRATION_DEVICES:
        errors["device"] = _("Please choose a kind of phone.")
    return errors


def _reading_and_phone_errors(data: dict) -> dict[str, str]:
    """What is wrong with the reading and the phone as the kiosk's keys typed them."""
    errors: dict[str, str] = {}
    reading, phone = data.get("reading"), data.get("phone")
    if reading is not None and (
        not isinstance(reading, str) or len(reading) > 60 or not READING.match(reading)
    ):
        errors["reading"] = _("The reading must be written in kana (hiragana or katakana).")
    if phone is not None and (not isinstance(phone, str) or not PHONE.match(phone)):
        errors["phone"] = _phone_reason(phone)
    return errors


def _phone_reason(phone: object) -> str:
    """Why the number is refused, in the words the office form uses for it."""
    if isinstance(phone, str):
        try:
            phone_service.check_phone(phone)
        except DomainError as error:
            return error.translate(_)
    return _("A phone number has 10 or 11 digits (for example 03-1234-5678).")


def _seen(kiosk) -> None:
    """The kiosk spoke to us; written only when its last sign of life is older than
    SEEN_PRECISION (its heartbeat keeps it fresh). Each booking that wrote it held the
    kiosk's row until its commit, queued behind the class's lock: a kiosk's bookings
    (and its heartbeats) in a burst waited for each other, holding workers."""
    now = utcnow()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at >= SEEN_PRECISION:
        kiosk_service.touch(kiosk, now)


@bp.post("/registrations")
def registrations():
    key = request.headers.get("Idempotency-Key", "")
    data = json_object({"session_id", "reading", "phone", "birth_year", "device"})
    errors = _registration_input(data)
    if not IDEMPOTENCY_KEY.match(key):
        errors["Idempotency-Key"] = _(
            "The Idempotency-Key header is required: 8 to 64 letters, digits, dots, colons "
            "or dashes (a new UUID for each booking)."
        )
    if errors:
        return invalid(errors)
    db = db_session()
    idempotency_key = f"kiosk:{g.kiosk.id}:{key}"
    registration_service.hold_idempotency_key(db, idempotency_key)
    participant = resident_service.find_or_create_for_kiosk(
        db,
        reading=data["reading"],
        phone=data["phone"],
        birth_year=data["birth_year"],
        device=data["device"],
        actor=current_actor(),
    )
    # before the booking: register writes what is pending before it takes the class's
    # lock, so the kiosk's row is not updated under it (issue 21)
    _seen(g.kiosk)
    result = registration_service.register(
        db,
        session_id=data["session_id"],
        participant_id=participant.id,
        source=Source.KIOSK,
        actor=current_actor(),
        idempotency_key=idempotency_key,
    )
    # the class's row is locked until the commit: others booking it wait for this one,
    # so it commits now, not after the answer is built and the hooks have run (issue 21)
    commit_now()
    r = result.registration
    body = {
        "status": result.status.value,
        "position": result.position,
        "code": r.code,
        "qr_token": r.qr_token,
        "session_id": r.session_id,
    }
    return jsonify(body), 201


@bp.post("/suggestions")
def suggestions():
    """The next classes for the resident with this reading and phone, best first (issue
    17). The answer names classes only; a reading and phone that match nobody get what a
    newcomer would. Neither is logged nor kept; a match is audited by the resident's id."""
    data = json_object({"reading", "phone"})
    errors = {
        field: _("This field is required.")
        for field in ("reading", "phone")
        if data.get(field) is None
    }
    errors.update(_reading_and_phone_errors(data))
    if errors:
        return invalid(errors)
    found = next_class.for_typed_resident(
        db_session(), data["reading"], data["phone"], lesson_item_ids(), actor=current_actor()
    )
    kiosk_service.touch(g.kiosk)
    return jsonify(
        suggestions=[
            {
                "session_id": s.session.id,
                "title": s.session.course.title,
                "titles": dict(s.session.course.title_translations or {}),
                "starts_at": iso(s.session.starts_at),
                "ends_at": iso(s.session.ends_at),
            }
            for s in found
        ]
    )


# -- content, heartbeat ------------------------------------------------------------------


def _bundle():
    return current_app.extensions["tsunagu_bundles"].current()


@bp.get("/content/bundle")
def content_bundle():
    bundle = _bundle()
    if bundle is None:
        return json_error(503, "content_unavailable", _("The content is not available yet."))
    return jsonify(
        version=bundle.version,
        size=bundle.size,
        sha256=bundle.sha256,
        url=url_for("api.content_bundle_zip", version=bundle.version),
    )


@bp.get("/content/bundle/<version>.zip")
def content_bundle_zip(version: str):
    path = current_app.extensions["tsunagu_bundles"].path_for(version)
    if path is None:
        return json_error(404)
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"tsunagu-content-{version}.zip",
        conditional=True,
        max_age=0,
    )


@bp.post("/heartbeat")
def heartbeat():
    data = json_object({"app_version", "content_version"})
    # the bundle first: finding its version can take seconds (a worker's start, a
    # recheck), and the kiosk's row, once written, stays locked until the commit; a
    # booking from this kiosk waited behind it
    bundle = _bundle()
    kiosk_service.record_heartbeat(
        db_session(),
        g.kiosk,
        app_version=data.get("app_version"),
        content_version=data.get("content_version", ""),
    )
    return jsonify(server_time=iso(utcnow()), content_version=bundle.version if bundle else None)


# -- ask in your own words ---------------------------------------------------------------


@bp.post("/ask")
def ask_question():
    """The ward's answers to a question typed on the kiosk (issue 20; docs/ask.md). The
    question is never logged; one without a confident answer is counted, without a name,
    under the kiosk's location (classroom/services/unanswered.py)."""
    data = json_object({"question", "language"})
    question, language = data.get("question"), data.get("language", "ja")
    if question is None:
        return invalid({"question": _("This field is required.")})
    if not isinstance(question, str):
        return invalid({"question": _("Type a question.")})
    if language not in LANGUAGES:
        return invalid(
            {"language": _("Choose one of: %(known)s.") % {"known": ", ".join(LANGUAGES)}}
        )
    token = set_language(api_language())
    try:
        result = ask(question, language, content_source.content_root())
    except AskError as exc:
        return invalid({"question": str(exc)})
    except ContentError:  # broken content on disk: the kiosk offers its menus instead
        log.exception("ask: the content could not be read")
        return json_error(503, "content_unavailable", _("The content is not available yet."))
    finally:
        reset_language(token)
    if not result.confident:
        unanswered.record(db_session(), question, language, place=g.kiosk.location)
    asking.count_answer(db_session(), result, language)
    return jsonify(asking.with_classes(result, language, db_session(), utcnow()).as_json())


#: the most "questions others asked" a kiosk may ask for, and its default
POPULAR_MOST, POPULAR_DEFAULT = 12, 6
#: 1 to POPULAR_MOST as written (the schema's pattern: no sign, no leading zero)
POPULAR_LIMIT = re.compile(r"[1-9]|1[0-2]")


@bp.get("/ask/popular")
def ask_popular():
    """The questions others asked most, as short texts for the kiosk's buttons (issue 20):
    the answers given most often with confidence (each at least three times: a rare one is
    never shown), the FAQ's own questions filling the rest."""
    errors: dict[str, str] = {}
    language = request.args.get("language", "ja")
    if language not in LANGUAGES:
        errors["language"] = _("Choose one of: %(known)s.") % {"known": ", ".join(LANGUAGES)}
    limit = request.args.get("limit", str(POPULAR_DEFAULT))
    if not POPULAR_LIMIT.fullmatch(limit):
        errors["limit"] = _("A number from 1 to %(most)d.") % {"most": POPULAR_MOST}
    if errors:
        return invalid(errors)
    try:
        catalog = content_source.catalog()
    except ContentError:
        log.exception("ask: the content could not be read")
        return json_error(503, "content_unavailable", _("The content is not available yet."))
    questions = asking.popular_questions(db_session(), catalog, language, int(limit))
    return jsonify(questions=questions)


# -- help, events, openapi ---------------------------------------------------------------


@bp.post("/help-requests")
def help_requests():
    data = json_object({"client_id", "screen", "language"})
    help_request, _created = kiosk_service.open_help_request(db_session(), g.kiosk, data)
    kiosk_service.touch(g.kiosk)
    return jsonify(id=help_request.id, status=kiosk_service.help_status(help_request)), 201


@bp.get("/help-requests/<client_id>")
def help_request_status(client_id: str):
    """Taken, closed or still open: the kiosk's waiting screen asks this until staff come."""
    try:
        help_request = kiosk_service.help_request_of_kiosk(db_session(), g.kiosk, client_id)
    except NotFound:
        return json_error(404)
    return jsonify(id=help_request.id, status=kiosk_service.help_status(help_request))


@bp.post("/events")
def events():
    data = json_object({"events"})
    if "events" not in data:
        return invalid({"events": _("This field is required.")})
    accepted = kiosk_service.record_usage_events(db_session(), g.kiosk, data["events"])
    kiosk_service.touch(g.kiosk)
    return jsonify(accepted=accepted)


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
