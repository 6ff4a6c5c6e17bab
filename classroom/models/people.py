"""Residents who take part in classes, and the ward's staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from languages import N_

from .base import Base, LabelledEnum, UTCDateTime, enum_column, utcnow


class Device(LabelledEnum):
    IPHONE = "iphone", N_("iPhone")
    ANDROID = "android", N_("Android")
    SENIOR = "senior", N_("Senior phone")
    NONE = "none", N_("No smartphone yet")
    UNKNOWN = "unknown", N_("Not known")


class Source(LabelledEnum):
    """How a resident or a registration came to us."""

    PHONE = "phone", N_("By phone")
    COUNTER = "counter", N_("At the counter")
    KIOSK = "kiosk", N_("At a kiosk")
    WEB = "web", N_("On the web")
    WALK_IN = "walk_in", N_("Walked in")
    IMPORT = "import", N_("Imported")


class Need(LabelledEnum):
    HEARING_AID = "hearing_aid", N_("Hearing aid")
    WHEELCHAIR = "wheelchair", N_("Wheelchair")
    LOW_VISION = "low_vision", N_("Low vision")
    LARGE_PRINT = "large_print", N_("Large print")
    INTERPRETER = "interpreter", N_("Interpreter")
    LOANER_PHONE = "loaner_phone", N_("Needs a loaner phone")


class Role(LabelledEnum):
    ADMIN = "admin", N_("Administrator")
    COORDINATOR = "coordinator", N_("Coordinator")
    INSTRUCTOR = "instructor", N_("Instructor")


class Participant(Base):
    """A resident. Personal data: shown only to the roles that need it, never to kiosks."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 姓 and 名; may be empty when a kiosk registered only the kana reading
    family_name: Mapped[str] = mapped_column(String(60), default="")
    given_name: Mapped[str] = mapped_column(String(60), default="")
    #: the name in kana as the resident says it (ヤマダ ハナコ)
    reading: Mapped[str] = mapped_column(String(120), default="")
    #: `reading` folded for search: hiragana, no spaces, full width (やまだはなこ)
    reading_key: Mapped[str] = mapped_column(String(120), default="")
    #: as given (03-1234-5678)
    phone: Mapped[str] = mapped_column(String(30), default="")
    #: digits only, for search and duplicate checks
    phone_digits: Mapped[str] = mapped_column(String(20), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    device: Mapped[Device] = mapped_column(enum_column(Device, "device"), default=Device.UNKNOWN)
    #: list of Need values
    needs: Mapped[list] = mapped_column(JSON, default=list)
    #: free text the coordinator notes (e.g. "prefers mornings")
    note: Mapped[str] = mapped_column(Text, default="")
    #: when the resident agreed to the purpose of collection, and how
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_method: Mapped[str] = mapped_column(String(20), default="")
    source: Mapped[Source] = mapped_column(enum_column(Source, "participant_source"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: registrations, attendance or edits; drives the retention period
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: set when the personal values were erased; the row stays for the counts
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
            name="birth_year_plausible",
        ),
        CheckConstraint(
            "erased_at IS NOT NULL OR length(reading) > 0 OR length(family_name) > 0",
            name="has_a_name",
        ),
        Index("ix_participant_reading_key", "reading_key"),
        Index("ix_participant_phone_digits", "phone_digits"),
    )

    @property
    def display_name(self) -> str:
        name = f"{self.family_name} {self.given_name}".strip()
        return name or self.reading


class User(Base):
    """A member of staff who logs in to the web site."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the staff member's own UI language
    language: Mapped[str] = mapped_column(String(10), default="ja")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the last successful login (shown to administrators on the staff page)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: set when an administrator resets the password: the next login must choose a new one
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    #: may edit and publish guides, lessons, FAQ and the ward settings (issue 18);
    #: administrators may always
    content_editor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def edits_content(self) -> bool:
        """True when this member of staff may publish content (editors and administrators)."""
        return self.content_editor or self.role == Role.ADMIN

    __table_args__ = (CheckConstraint("length(login) > 0", name="login_not_empty"),)
