"""Courses, venues and the class sessions held in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from languages import N_

from .base import Base, LabelledEnum, UTCDateTime, enum_column, utcnow


class CourseKind(LabelledEnum):
    INTRO = "intro", N_("Smartphone introduction")  # スマホ入門
    ONE_POINT = "one_point", N_("One-point class")  # スマホワンポイント教室


class DeviceTrack(LabelledEnum):
    IPHONE = "iphone", N_("iPhone")
    ANDROID = "android", N_("Android")
    SENIOR = "senior", N_("Senior phone")  # シニア向け (らくらくスマートフォン)
    ANY = "any", N_("Any phone")


class VenueKind(LabelledEnum):
    LIBRARY = "library", N_("Library")
    COMMUNITY_CENTRE = "community_centre", N_("Community centre")
    WARD_OFFICE = "ward_office", N_("Ward office")
    OTHER = "other", N_("Other")


class SessionState(LabelledEnum):
    SCHEDULED = "scheduled", N_("Scheduled")
    CANCELLED = "cancelled", N_("Cancelled")
    HELD = "held", N_("Held")


class BookingMode(LabelledEnum):
    FIRST_COME = "first_come", N_("First come, first served")
    LOTTERY = "lottery", N_("Lottery")


class Course(Base):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short stable identifier, e.g. "intro-iphone"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: Japanese title as residents see it
    title: Mapped[str] = mapped_column(String(120))
    #: other languages' titles, {"ja-easy": ..., "en": ..., "zh-Hans": ..., "ko": ...}
    title_translations: Mapped[dict] = mapped_column(JSON, default=dict)
    kind: Mapped[CourseKind] = mapped_column(enum_column(CourseKind, "course_kind"))
    device_track: Mapped[DeviceTrack] = mapped_column(enum_column(DeviceTrack, "device_track"))
    #: content ids of the lessons taught, in order (content/lessons/<id>.yaml)
    lesson_ids: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")

    sessions: Mapped[list[ClassSession]] = relationship(back_populates="course")

    __table_args__ = (CheckConstraint("length(title) > 0", name="title_not_empty"),)


class Venue(Base):
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: the name in other languages, {"en": ..., "ko": ...}; pages show the Japanese beside it
    name_translations: Mapped[dict] = mapped_column(JSON, default=dict)
    kind: Mapped[VenueKind] = mapped_column(enum_column(VenueKind, "venue_kind"))
    address: Mapped[str] = mapped_column(String(200), default="")
    #: how to get there, printed on the reservation slip
    access: Mapped[str] = mapped_column(Text, default="")
    #: the access line in other languages, {"en": ..., "ko": ...}; missing ones show `access`
    access_translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: seats in the room; no session there may hold more
    capacity: Mapped[int] = mapped_column(Integer)
    #: loaner phones kept at the venue for participants without their own
    loaner_phones: Mapped[int] = mapped_column(Integer, default=0)

    sessions: Mapped[list[ClassSession]] = relationship(back_populates="venue")

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("loaner_phones >= 0", name="loaner_phones_not_negative"),
    )


session_instructor = Table(
    "session_instructor",
    Base.metadata,
    Column("session_id", ForeignKey("class_session.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True),
)


class ClassSession(Base):
    """One meeting of a course at a venue; `seats_taken` is the seat guard."""

    __tablename__ = "class_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: seats offered; at most the venue's capacity (checked by the service)
    capacity: Mapped[int] = mapped_column(Integer)
    #: confirmed registrations; raised only by a guarded UPDATE, never above capacity
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    #: last waitlist sequence number handed out; positions are derived from it
    waitlist_seq: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[SessionState] = mapped_column(
        enum_column(SessionState, "session_state"), default=SessionState.SCHEDULED
    )
    booking_mode: Mapped[BookingMode] = mapped_column(
        enum_column(BookingMode, "booking_mode"), default=BookingMode.FIRST_COME
    )
    #: lottery sessions only: applications close at this time
    application_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: raised by every edit: an edit sent from a form older than the last one is refused
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    course: Mapped[Course] = relationship(back_populates="sessions")
    venue: Mapped[Venue] = relationship(back_populates="sessions")
    instructors: Mapped[list[User]] = relationship(secondary=session_instructor)  # noqa: F821
    #: the lottery's one draw, once made (read only: the registration service writes it)
    lottery_draw: Mapped[LotteryDraw | None] = relationship(  # noqa: F821
        "LotteryDraw", viewonly=True, uselist=False
    )

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        CheckConstraint("waitlist_seq >= 0", name="waitlist_seq_not_negative"),
        CheckConstraint(
            "booking_mode <> 'lottery' OR application_deadline IS NOT NULL",
            name="lottery_has_deadline",
        ),
        Index("ix_class_session_starts_at", "starts_at"),
    )

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken
