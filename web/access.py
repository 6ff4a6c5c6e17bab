"""Who may do what, checked on the server: one decorator for roles, one helper per object.

`role_required` guards a view by role; `session_for(...)` is the object-level check
(flaskr's `get_post`): it loads a class session and aborts 404 when it does not
exist, 403 when the current user may not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g, request
from flask_login import current_user
from sqlalchemy import bindparam, exists, select

from classroom.models import (
    ClassSession,
    Course,
    Participant,
    Registration,
    Role,
    User,
    Venue,
    session_instructor,
)
from classroom.services.actor import Actor

from .database import db_session
from .extensions import login_manager

#: what each role may open; admins manage staff, venues and courses and may also see the
#: office (they stand in for coordinators), coordinators see residents and registrations
OFFICE_ROLES = (Role.COORDINATOR, Role.ADMIN)
TEACH_ROLES = (Role.INSTRUCTOR, Role.COORDINATOR, Role.ADMIN)
ADMIN_ROLES = (Role.ADMIN,)


def current_actor() -> Actor:
    """Who is acting, for the audit trail: the kiosk under /api/, else the staff member."""
    if (kiosk := g.get("kiosk")) is not None:
        return Actor.kiosk(kiosk.name, request.remote_addr or "")
    return Actor.for_user(current_user, request.remote_addr or "")


def has_role(user, *roles: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def role_required(*roles: Role) -> Callable:
    """Anonymous users go to the login page; logged-in users without the role get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def row_or_404(model, row_id: int):
    """The row of ``model`` with this id, else 404 (flaskr's get_post)."""
    row = db_session().get(model, row_id)
    if row is None:
        abort(404)
    return row


def participant_or_404(participant_id: int) -> Participant:
    """A resident who has not been erased (an erased one is as good as gone)."""
    participant = row_or_404(Participant, participant_id)
    if participant.erased_at is not None:
        abort(404)
    return participant


def registration_or_404(registration_id: int) -> Registration:
    return row_or_404(Registration, registration_id)


def class_session_or_404(session_id: int) -> ClassSession:
    return row_or_404(ClassSession, session_id)


def venue_or_404(venue_id: int) -> Venue:
    return row_or_404(Venue, venue_id)


def course_or_404(course_id: int) -> Course:
    return row_or_404(Course, course_id)


def user_or_404(user_id: int) -> User:
    return row_or_404(User, user_id)


def session_for(session_id: int, user: User | None = None) -> ClassSession:
    """The class session, if `user` may see it: coordinators and admins see all,
    instructors only the sessions they teach. Aborts 404 / 403 otherwise."""
    user = user or current_user
    if user.role in OFFICE_ROLES:
        return class_session_or_404(session_id)
    # the session and whether this user teaches it, in one statement (every page of an
    # instructor's class starts here)
    row = db_session().execute(_SESSION_AND_TEACHES, {"id": session_id, "user_id": user.id}).first()
    if row is None:
        abort(404)
    session, taught = row
    if user.role == Role.INSTRUCTOR and taught:
        return session
    abort(403)


_SESSION_AND_TEACHES = select(
    ClassSession,
    exists()
    .where(
        session_instructor.c.session_id == ClassSession.id,
        session_instructor.c.user_id == bindparam("user_id"),
    )
    .label("teaches"),
).where(ClassSession.id == bindparam("id"))
