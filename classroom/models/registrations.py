"""Registrations, attendance, lottery draws and the coordinators' "to call" list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from languages import N_

from .base import Base, LabelledEnum, UTCDateTime, enum_column, utcnow
from .courses import ClassSession
from .people import Participant, Source, User


class RegistrationStatus(LabelledEnum):
    APPLIED = "applied", N_("Applied for the lottery")
    CONFIRMED = "confirmed", N_("Confirmed")
    WAITLISTED = "waitlisted", N_("Waitlisted")
    CANCELLED = "cancelled", N_("Cancelled")


#: statuses that hold (or wait for) a place; one per participant and session
ACTIVE_STATUSES = ("applied", "confirmed", "waitlisted")


class AttendanceStatus(LabelledEnum):
    PRESENT = "present", N_("Present")
    LATE = "late", N_("Late")
    ABSENT = "absent", N_("Absent")
    EXCUSED = "excused", N_("Excused")


#: statuses that count as taking part (延べ人数)
ATTENDED_STATUSES = ("present", "late")


class CheckInMethod(LabelledEnum):
    SCAN = "scan", N_("Scanned slip")
    CODE = "code", N_("Typed code")
    ROSTER = "roster", N_("Tapped on the roster")
    WALK_IN = "walk_in", N_("Walk-in")
    IMPORT = "import", N_("Imported")


class CallReason(LabelledEnum):
    PROMOTED = "promoted", N_("Got a seat from the waitlist")
    SESSION_CANCELLED = "session_cancelled", N_("Class cancelled")
    LOTTERY_WON = "lottery_won", N_("Won the lottery")
    LOTTERY_WAITLISTED = "lottery_waitlisted", N_("Waitlisted after the lottery")
    REMINDER = "reminder", N_("Reminder for tomorrow")
    SESSION_MOVED = "session_moved", N_("Class moved")


class Registration(Base):
    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    #: order on the waitlist; positions are derived from it
    #: (classroom.services.registration.waitlist_position), so they stay contiguous
    waitlist_seq: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[Source] = mapped_column(enum_column(Source, "registration_source"))
    #: the staff member who entered it (None: a kiosk or the resident)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    #: the kiosk that sent it, by name
    entered_via: Mapped[str] = mapped_column(String(60), default="")
    #: short code printed on the slip and typed at check-in (no 0/O, 1/I/L)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    #: opaque random token carried by the slip's QR code
    qr_token: Mapped[str] = mapped_column(String(64), unique=True)
    #: a client's key for "this attempt"; the same key never books twice
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    #: booked on the public site by a family member for the resident (issue 19)
    booked_by_family: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the family member's phone, if given: whom the office calls about this booking
    #: (personal data: blanked when the resident is erased)
    contact_phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    contact_phone_digits: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    session: Mapped[ClassSession] = relationship()
    participant: Mapped[Participant] = relationship()
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        # one active registration per participant and session
        Index(
            "uq_registration_active_participant",
            "session_id",
            "participant_id",
            unique=True,
            sqlite_where=text("status IN ('applied', 'confirmed', 'waitlisted')"),
            postgresql_where=text("status IN ('applied', 'confirmed', 'waitlisted')"),
        ),
        # a session's seats by status; with the person, a held session's confirmed seats
        # and whether their holders came are read from the index alone (the year report)
        Index(
            "ix_registration_session_status_participant", "session_id", "status", "participant_id"
        ),
        Index("ix_registration_participant", "participant_id"),
        CheckConstraint(
            "(status = 'waitlisted') = (waitlist_seq IS NOT NULL)",
            name="waitlist_seq_iff_waitlisted",
        ),
    )


class Attendance(Base):
    """Whether a participant came to a session; walk-ins have no registration."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    method: Mapped[CheckInMethod] = mapped_column(enum_column(CheckInMethod, "check_in_method"))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[ClassSession] = relationship()
    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        CheckConstraint("walk_in = (registration_id IS NULL)", name="walk_in_iff_unregistered"),
        # a person's attendance; with session and status, whether they attended before a
        # period, or came to a session, is read from the index alone (the year report)
        Index("ix_attendance_participant_session_status", "participant_id", "session_id", "status"),
    )


class LotteryDraw(Base):
    """The one draw of a lottery session: its seed makes the result reproducible."""

    __tablename__ = "lottery_draw"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"), unique=True)
    seed: Mapped[str] = mapped_column(String(64))
    #: registration ids in drawn order; the first `seats` won
    drawn_order: Mapped[list] = mapped_column(JSON)
    #: the class's capacity when drawn (None for draws made before it was kept: the
    #: capacity then, which no edit could change yet)
    seats: Mapped[int | None] = mapped_column(Integer)
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class CallTask(Base):
    """A resident a coordinator must phone: promoted, cancelled, lottery result, reminder."""

    __tablename__ = "call_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    reason: Mapped[CallReason] = mapped_column(enum_column(CallReason, "call_reason"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    informed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    informed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    participant: Mapped[Participant] = relationship()
    session: Mapped[ClassSession] = relationship()

    __table_args__ = (
        # one open call per registration and reason: a double click adds nothing
        Index(
            "uq_call_task_open",
            "registration_id",
            "reason",
            unique=True,
            sqlite_where=text("informed_at IS NULL"),
            postgresql_where=text("informed_at IS NULL"),
        ),
        Index("ix_call_task_open", "informed_at"),
    )


#: PostgreSQL: how many are waitlisted ahead of waitlist number `seq` in class `class_id`,
#: counted by a query with a snapshot of its own: a VOLATILE function's query sees what was
#: committed before it ran, where its calling statement sees the table as it was when it
#: was sent. The booking statement (classroom/services/registration.py) sends first and
#: waits for the class's row after; it counts those ahead with this once it holds the row.
#: Made with the table, and by migration 0017 in a ward's database.
WAITLIST_AHEAD_SQL = """\
CREATE OR REPLACE FUNCTION waitlist_ahead(class_id integer, seq integer) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
  SELECT count(*) FROM registration
  WHERE session_id = class_id AND status = 'waitlisted' AND waitlist_seq < seq
$$"""
event.listen(
    Registration.__table__,
    "after_create",
    DDL(WAITLIST_AHEAD_SQL).execute_if(dialect="postgresql"),
)
