"""The ward's figures: sessions held, 延べ人数 and 実人数, by fiscal year (April–March).

All counting is done by the database (GROUP BY), never by loading rows into Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import case, distinct, extract, func, literal, select
from sqlalchemy.orm import Session

from ..i18n import N_, current_language, gettext, translations
from ..models import (
    ATTENDED_STATUSES,
    Attendance,
    ClassSession,
    Course,
    Participant,
    SessionState,
    Venue,
)

TOKYO = ZoneInfo("Asia/Tokyo")
#: Reiwa 1 began on 1 May 2019; fiscal year 2019 is 令和元年度
REIWA_OFFSET = 2018
AGE_BANDS = (("-64", None, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, None))
UNKNOWN = "unknown"


def fiscal_year_of(moment: date | datetime) -> int:
    """The fiscal year (年度) a date falls in: April to March, named by its April's year."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(TOKYO).date()
    return moment.year if moment.month >= 4 else moment.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """[1 April 00:00, next 1 April 00:00) in Tokyo, as UTC datetimes."""
    start = datetime.combine(date(fiscal_year, 4, 1), time(), TOKYO)
    end = datetime.combine(date(fiscal_year + 1, 4, 1), time(), TOKYO)
    return start.astimezone(UTC), end.astimezone(UTC)


def reiwa_label(fiscal_year: int, language: str | None = None) -> str:
    """令和7年度 (元年 for the first) in Japanese; "FY2025 (Reiwa 7)" in other languages."""
    era_year = fiscal_year - REIWA_OFFSET
    language = language or current_language()
    gettext = translations(language).gettext
    if era_year < 1:
        return gettext("FY%(year)s") % {"year": fiscal_year}
    if language.startswith("ja"):
        # the Japanese calendar is a formatting rule of the language, like a date format
        return f"令和{'元' if era_year == 1 else era_year}年度"
    return gettext("FY%(year)s (Reiwa %(era_year)s)") % {"era_year": era_year, "year": fiscal_year}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    sessions: int
    attendances: int
    participants: int


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime
    fiscal_year: int | None
    sessions_held: int
    attendances: int
    participants: int
    by_course: list[Row] = field(default_factory=list)
    by_venue: list[Row] = field(default_factory=list)
    by_age_band: list[Row] = field(default_factory=list)
    by_device: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.fiscal_year is not None:
            return reiwa_label(self.fiscal_year)
        return f"{self.start.astimezone(TOKYO):%Y-%m-%d} – {self.end.astimezone(TOKYO):%Y-%m-%d}"

    def headline(self) -> str:
        """「令和7年度：31回開催、延べ174人参加（実人数98人）」 as the ward's plan puts it."""
        return gettext(
            "%(period)s: %(sessions)s sessions held, %(attendances)s participants in total "
            "(%(participants)s people)"
        ) % {
            "period": self.label,
            "sessions": self.sessions_held,
            "attendances": self.attendances,
            "participants": self.participants,
        }

    def as_dict(self) -> dict:
        def rows(items: list[Row]) -> list[dict]:
            return [r.__dict__ for r in items]

        return {
            "fiscal_year": self.fiscal_year,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "sessions_held": self.sessions_held,
            "attendances": self.attendances,
            "participants": self.participants,
            "by_course": rows(self.by_course),
            "by_venue": rows(self.by_venue),
            "by_age_band": rows(self.by_age_band),
            "by_device": rows(self.by_device),
            "by_month": rows(self.by_month),
        }


def _held_in(start: datetime, end: datetime):
    return (
        ClassSession.state == SessionState.HELD,
        ClassSession.starts_at >= start,
        ClassSession.starts_at < end,
    )


def _in_tokyo(db: Session, column):
    """The column's UTC timestamp as Tokyo wall-clock time, for grouping by month or year."""
    if db.get_bind().dialect.name == "postgresql":
        return func.timezone("Asia/Tokyo", column)
    return func.datetime(column, "+9 hours")


def _age_band_expr(db: Session):
    age = extract("year", _in_tokyo(db, ClassSession.starts_at)) - Participant.birth_year
    whens = []
    for key, low, high in AGE_BANDS:
        if low is None:
            whens.append((age <= high, literal(key)))
        elif high is None:
            whens.append((age >= low, literal(key)))
        else:
            whens.append((age.between(low, high), literal(key)))
    return case((Participant.birth_year.is_(None), literal(UNKNOWN)), *whens, else_=literal(UNKNOWN))


def _grouped(db: Session, start: datetime, end: datetime, key_expr, label_expr=None) -> list[tuple]:
    """(key, label, sessions, attendances, participants) per group of attended rows."""
    label_expr = key_expr if label_expr is None else label_expr
    query = (
        select(
            key_expr.label("key"),
            label_expr.label("label"),
            func.count(distinct(Attendance.session_id)),
            func.count(Attendance.id),
            func.count(distinct(Attendance.participant_id)),
        )
        .select_from(Attendance)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .join(Course, Course.id == ClassSession.course_id)
        .join(Venue, Venue.id == ClassSession.venue_id)
        .where(*_held_in(start, end), Attendance.status.in_(ATTENDED_STATUSES))
        .group_by(key_expr, label_expr)
        .order_by(key_expr)
    )
    return list(db.execute(query))


def report(db: Session, start: datetime, end: datetime, fiscal_year: int | None = None) -> Report:
    """Figures for sessions held in [start, end)."""
    sessions_held = db.scalar(select(func.count(ClassSession.id)).where(*_held_in(start, end)))
    attendances, participants = db.execute(
        select(func.count(Attendance.id), func.count(distinct(Attendance.participant_id)))
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(*_held_in(start, end), Attendance.status.in_(ATTENDED_STATUSES))
    ).one()
    sessions_by_course = dict(
        db.execute(
            select(Course.code, func.count(ClassSession.id))
            .join(ClassSession.course)
            .where(*_held_in(start, end))
            .group_by(Course.code)
        ).all()
    )

    def rows(raw, labels=None, sessions_override=None) -> list[Row]:
        out = []
        for key, label, sessions, att, people in raw:
            key = str(key.value if hasattr(key, "value") else int(key) if isinstance(key, float) else key)
            shown = labels(key, label) if labels else str(label)
            if sessions_override is not None:
                sessions = sessions_override.get(key, sessions)
            out.append(Row(key, shown, int(sessions), int(att), int(people)))
        return out

    month = extract("month", _in_tokyo(db, ClassSession.starts_at))
    return Report(
        start=start,
        end=end,
        fiscal_year=fiscal_year,
        sessions_held=int(sessions_held or 0),
        attendances=int(attendances or 0),
        participants=int(participants or 0),
        by_course=rows(
            _grouped(db, start, end, Course.code, Course.title), sessions_override=sessions_by_course
        ),
        by_venue=rows(_grouped(db, start, end, Venue.name)),
        by_age_band=rows(
            _grouped(db, start, end, _age_band_expr(db)),
            labels=lambda key, _label: gettext(N_("Age unknown")) if key == UNKNOWN else key,
        ),
        by_device=rows(
            _grouped(db, start, end, Participant.device),
            labels=lambda key, _label: key,
        ),
        by_month=rows(_grouped(db, start, end, month)),
    )


def fiscal_year_report(db: Session, fiscal_year: int) -> Report:
    """The report for one fiscal year (April to March)."""
    start, end = fiscal_year_bounds(fiscal_year)
    return report(db, start, end, fiscal_year=fiscal_year)
