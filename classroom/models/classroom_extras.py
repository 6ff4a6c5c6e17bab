"""What happens around a class: loaner phones, paper questionnaires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
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


class QuestionnaireResponse(Base):
    """One paper questionnaire typed in after class; anonymous by design."""

    __tablename__ = "questionnaire_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    #: 1 (not satisfied) to 5 (very satisfied)
    satisfaction: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    __table_args__ = (
        CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_1_to_5"),
        Index("ix_questionnaire_response_session", "session_id"),
    )


class StaffSession(Base):
    """A logged-in browser session; logging out deletes it, so a copied cookie is dead."""

    __tablename__ = "staff_session"

    #: SHA-256 of the random session id kept in the cookie
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_staff_session_user", "user_id"),)
