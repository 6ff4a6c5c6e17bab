"""Loaner phones: a venue's phone lent to a participant for one session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .courses import ClassSession
from .people import Participant


class PhoneLoan(Base):
    """A venue's loaner phone lent to a participant for one session."""

    __tablename__ = "phone_loan"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    #: the label stuck on the phone, e.g. "貸出-2"
    phone_label: Mapped[str] = mapped_column(String(40))
    lent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    session: Mapped[ClassSession] = relationship()
    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        # a phone is in one pair of hands at a time, and a person holds one phone
        Index(
            "uq_phone_loan_out_label",
            "session_id",
            "phone_label",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index(
            "uq_phone_loan_out_participant",
            "session_id",
            "participant_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        CheckConstraint("length(phone_label) > 0", name="label_not_empty"),
    )
