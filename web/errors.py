"""Every error answer of the site, in one place: an HTML page for people, JSON for
programs — always JSON under /api/ (the kiosks), else by the Accept header.

One JSON shape everywhere: `{"error": <code>, "message": <text>}` (plus `errors` per
field for a 422). A `DomainError` that reaches here answers with its own status and
code (classroom/services/errors.py). A request that ended in an error writes nothing:
its transaction is rolled back when the answer is made (web/database.py), and a 500
rolls back before anything is rendered (after microblog's app/errors/handlers.py).

A database that cannot be reached (refused, timed out, dropped, or SQLite locked past
its busy timeout or unable to open its file) is not a bug in the site: every page
answers a calm 503 with Retry-After, the API its JSON 503 (kiosks keep their outbox and
try again), one log line says why, with nothing personal in it.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from classroom.services.errors import DomainError, InvalidInput

from .database import (
    COMMIT_FAILED_KEY,
    DatabaseUnavailable,
    end_unit_of_work,
    mark_unavailable,
    refuse,
)

log = logging.getLogger(__name__)
#: seconds a browser or a kiosk is asked to wait before trying again during an outage
RETRY_AFTER = 30
#: SQLite's words for "cannot use the file now" (as opposed to a bug such as "no such table")
SQLITE_UNAVAILABLE = (
    "locked",
    "busy",
    "unable to open",
    "disk i/o",
    "readonly database",
    "database or disk is full",
)
#: headers a replaced answer keeps (security, caching) from the one it replaces
KEPT_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Strict-Transport-Security",
    "Cache-Control",
    "Vary",
)


#: what kiosks may ask for, in order of preference when nothing matches
LANGUAGE_TAGS = ("ja", "ja-easy", "en", "zh-Hans", "ko")
#: Accept-Language tag -> our catalog's locale
CATALOG = {"ja": "ja", "ja-easy": "ja", "en": "en", "zh-Hans": "zh_Hans", "ko": "ko"}
#: the JSON answer's `error` for each status
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def for_api() -> bool:
    """True for the kiosks' API: its answers are JSON in the kiosk's language."""
    return request.path.startswith("/api/")


def wants_json() -> bool:
    if for_api():
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and (
        request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You do not have permission to see this page."),
        404: _("The page was not found."),
        405: _("This action is not allowed here."),
        413: _("What was sent is too large."),
        422: _("Please check what was entered."),
        429: _("Too many attempts. Please wait a little and try again."),
        500: _(
            "Something went wrong on our side. Please try again; if it happens again, tell the administrator."
        ),
        503: unavailable_message(),
    }


def _api_messages() -> dict[int, str]:
    """Under /api/ some statuses say something else: the kiosk is the one asking."""
    return {
        401: _("This kiosk is not allowed to use the service. Please tell the staff."),
        403: _("This is not allowed."),
        404: _("It was not found."),
        406: _("The answer can only be JSON."),
        409: _("This could not be done."),
        415: _("Please send JSON (Content-Type: application/json)."),
        429: _("Too many requests. Please wait a little and try again."),
        500: _("Something went wrong on our side. Please try again."),
    }


def api_language() -> str:
    """The catalog locale for this request's Accept-Language; Japanese by default."""
    tag = request.accept_languages.best_match(LANGUAGE_TAGS, default="ja")
    return CATALOG.get(tag, "ja")


def _message(status: int) -> str:
    if for_api() and status in (texts := _api_messages()):
        return texts[status]
    return _titles().get(status) or _("An error occurred.")


def json_error(status: int, code: str | None = None, message: str | None = None, **extra):
    """The JSON error answer, in the request's language: under /api/ the kiosk's
    (Accept-Language), elsewhere the page's."""

    def build():
        body = {"error": code or CODES.get(status, "error"), "message": message or _message(status)}
        body.update(extra)
        return body

    if for_api() and "api_locale" not in g:  # before the API blueprint chose the language
        with force_locale(api_language()):
            body = build()
    else:
        body = build()
    response = make_response(jsonify(body), status)
    if status == 401 and for_api():
        response.headers["WWW-Authenticate"] = 'Bearer realm="tsunagu-kiosk"'
    if status == 429:
        response.headers["Retry-After"] = str(extra.get("retry_after", 1))
    return response


def invalid(errors: dict[str, DomainError | str]):
    """422 with one translated message per field."""
    texts = {f: e.translate(_) if isinstance(e, DomainError) else e for f, e in errors.items()}
    return json_error(422, "invalid", errors=texts)


