"""What each participant can now do: one record per "I can ..." item shown in a class."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class ProgressRecord(Base):
    """A participant showed an "I can ..." item (a lesson's checklist id) in a class.

    One row per (participant, item): ticking twice, from two tablets or a resent form,
    leaves one row (the unique constraint holds it under concurrency)."""

    __tablename__ = "progress_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    #: "<lesson id>/<can_do id>", e.g. "intro-05-camera-qr/open-camera"
    item_id: Mapped[str] = mapped_column(String(160))
    #: the class it was shown in
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    #: the staff member who ticked it
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("participant_id", "item_id"),
        Index("ix_progress_record_session", "session_id"),
    )
