"""Error pages: HTML for people, JSON for programs (kiosks), by the Accept header.

After microblog's app/errors/handlers.py: a 500 rolls the request's transaction back
before anything is rendered.
"""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .database import end_unit_of_work


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
        500: _("Something went wrong on our side. Please try again; if it happens again, tell the administrator."),
    }


def error_response(code: int, message: str | None = None):
    message = message or _titles().get(code) or _("An error occurred.")
    if wants_json():
        return make_response(jsonify(error={"code": code, "message": message}), code)
    return make_response(render_template("errors/error.html", code=code, message=message), code)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(
            400, _("The form has expired or was sent from elsewhere. Please reload the page and try again.")
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

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        end_unit_of_work(commit=False)
        try:
            return error_response(500)
        except Exception:  # the error page itself failed: still never a traceback
            app.logger.exception("the error page could not be rendered")
            return make_response("Internal Server Error", 500, {"Content-Type": "text/plain"})
