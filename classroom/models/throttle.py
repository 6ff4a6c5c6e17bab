"""Login throttling counters: one row per (login, address) and one per address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class LoginThrottle(Base):
    """A run of failed logins for one key (see classroom/services/throttle.py).

    The key is a keyed hash, never the typed login name nor the address: a password typed
    into the login box must not be readable here.
    """

    __tablename__ = "login_throttle"

    #: "pair:" or "addr:" + a keyed BLAKE2b hash (hex)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: failed (or still running) attempts counted in this run
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: no attempt is checked for this key before this moment
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the random ticket of the last attempt counted: it tells a request its count was taken
    ticket: Mapped[str] = mapped_column(String(32), default="")

    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_not_negative"),
        Index("ix_login_throttle_last_failure_at", "last_failure_at"),
    )
