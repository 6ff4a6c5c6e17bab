"""One-time form tokens: a form sent twice (a double click, a reload) creates once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class UsedFormToken(Base):
    """A creating form's token, used: where its first submit led (classroom/services/form_tokens).

    Small and generic on purpose: no form data, only the page of what was created.
    Rows older than a day are deleted as new tokens are used.
    """

    __tablename__ = "used_form_token"

    #: SHA-256 (hex) of who sent it and the token: one person's token is theirs only
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the page the first submit led to (the created object's page), "" until known
    result_url: Mapped[str] = mapped_column(String(500), default="")
    used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_used_form_token_used_at", "used_at"),)
