"""Kiosks, their calls for help, and anonymous usage events. Nothing personal here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from languages import N_

from .base import Base, LabelledEnum, UTCDateTime, enum_column, utcnow


class Kiosk(Base):
    """A touch screen at a library or counter; it authenticates with its own token."""

    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    #: where it stands, e.g. "中央図書館 1階 入口"
    location: Mapped[str] = mapped_column(String(200), default="")
    #: SHA-256 of the bearer token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    app_version: Mapped[str] = mapped_column(String(40), default="")
    content_version: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class HelpRequest(Base):
    """A resident pressed 職員を呼ぶ at a kiosk; a coordinator takes and closes it."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id"))
    #: the kiosk's id for this request, so a resent outbox entry is not a second call
    client_id: Mapped[str] = mapped_column(String(80))
    #: the screen the resident was on (e.g. "guide:juminhyo:3"), to know what to bring
    screen: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(10), default="ja")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    kiosk: Mapped[Kiosk] = relationship()

    __table_args__ = (
        Index("uq_help_request_kiosk_client", "kiosk_id", "client_id", unique=True),
        Index("ix_help_request_open", "closed_at"),
    )


class UsageKind(LabelledEnum):
    GUIDE_VIEWED = "guide_viewed", N_("Guide viewed")
    STEP_REACHED = "step_reached", N_("Step reached")
    GUIDE_FINISHED = "guide_finished", N_("Guide finished")
    HANDOFF_SHOWN = "handoff_shown", N_("Hand-off QR shown")
    LANGUAGE_CHOSEN = "language_chosen", N_("Language chosen")
    TEXT_SIZE_CHOSEN = "text_size_chosen", N_("Text size chosen")
    SPEECH_PLAYED = "speech_played", N_("Speech played")
    FAQ_VIEWED = "faq_viewed", N_("FAQ viewed")
    BOOKING_STARTED = "booking_started", N_("Booking started")


class UsageEvent(Base):
    """An anonymous fact about kiosk use, for the ward's reports."""

    __tablename__ = "usage_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id"))
    client_id: Mapped[str] = mapped_column(String(80))
    kind: Mapped[UsageKind] = mapped_column(enum_column(UsageKind, "usage_kind"))
    #: when it happened on the kiosk (it may arrive later, from the outbox)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    guide_id: Mapped[str] = mapped_column(String(60), default="")
    step: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(10), default="")
    text_size: Mapped[str] = mapped_column(String(10), default="")

    __table_args__ = (
        Index("uq_usage_event_kiosk_client", "kiosk_id", "client_id", unique=True),
        # the period's events by time; with the columns the year report groups by, it
        # counts them from the index alone (issue 21)
        Index("ix_usage_event_at_kind", "at", "kind", "kiosk_id", "guide_id", "language"),
    )
