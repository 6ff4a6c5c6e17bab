"""One-time form tokens: the second submit of a creating form shows the first result.

A creating page (a class, a questionnaire, a resident ...) carries a random token. The
first submit that gets through validation `claim`s it in the same transaction as what it
creates, and `remember`s the created object's page; a second submit with the same token
(a double click, a reload, a browser resending) finds it and is shown that page instead
of creating again. A submit refused by validation rolls back, so its token stays unused.

Two submits at the same instant: on PostgreSQL the second INSERT of the same key waits
for the first transaction and then fails as a duplicate, and is answered with the first
result; SQLite write transactions are serialized already (BEGIN IMMEDIATE).
Tokens are kept one day (LIFETIME), hashed with who sent them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import UsedFormToken, utcnow

LIFETIME = timedelta(days=1)
#: what `new_token` makes, and so all a token may be (anything else is a damaged form)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_URL = 500


def new_token() -> str:
    return secrets.token_urlsafe(24)


def valid(token: str | None) -> bool:
    return bool(token) and TOKEN.fullmatch(token) is not None


def _key(owner: str, token: str) -> str:
    return hashlib.sha256(f"{owner}\x1f{token}".encode()).hexdigest()


def claim(db: Session, owner: str, token: str, now: datetime | None = None) -> str | None:
    """None when this is the token's first use (now taken); else the first result's page.

    The page is "" when the first submit led nowhere in particular.
    """
    if not valid(token):
        raise ValueError("not a form token")
    now = now or utcnow()
    key = _key(owner, token)
    db.execute(delete(UsedFormToken).where(UsedFormToken.used_at < now - LIFETIME))
    if (used := db.get(UsedFormToken, key)) is not None:
        return used.result_url
    try:
        with db.begin_nested():
            db.add(UsedFormToken(token_hash=key, result_url="", used_at=now))
            db.flush()
    except IntegrityError:  # a twin submit took it first and has committed
        url = db.scalar(
            select(UsedFormToken.result_url)
            .where(UsedFormToken.token_hash == key)
            .execution_options(populate_existing=True)
        )
        return url or ""
    return None


def remember(db: Session, owner: str, token: str, url: str) -> None:
    """The page the first submit led to: what a second submit is shown."""
    used = db.get(UsedFormToken, _key(owner, token))
    if used is not None and len(url) <= MAX_URL:
        used.result_url = url
        db.flush()
