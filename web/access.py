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
from sqlalchemy import select

from classroom.models import ClassSession, Role, User, session_instructor
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


def teaches(user: User, session_id: int) -> bool:
    return (
        db_session().scalar(
            select(session_instructor.c.user_id).where(
                session_instructor.c.session_id == session_id,
                session_instructor.c.user_id == user.id,
            )
        )
        is not None
    )


def session_for(session_id: int, user: User | None = None) -> ClassSession:
    """The class session, if `user` may see it: coordinators and admins see all,
    instructors only the sessions they teach. Aborts 404 / 403 otherwise."""
    user = user or current_user
    session = db_session().get(ClassSession, session_id)
    if session is None:
        abort(404)
    if user.role in OFFICE_ROLES:
        return session
    if user.role == Role.INSTRUCTOR and teaches(user, session_id):
        return session
    abort(403)
