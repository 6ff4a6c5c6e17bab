"""Staff accounts: argon2id passwords, creating users, logging in, and login throttling.

Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile). A
password has at least 8 characters, is not one of the most common passwords
(common_passwords.txt) and is not the login itself. Failed logins are recorded in the
audit trail; throttling them (per login name and address, and per address, with back-off,
atomic across every web worker and server) is throttle.py's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from languages import N_

from ..models import Role, StaffSession, User, utcnow
from . import audit, throttle
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound
from .text import nfkc

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
LANGUAGES = ("ja", "en")
_LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
_COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

#: login throttling lives in throttle.py: per (login, address) and per address
MAX_FAILURES_PER_LOGIN = throttle.FREE_PER_PAIR
MAX_FAILURES_PER_ADDRESS = throttle.FREE_PER_ADDRESS

hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


@cache
def _dummy_hash() -> str:
    # verified against when the login is unknown, so both cases take the same time
    return hasher.hash("tsunagu: no such account")


def normalize_login(login: str) -> str:
    return nfkc(login or "").strip().lower()


def password_problem(password: str, login: str = "") -> DomainError | None:
    """Why `password` may not be used, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return DomainError(
            N_("The password must have at least %(min)s characters."),
            field="password",
            min=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return DomainError(N_("The password is too long."), field="password")
    folded = password.casefold()
    if folded in common_passwords() or (login and normalize_login(login) in folded):
        return DomainError(
            N_("This password is too easy to guess. Please choose another."), field="password"
        )
    return None


def hash_password(password: str) -> str:
    return hasher.hash(password)


def create_user(
    db: Session,
    *,
    login: str,
    role: Role | str,
    password: str,
    actor: Actor,
    display_name: str = "",
    language: str = "ja",
) -> User:
    """A new staff account with an argon2id hash; InvalidInput names every wrong field."""
    login = normalize_login(login)
    display_name = nfkc(display_name or "").strip()
    errors: dict[str, DomainError] = {}
    if not _LOGIN_RE.match(login):
        errors["login"] = DomainError(
            N_("A login has 2 to 60 letters, digits, dots, dashes or underscores."), field="login"
        )
    elif db.scalar(select(User.id).where(User.login == login)) is not None:
        errors["login"] = DomainError(N_("This login is already taken."), field="login")
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = DomainError(N_("Please choose a role."), field="role")
    if len(display_name) > 120:
        errors["display_name"] = DomainError(N_("The name is too long."), field="display_name")
    if language not in LANGUAGES:
        errors["language"] = DomainError(N_("Please choose a language."), field="language")
    if problem := password_problem(password, login):
        errors["password"] = problem
    if errors:
        raise InvalidInput(errors)
    user = User(
        login=login,
        role=role,
        display_name=display_name or login,
        password_hash=hash_password(password),
        language=language,
        active=True,
    )
    try:
        with db.begin_nested():
            db.add(user)
            db.flush()
    except IntegrityError:  # the same login created at the same moment elsewhere
        raise InvalidInput.single("login", N_("This login is already taken.")) from None
    audit.record(
        db,
        actor,
        "staff_user.create",
        subject_type="staff_user",
        subject_id=user.id,
        details={"login": login, "role": role.value},
    )
    return user


def end_sessions(db: Session, user_id: int) -> int:
    """Log one account out everywhere at once: every server-side session row goes, so
    every copy of its cookies, on every web server and worker, is anonymous from now."""
    return db.execute(delete(StaffSession).where(StaffSession.user_id == user_id)).rowcount or 0


def _account(db: Session, user_id: int, *, lock: bool = False) -> User:
    query = select(User).where(User.id == user_id)
    user = db.scalar(query.with_for_update() if lock else query)
    if user is None:
        raise NotFound(N_("No such account."))
    return user


def set_password(
    db: Session, user_id: int, password: str, *, actor: Actor, must_change: bool = False
) -> User:
    """A new password (the command line, the demo); every session of the account ends.

    `must_change`: a temporary password an administrator gave; the next login must
    choose a new one before anything else.
    """
    user = _account(db, user_id, lock=True)
    if problem := password_problem(password, user.login):
        raise InvalidInput({"password": problem})
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    ended = end_sessions(db, user.id)
    audit.record(
        db,
        actor,
        "staff_user.password_reset" if must_change else "staff_user.password",
        subject_type="staff_user",
        subject_id=user.id,
        details={"sessions_ended": ended},
    )
    return user


def reset_password(db: Session, user_id: int, temporary: str, *, actor: Actor) -> User:
    """An administrator sets a temporary password; its owner chooses a new one at the
    next login. The account is logged out everywhere."""
    return set_password(db, user_id, temporary, actor=actor, must_change=True)


class WrongCurrentPassword(InvalidInput):
    """The current password given to change it was wrong; the attempt has been counted."""


def change_own_password(
    db: Session,
    user_id: int,
    current: str,
    new: str,
    *,
    actor: Actor,
    remote_addr: str = "",
    throttle_secret: str | bytes = b"",
    now: datetime | None = None,
) -> User:
    """A member of staff changes their own password: the current one first, then a new
    one that follows the rules and is not the old one. Every session ends; the caller
    starts a fresh one for the browser that made the change.

    The current password is guessed no faster here than at the login page: each check is
    counted by the same throttle (per account name and address, and per address). A wrong
    current password raises `WrongCurrentPassword`, whose count the caller keeps by
    committing before it answers."""
    user = _account(db, user_id, lock=True)
    secret = throttle_secret.encode() if isinstance(throttle_secret, str) else throttle_secret
    reservation = throttle.reserve(db, user.login, remote_addr[:64], secret=secret, now=now)
    if not reservation.allowed:
        raise InvalidInput.single(
            "current_password",
            N_("Too many wrong passwords. Please wait a while and try again."),
        )
    try:
        hasher.verify(user.password_hash or _dummy_hash(), current or "")
    except (VerificationError, InvalidHashError):
        raise WrongCurrentPassword.single(
            "current_password", N_("The current password is not correct.")
        ) from None
    throttle.succeeded(db, reservation, now)
    if problem := password_problem(new, user.login):
        raise InvalidInput({"password": problem})
    if new == current:
        raise InvalidInput.single(
            "password", N_("The new password must be different from the current one.")
        )
    user.password_hash = hash_password(new)
    user.must_change_password = False
    ended = end_sessions(db, user.id)
    audit.record(
        db,
        actor,
        "staff_user.password_change",
        subject_type="staff_user",
        subject_id=user.id,
        details={"sessions_ended": ended},
    )
    return user


def set_active(db: Session, user_id: int, active: bool, *, actor: Actor) -> User:
    """Disable or enable an account. Disabling logs it out everywhere at once.

    Nobody disables their own account, and the last active administrator stays. Before
    an administrator is disabled every active administrator's row is locked, in id order
    (so two of them disabling each other at the same moment queue instead of
    deadlocking), and the count is taken under those locks: the ward is never left with
    none. On SQLite the write lock of the transaction does the same.
    """
    user = _account(db, user_id)
    if not active and user.role == Role.ADMIN:
        admins = db.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.id)
            .with_for_update()
        ).all()
        db.refresh(user)  # as it is now that the rows are ours
    else:
        admins = []
        user = _account(db, user_id, lock=True)
    if user.active == active:
        return user
    if not active:
        if actor.user_id == user.id:
            raise DomainError(N_("You cannot disable your own account."))
        if user.role == Role.ADMIN and set(admins) <= {user.id}:
            raise DomainError(N_("The last administrator cannot be disabled."))
    user.active = active
    ended = 0 if active else end_sessions(db, user.id)
    audit.record(
        db,
        actor,
        "staff_user.enable" if active else "staff_user.disable",
        subject_type="staff_user",
        subject_id=user.id,
        details={"login": user.login, "sessions_ended": ended},
    )
    return user


