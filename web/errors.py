"""Error pages: HTML for people, JSON for programs (kiosks), by the Accept header.

After microblog's app/errors/handlers.py: a 500 rolls the request's transaction back
before anything is rendered.

A database that cannot be reached (refused, timed out, dropped, or SQLite locked past
its busy timeout or unable to open its file) is not a bug in the site: every page
answers a calm 503 with Retry-After, the API its JSON 503 (kiosks keep their outbox and
try again), one log line says why, with nothing personal in it.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from .database import DatabaseUnavailable, end_unit_of_work, mark_unavailable

log = logging.getLogger(__name__)
#: seconds a browser or a kiosk is asked to wait before trying again during an outage
RETRY_AFTER = 30
#: SQLite's words for "cannot use the file now" (as opposed to a bug such as "no such table")
SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "readonly database",
                      "database or disk is full")  # fmt: skip
#: headers a replaced answer keeps (security, caching) from the one it replaces
KEPT_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                "X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy",
                "Strict-Transport-Security", "Cache-Control", "Vary")  # fmt: skip


def wants_json() -> bool:
    if request.path.startswith("/api/"):
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
        log.warning("database unavailable (%s %s): %s", request.method,
                    request.endpoint or "-", _outage_reason(error))  # fmt: skip
    # rendered as for a visitor: who is logged in would be asked of the database again
    g._login_user = current_app.login_manager.anonymous_user()
    try:
        if request.path.startswith("/api/"):
            from .api.errors import api_error

            response = api_error(503, "unavailable", unavailable_message())
        else:
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
    message = message or _titles().get(code) or _("An error occurred.")
    if wants_json():
        return make_response(jsonify(error={"code": code, "message": message}), code)
    return make_response(render_template("errors/error.html", code=code, message=message), code)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
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
        response = error_response(error.code)
        for name, value in error.get_headers():
            if name.lower() in ("allow", "retry-after"):
                response.headers[name] = value
        return response

    def outage(error: Exception):
        if not database_unavailable(error):
            raise error  # a real bug: Flask logs it and answers the 500 below
        return unavailable_response(error)

    for error_class in (sa_exc.OperationalError, sa_exc.InterfaceError,
                        sa_exc.DisconnectionError, sa_exc.TimeoutError, DatabaseUnavailable):  # fmt: skip
        app.register_error_handler(error_class, outage)

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
