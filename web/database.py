"""One SQLAlchemy session per request: committed when the request ended without an error,
else rolled back.

The error handlers (web/errors.py) roll back before they answer, and a view that shows a
rule's refusal on its form (`web.forms.show_domain_error`) calls `refuse()`: what such
a request wrote is not kept. Everything else is committed after the view, whatever its
status — a failed login's count survives its 422 as a booking survives its 201.

Safe requests (GET, HEAD, OPTIONS) read in a deferred transaction so that on SQLite
they never take the write lock; a GET view that must write (an audited view of
personal data) says so with `@writes`. Services take this session and work in its
transaction, so a request is one unit of work.

When the database cannot be reached, `db_session()` raises `DatabaseUnavailable` and the
request ends in the friendly 503 of web/errors.py; from then on this request does not try
the database again (a dead server would cost another connect timeout), and rolling back a
dead connection never raises. A commit that fails after the view is answered by the
handler web/errors.py registers under `COMMIT_FAILED_KEY`; this module imports nothing
of the web layer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from functools import wraps

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from classroom.db import Database

log = logging.getLogger(__name__)
EXTENSION_KEY = "tsunagu_db"
#: app.extensions key of the answer to a commit that failed: (error, response) -> response
COMMIT_FAILED_KEY = "tsunagu_commit_failed"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _Rollback(Exception):
    """Thrown into the unit of work to make it roll back instead of commit."""


class DatabaseUnavailable(Exception):
    """This request already found the database unreachable: it is not asked again."""


def get_database() -> Database:
    return current_app.extensions[EXTENSION_KEY]


def writes(view: Callable) -> Callable:
    """Mark a view that writes even when it answers a GET (e.g. an audited view)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.tsunagu_writes = True
    return wrapper


def _request_writes() -> bool:
    if request.method not in SAFE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "tsunagu_writes", False))


def db_session() -> Session:
    """This request's session, opened on first use."""
    if g.get("db_unavailable"):
        raise DatabaseUnavailable()
    if "db_session" not in g:
        database = get_database()
        stack = ExitStack()
        unit = database.write() if _request_writes() else database.read()
        g.db_session = stack.enter_context(unit)
        g.db_unit = stack
    return g.db_session


def end_unit_of_work(commit: bool) -> None:
    """Commit or roll back this request's transaction (once) and close its session."""
    stack: ExitStack | None = g.pop("db_unit", None)
    g.pop("db_session", None)
    if stack is None:
        return
    if commit:
        stack.close()
        return
    try:
        stack.__exit__(_Rollback, _Rollback(), None)
    except Exception as exc:  # a dead connection cannot roll back; the pool drops it
        log.debug("rollback failed: %s", type(exc).__name__)


def commit_now() -> None:
    """Commit this request's unit of work before the view answers, instead of after it.

    For a view that holds a lock others queue on until its commit (a booking holds its
    class's row): the answer is built and the after-request hooks run after the lock is
    gone. A failed commit raises here and is answered as after the view (a 503 for an
    outage); the after-request commit then finds nothing left to do.
    """
    end_unit_of_work(commit=not g.pop("db_refused", False))


def refuse() -> None:
    """A rule refused what this request asked: nothing it wrote is kept (rolled back at
    the end of the request, so what the page shows can still be read)."""
    g.db_refused = True


def found_unavailable() -> bool:
    """True when this request (if any) already met an unreachable database: whatever it
    still shows (its 503 page) must not wait for another connect timeout."""
    return has_request_context() and bool(g.get("db_unavailable"))


def mark_unavailable() -> None:
    """This request met an unreachable database: roll back and never try it again."""
    end_unit_of_work(commit=False)
    g.db_unavailable = True


def init_app(app: Flask, database: Database) -> None:
    app.extensions[EXTENSION_KEY] = database

    @app.after_request
    def _commit(response):
        # Committing here, before the response leaves, turns a failed commit into a 503 or
        # 500 instead of a page that says "saved". An error handler rolled back already.
        try:
            end_unit_of_work(commit=not g.pop("db_refused", False))
        except Exception as exc:
            answer = current_app.extensions.get(COMMIT_FAILED_KEY)
            if answer is None:
                raise
            return answer(exc, response)
        return response

    @app.teardown_request
    def _close(exc):
        end_unit_of_work(commit=False)
