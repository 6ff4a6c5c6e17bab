"""Server-side record of logged-in sessions, so that logout really ends a session.

Flask keeps the session in a signed cookie; a copy of that cookie would stay valid
after logout. So each login gets a random id, kept in the cookie, and the database
keeps a `StaffSession` row under the id's SHA-256. Logout deletes the row; a cookie
whose row is gone (or expired) is anonymous — on every web server and worker at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from classroom.models import StaffSession, User, utcnow

#: the user of a live session, found with the session in one statement on every staff
#: request; built once (a statement's cache key is worked out on each new build)
_LIVE_USER = (
    select(User)
    .join(StaffSession, StaffSession.user_id == User.id)
    .where(
        StaffSession.id_hash == bindparam("id_hash"),
        StaffSession.user_id == bindparam("user_id"),
        StaffSession.expires_at > bindparam("now"),
    )
)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionRegistry:
    def __init__(self, max_age: timedelta) -> None:
        self.max_age = max_age

    def start(self, db: Session, user_id: int, now: datetime | None = None) -> str:
        """A new session id for `user_id`; forgets expired sessions on the way."""
        now = now or utcnow()
        db.execute(delete(StaffSession).where(StaffSession.expires_at < now))
        session_id = secrets.token_urlsafe(32)
        db.add(
            StaffSession(
                id_hash=_hash(session_id),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + self.max_age,
            )
        )
        return session_id

    def live_user(
        self, db: Session, session_id: str | None, user_id: int | str, now: datetime | None = None
    ) -> User | None:
        """The user whose login ``session_id`` is, while it lasts; None for a dead session."""
        if not session_id:
            return None
        try:
            user_id = int(user_id)
        except ValueError:
            return None
        return db.scalar(
            _LIVE_USER,
            {"id_hash": _hash(session_id), "user_id": user_id, "now": now or utcnow()},
        )

    def end(self, db: Session, session_id: str | None) -> None:
        if session_id:
            db.execute(delete(StaffSession).where(StaffSession.id_hash == _hash(session_id)))

    def end_all_for(self, db: Session, user_id: int) -> None:
        """End every session of one user (e.g. when an account is disabled)."""
        db.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


class StaffMember:
    """The logged-in staff user as Flask-Login wants it, wrapping the `User` row.

    Attribute reads fall through to the row (`current_user.role`, `.display_name`).
    """

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user) -> None:
        self.user = user

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)

    def get_id(self) -> str:
        return str(self.user.id)

    def __getattr__(self, name: str):
        return getattr(self.user, name)