def staff_list(db: Session) -> list[User]:
    """Every account, administrators first, for the staff page."""
    return list(db.scalars(select(User).order_by(User.role, User.login)).all())


def authenticate(db: Session, login: str, password: str) -> User | None:
    """The active user with this login and password, else None; the same work either way."""
    user = db.scalar(select(User).where(User.login == normalize_login(login)))
    stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


#: what the audit trail says for a login name that is no account of ours
UNKNOWN_LOGIN = "unknown"


def failed_login_subject(db: Session, login: str) -> dict:
    """Who a failed login was for, as the audit trail may keep it for years: the account
    when the name is one, else just "unknown" — never the text typed, which is often a
    password typed into the wrong box."""
    user_id = db.scalar(select(User.id).where(User.login == normalize_login(login)))
    if user_id is None:
        return {"details": {"login": UNKNOWN_LOGIN}}
    return {
        "subject_type": "staff_user",
        "subject_id": user_id,
        "details": {"login": normalize_login(login)},
    }


@dataclass(frozen=True)
class LoginAttempt:
    user: User | None
    #: True when too many failures came before: the password was not even checked
    throttled: bool = False
    #: when throttled: how long until the next attempt is checked
    retry_after: timedelta = timedelta(0)

    @property
    def retry_after_minutes(self) -> int:
        """The wait in whole minutes, rounded up (what a person is told)."""
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


def attempt_login(
    db: Session,
    login: str,
    password: str,
    *,
    remote_addr: str = "",
    now: datetime | None = None,
    throttle_secret: str | bytes = b"",
) -> LoginAttempt:
    """Check a login unless throttled (throttle.py), and record the outcome in the audit trail.

    `throttle_secret` keys the throttle's hashes (the web passes its SECRET_KEY).
    """
    now = now or utcnow()
    login = normalize_login(login)[:60]
    secret = throttle_secret.encode() if isinstance(throttle_secret, str) else throttle_secret
    reservation = throttle.reserve(db, login, remote_addr[:64], secret=secret, now=now)
    if not reservation.allowed:
        return LoginAttempt(user=None, throttled=True, retry_after=reservation.retry_after)
    user = authenticate(db, login, password)
    if user is None:
        anonymous = Actor(kind="anonymous", remote_addr=remote_addr[:64])
        audit.record(db, anonymous, "auth.login_failed", **failed_login_subject(db, login)).at = now
        return LoginAttempt(user=None)
    throttle.succeeded(db, reservation, now)
    user.last_login_at = now
    actor = Actor.for_user(user, remote_addr[:64])
    audit.record(
        db,
        actor,
        "auth.login",
        subject_type="staff_user",
        subject_id=user.id,
        details={"login": login},
    ).at = now
    return LoginAttempt(user=user)