def refused(error: DomainError):
    """What a rule said no to, as JSON: its status, its code, its message (per field)."""
    if isinstance(error, InvalidInput):
        return invalid(error.errors)
    return json_error(error.status, error.code, error.translate(_))


def unavailable_message() -> str:
    return _("The system is busy or under maintenance. Please wait a little and try again.")


def database_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` (or the error it wraps) means the database cannot be used now."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DatabaseUnavailable | sa_exc.DisconnectionError | sa_exc.TimeoutError):
            return True
        if isinstance(error, sa_exc.DBAPIError):
            if error.connection_invalidated:
                return True
            if isinstance(error, sa_exc.OperationalError):
                if not isinstance(error.orig, sqlite3.Error):
                    return True  # refused, timed out, dropped, shutting down, deadlocked
                reason = str(error.orig).lower()
                return any(word in reason for word in SQLITE_UNAVAILABLE)
            return False
        error = getattr(error, "original_exception", None) or error.__cause__
    return False


def _outage_reason(error: BaseException) -> str:
    """The class and first line of the driver's message: no statement, no values."""
    while isinstance(error, InternalServerError) and error.original_exception is not None:
        error = error.original_exception
    orig = getattr(error, "orig", None) or error
    lines = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {lines[0][:160] if lines else ''}".rstrip(": ")


def unavailable_response(error: BaseException, headers_from: Response | None = None):
    """The 503 of an outage; the request is rolled back and rendered as for a visitor."""
    mark_unavailable()
    if not g.get("db_outage_logged"):
        g.db_outage_logged = True
        # the endpoint, never the query string: a search may carry a name
        log.warning(
            "database unavailable (%s %s): %s",
            request.method,
            request.endpoint or "-",
            _outage_reason(error),
        )
    # rendered as for a visitor: who is logged in would be asked of the database again
    g._login_user = current_app.login_manager.anonymous_user()
    try:
        response = error_response(503, unavailable_message())
    except Exception:  # the page itself failed: still never a traceback
        log.exception("the 503 page could not be rendered")
        response = make_response("Service Unavailable", 503, {"Content-Type": "text/plain"})
    for name in KEPT_HEADERS if headers_from is not None else ():
        if name in headers_from.headers:
            response.headers[name] = headers_from.headers[name]
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def error_response(code: int, message: str | None = None):
    """The error answer for `code`: JSON for programs (one shape), else the error page."""
    if wants_json():
        return json_error(code, message=message)
    message = message or _message(code)
    return make_response(render_template("errors/error.html", code=code, message=message), code)


def register_error_handlers(app: Flask) -> None:
    # a commit that fails after the view (web/database.py) answers like any outage
    app.extensions[COMMIT_FAILED_KEY] = _commit_failed

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        refuse()
        return error_response(
            400,
            _(
                "The form has expired or was sent from elsewhere. Please reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code >= 500:
            return internal_error(error)
        refuse()
        response = error_response(error.code)
        for name, value in error.get_headers():
            if name.lower() in ("allow", "retry-after"):
                response.headers[name] = value
        return response

    def outage(error: Exception):
        if not database_unavailable(error):
            raise error  # a real bug: Flask logs it and answers the 500 below
        return unavailable_response(error)

    for error_class in (
        sa_exc.OperationalError,
        sa_exc.InterfaceError,
        sa_exc.DisconnectionError,
        sa_exc.TimeoutError,
        DatabaseUnavailable,
    ):
        app.register_error_handler(error_class, outage)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """A rule said no and the view did not show it on its form: nothing is kept."""
        refuse()
        if wants_json():
            return refused(error)
        return error_response(error.status, error.translate(_))

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        if database_unavailable(error):  # e.g. met after the view, while committing
            return unavailable_response(error)
        end_unit_of_work(commit=False)
        # the page must not need the database: the staff member's row went with the
        # rollback (touching it again raised DetachedInstanceError and the page became a
        # bare text), so it is drawn as for a visitor; the language was chosen already
        g._login_user = current_app.login_manager.anonymous_user()
        try:
            return error_response(500)
        except Exception:  # the error page itself failed: still never a traceback
            app.logger.exception("the error page could not be rendered")
            return make_response("Internal Server Error", 500, {"Content-Type": "text/plain"})


def _commit_failed(error: Exception, response: Response):
    """The view answered, then its commit failed: an outage answers 503 (keeping the
    answer's security headers), anything else is a bug (the 500)."""
    if not database_unavailable(error):
        raise error
    return unavailable_response(error, headers_from=response)
