"""Questions residents asked (/ask, kiosk): those that got no confident answer, kept
anonymously, and how often each confident answer was given (by its id only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class UnansweredQuestion(Base):
    """How often one question went unanswered at one place on one day (issue 20).

    Nothing here names the asker: the question's text (folded, phone numbers and
    reservation codes replaced by a mark), its language, where it was asked ("/ask" or the
    kiosk's location text, never the kiosk's id, token or an address) and the ward's day
    without the time. Identical questions add to `count` (one row per text, language,
    place and day; the unique constraint holds it under concurrency).
    """

    __tablename__ = "unanswered_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(400))
    language: Mapped[str] = mapped_column(String(8))
    place: Mapped[str] = mapped_column(String(200))
    #: the ward's (Tokyo) date the question was asked on
    day: Mapped[date] = mapped_column(Date())
    count: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("text", "language", "place", "day"),
        CheckConstraint("count >= 1", name="count_positive"),
        Index("ix_unanswered_question_day", "day"),
    )


class AnsweredQuestion(Base):
    """How often one answer was given with confidence, in one language, on one day (issue
    20): what the kiosk offers as "questions others asked" buttons.

    Only the answer's kind and id (an FAQ entry, a guide, a lesson, the classes) are kept,
    never what was typed, nor where or when beyond the ward's day: nothing here can point to
    one asker. One row per (kind, id, language, day); `count` grows by one upsert.
    """

    __tablename__ = "answered_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_kind: Mapped[str] = mapped_column(String(16))
    answer_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    #: the ward's (Tokyo) date the answer was given on
    day: Mapped[date] = mapped_column(Date())
    count: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("answer_kind", "answer_id", "language", "day"),
        CheckConstraint("count >= 1", name="count_positive"),
        Index("ix_answered_question_day", "day"),
    )
