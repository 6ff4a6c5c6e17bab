"""Paper questionnaires typed in after class."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


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
    #: 用紙番号: the number written on the paper form, 1, 2, 3 ... within the class, so that
    #: an entry can be found again on paper to correct or delete it
    sheet_number: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_1_to_5"),
        Index("ix_questionnaire_response_session", "session_id"),
        # one paper form number per class (add_response numbers them under the class's lock)
        UniqueConstraint("session_id", "sheet_number"),
    )
