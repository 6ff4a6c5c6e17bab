"""The audit trail: who viewed, exported, changed or erased whose data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """Append-only: the application inserts these and never updates or deletes them,
    except that erasing a resident blanks personal values held in `details`."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: staff user, if a person did it
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    #: "user", "kiosk:<name>", "cli", "system"
    actor_kind: Mapped[str] = mapped_column(String(80))
    #: e.g. "participant.view", "registration.create", "participant.erase"
    action: Mapped[str] = mapped_column(String(60))
    #: the resident whose data it concerns, if any
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None] = mapped_column()
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_event_participant", "participant_id"),
        Index("ix_audit_event_at", "at"),
    )
