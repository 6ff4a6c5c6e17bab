"""Every failure under /api/ answers `{"error": <code>, "message": <text>}` — never HTML.

Messages follow the request's Accept-Language (ja, ja-easy → ja, en, zh-Hans, ko).
"""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from classroom.services.errors import DomainError

from ..database import end_unit_of_work

#: what kiosks may ask for, in order of preference when nothing matches
LANGUAGE_TAGS = ("ja", "ja-easy", "en", "zh-Hans", "ko")
#: Accept-Language tag -> our catalog's locale
CATALOG = {"ja": "ja", "ja-easy": "ja", "en": "en", "zh-Hans": "zh_Hans", "ko": "ko"}

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


def api_language() -> str:
    """The catalog locale for this request's Accept-Language; Japanese by default."""
    tag = request.accept_languages.best_match(LANGUAGE_TAGS, default="ja")
    return CATALOG.get(tag, "ja")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("This kiosk is not allowed to use the service. Please tell the staff."),
        403: _("This is not allowed."),
        404: _("It was not found."),
        405: _("This action is not allowed here."),
        406: _("The answer can only be JSON."),
        409: _("This could not be done."),
        413: _("What was sent is too large."),
        415: _("Please send JSON (Content-Type: application/json)."),
        422: _("Please check what was entered."),
        429: _("Too many requests. Please wait a little and try again."),
        500: _("Something went wrong on our side. Please try again."),
    }


def api_error(status: int, code: str | None = None, message: str | None = None, **extra):
    """The JSON error answer, in the request's language."""

    def build():
        body = {
            "error": code or CODES.get(status, "error"),
            "message": message or _messages().get(status) or _("An error occurred."),
        }
        body.update(extra)
        return body

    if "api_locale" in g:
        body = build()
    else:  # outside the blueprint (routing failed): choose the language here
        with force_locale(api_language()):
            body = build()
    response = make_response(jsonify(body), status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tsunagu-kiosk"'
    if status == 429:
        response.headers["Retry-After"] = str(extra.get("retry_after", 1))
    return response


def invalid(errors: dict[str, DomainError | str]):
    """422 with one translated message per field."""
    texts = {f: e.translate(_) if isinstance(e, DomainError) else e for f, e in errors.items()}
    return api_error(422, "invalid", errors=texts)


def _api_http_error(error: HTTPException):
    if error.code is None or error.code >= 500:
        return _api_server_error(error)
    response = api_error(error.code)
    for name, value in error.get_headers():
        if name.lower() in ("allow", "retry-after"):
            response.headers[name] = value
    return response


def _api_server_error(error):
    from ..errors import database_unavailable, unavailable_response

    if database_unavailable(error):  # the kiosk keeps its outbox and tries again
        return unavailable_response(error)
    end_unit_of_work(commit=False)
    return api_error(500)


def route_api_errors(app: Flask) -> None:
    """Wrap the app's error handlers so that paths under /api/ get the API's JSON."""

    def api_first(handler, api_handler):
        def wrapper(error):
            if request.path.startswith("/api/"):
                return api_handler(error)
            return handler(error)

        return wrapper

    spec = app.error_handler_spec.setdefault(None, {})
    for code, handlers in spec.items():
        for exc_class, handler in list(handlers.items()):
            if code is None and not issubclass(exc_class, HTTPException):
                continue  # a Python exception's handler answers /api/ itself (the 503)
            api_handler = _api_server_error if code and code >= 500 else _api_http_error
            handlers[exc_class] = api_first(handler, api_handler)
    if HTTPException not in spec.get(None, {}):
        app.register_error_handler(HTTPException, _api_http_error)
    if InternalServerError not in spec.get(500, {}):
        app.register_error_handler(InternalServerError, _api_server_error)
