"""The ward's figures: sessions held, 延べ人数 and 実人数, by fiscal year (April–March).

All counting is done by the database (GROUP BY), never by loading rows into Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from languages import N_, current_language, gettext, translations
from languages.wareki import era_named, numbered

from ..models import (
    ATTENDED_STATUSES,
    Attendance,
    ClassSession,
    Course,
    Device,
    HelpRequest,
    Kiosk,
    Participant,
    QuestionnaireResponse,
    Registration,
    RegistrationStatus,
    ReportPersonYear,
    ReportSessionKey,
    SessionState,
    UsageEvent,
    UsageKind,
    Venue,
)
from ..settings import ward_zone
from . import report_figures
from .progress import LessonItemIds, Outcomes, outcomes_between
from .report_keys import AGE_BANDS, UNKNOWN, age_band, born_by, ward_year_month

#: fiscal years are named in 令和 (it began on 1 May 2019: fiscal year 2019 is 令和元年度)
REIWA = era_named("令和")
#: the months' short names, January first: 「4月」 in Japanese, "Apr" in English
MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def fiscal_year_of(moment: date | datetime) -> int:
    """The fiscal year (年度) a date falls in: April to March, named by its April's year."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(ward_zone()).date()
    return moment.year if moment.month >= 4 else moment.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """[1 April 00:00, next 1 April 00:00) in the ward's time, as UTC datetimes."""
    start, end = days(date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31))
    return start.astimezone(UTC), end.astimezone(UTC)


def days(first: date, last: date) -> tuple[datetime, datetime]:
    """From `first` to `last`, both days whole in the ward's time: [first 00:00, the day
    after last 00:00), the period a report counts. 1 April to 31 March is a fiscal year."""
    zone = ward_zone()
    return (
        datetime.combine(first, time(), zone),
        datetime.combine(last + timedelta(days=1), time(), zone),
    )


def last_day(end: datetime) -> date:
    """The last day a period ending (exclusively) at `end` counts, in the ward's time."""
    return (end.astimezone(ward_zone()) - timedelta(microseconds=1)).date()


def reiwa_label(fiscal_year: int, language: str | None = None) -> str:
    """令和7年度 (元年 for the first) in Japanese; "FY2025 (Reiwa 7)" in other languages."""
    era_year = fiscal_year - REIWA.start.year + 1
    language = language or current_language()
    gettext = translations(language).gettext
    if era_year < 1:
        return gettext("FY%(year)s") % {"year": fiscal_year}
    if language.startswith("ja"):
        # the Japanese calendar is a formatting rule of the language, like a date format
        return f"{REIWA.name}{numbered(era_year)}年度"
    return gettext("FY%(year)s (Reiwa %(era_year)s)") % {"era_year": era_year, "year": fiscal_year}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    sessions: int
    attendances: int
    participants: int


@dataclass(frozen=True)
class Turnout:
    """Confirmed seats in held sessions and whether their holders came."""

    booked: int = 0
    showed: int = 0
    walk_ins: int = 0

    @property
    def no_shows(self) -> int:
        return self.booked - self.showed

    @property
    def attendance_rate(self) -> float | None:
        return round(self.showed / self.booked, 4) if self.booked else None

    @property
    def no_show_rate(self) -> float | None:
        return round(self.no_shows / self.booked, 4) if self.booked else None

    def as_dict(self) -> dict:
        return {
            "booked": self.booked,
            "showed": self.showed,
            "no_shows": self.no_shows,
            "walk_ins": self.walk_ins,
            "attendance_rate": self.attendance_rate,
            "no_show_rate": self.no_show_rate,
        }


@dataclass(frozen=True)
class Satisfaction:
    """Paper questionnaires (1 to 5) from sessions held in the period."""

    responses: int = 0
    average: float | None = None
    #: score (1..5) -> responses, every score present
    distribution: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "responses": self.responses,
            "average": self.average,
            "distribution": {str(k): v for k, v in self.distribution.items()},
        }


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class KioskRow:
    key: str
    label: str
    guides_viewed: int
    guides_finished: int
    handoffs: int
    help_requests: int


@dataclass(frozen=True)
class KioskUse:
    """Anonymous kiosk usage events and help requests in the period."""

    guides_viewed: int = 0
    guides_finished: int = 0
    handoffs: int = 0
    help_requests: int = 0
    #: guides viewed per language of the screen
    by_language: list[Count] = field(default_factory=list)
    by_guide: list[KioskRow] = field(default_factory=list)
    by_location: list[KioskRow] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "guides_viewed": self.guides_viewed,
            "guides_finished": self.guides_finished,
            "handoffs": self.handoffs,
            "help_requests": self.help_requests,
            "by_language": [c.__dict__ for c in self.by_language],
            "by_guide": [r.__dict__ for r in self.by_guide],
            "by_location": [r.__dict__ for r in self.by_location],
        }


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
    #: people whose first attendance ever falls in the period
    new_participants: int = 0
    turnout: Turnout = field(default_factory=Turnout)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    #: people waitlisted for a session in the period who got no seat in any session of it
    unmet_demand: int = 0
    kiosk: KioskUse = field(default_factory=KioskUse)
    #: what people learned (issue 17): items shown, per lesson, courses completed
    outcomes: Outcomes = field(default_factory=Outcomes)

    @property
    def label(self) -> str:
        if self.fiscal_year is not None:
            return reiwa_label(self.fiscal_year)
        # "to", not a dash: Shift_JIS has no "–", and the label goes into the CSV
        return gettext(N_("%(first)s to %(last)s")) % {
            "first": f"{self.first_day:%Y-%m-%d}",
            "last": f"{self.last_day:%Y-%m-%d}",
        }

    @property
    def first_day(self) -> date:
        return self.start.astimezone(ward_zone()).date()

    @property
    def last_day(self) -> date:
        """The last day counted, whole: the period ends at midnight after it."""
        return last_day(self.end)

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
            "new_participants": self.new_participants,
            "turnout": self.turnout.as_dict(),
            "satisfaction": self.satisfaction.as_dict(),
            "unmet_demand": self.unmet_demand,
            "kiosk": self.kiosk.as_dict(),
            "outcomes": self.outcomes.as_dict(),
        }


def _held_in(start: datetime, end: datetime):
    return (
        ClassSession.state == SessionState.HELD,
        ClassSession.starts_at >= start,
        ClassSession.starts_at < end,
    )


def _born_by(year):
    """`born_by` for a held session's (ward's) calendar year, named born_by_0, ... as
    columns of `held`: computed once per session, not once per attended row."""
    return [by.label(f"born_by_{n}") for n, by in enumerate(born_by(year))]


def _age_band_expr(held, birth_year):
    """`age_band` in a held session's calendar year (`_BAND_KEYS` names its numbers)."""
    return age_band(birth_year, [held.c[f"born_by_{n}"] for n in range(len(AGE_BANDS) - 1)])


#: `_age_band_expr`'s numbers, as text, -> the bands' keys
_BAND_KEYS = {str(n): key for n, (key, *_) in enumerate((*AGE_BANDS, (UNKNOWN,)))}

#: the breakdowns `_breakdowns` computes from the one pass
_BREAKDOWNS = ("course", "venue", "age_band", "device", "month")


def _held(db: Session, start, end, during: datetime):
    """The period's held sessions with their course, venue, the ward's year and month
    (computed once per session: a few hundred a year) and the birth years that start each
    age band that year: one CTE for every part of the statement that reads them."""
    year, month = ward_year_month(db, ClassSession.starts_at, during)
    held = (
        select(
            ClassSession.id,
            ClassSession.course_id,
            ClassSession.venue_id,
            year.label("year"),
            month.label("month"),
        )
        .where(*_held_in(start, end))
        .subquery()
    )
    return (
        select(*held.c, *_born_by(held.c.year))
        .cte("held")
        # SQLite would compute the ward's time again for every attended row (PostgreSQL
        # materializes a CTE used more than once by itself)
        .prefix_with("MATERIALIZED", dialect="sqlite")
    )


def _attended(db: Session, held, start, end):
    """The period's held sessions' attended rows, each with every key a breakdown groups
    by, as numbers where it can (course and venue by id, named after the grouping): read
    once (a MATERIALIZED CTE) for all the groupings below."""
    sqlite = db.get_bind().dialect.name == "sqlite"
    return (
        select(
            Attendance.session_id,
            Attendance.participant_id,
            Attendance.walk_in,
            held.c.course_id.label("course"),
            held.c.venue_id.label("venue"),
            _age_band_expr(held, Participant.birth_year).label("age_band"),
            Participant.device.label("device"),
            (held.c.year * 100 + held.c.month).label("month"),
        )
        # the sessions from their table, not only from `held`: a materialized CTE has no
        # statistics, and PostgreSQL then hashes all of attendance instead of reading the
        # year's rows by session through its unique index
        .select_from(ClassSession)
        .join(held, held.c.id == ClassSession.id)
        .join(Attendance, Attendance.session_id == ClassSession.id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(*_held_in(start, end), Attendance.status.in_(ATTENDED_STATUSES))
        # SQLite: stored in the order of participant_id, each COUNT(DISTINCT participant)
        # below adds to its b-tree in ascending order (one sort, ~2 ms, saves ~8 ms over
        # the five breakdowns); PostgreSQL sorts each group's values itself, no gain there
        .order_by(*([Attendance.participant_id] if sqlite else []))
        .cte("attended")
        .prefix_with("MATERIALIZED")
    )


#: the period's bounds in `_breakdowns`' statement, given when it runs
_START = bindparam("start", type_=ClassSession.starts_at.type)
_END = bindparam("end", type_=ClassSession.starts_at.type)
#: the fiscal year `_kept_statement` reads the kept figures of
_FISCAL_YEAR = bindparam("fiscal_year", type_=Integer)
#: `_breakdowns`' statements, by (engine, ward's zone, SQLite's offset): the statement,
#: never its rows. Building it anew took ~5 ms of Python per report (about fifty
#: selects, CTEs and aliases); it is the same for every period but its bounds
_BREAKDOWN_STATEMENTS: dict[tuple, object] = {}


def _breakdowns(db: Session, start: datetime, end: datetime) -> dict[str, list[tuple]]:
    """One statement — for a whole fiscal year over the figures kept per person
    (`_kept_statement`), for any other period one pass over its attended rows
    (`_breakdowns_statement`) — giving per breakdown rows of (key, label, sessions,
    attendances, participants, walk-ins), ordered by key — "device"
    rows also with the walk-ins and the people attending for the first time ever, whose
    sums are the period's figures; "held" the sessions held by course, "booked" the
    confirmed seats in them and how many of their holders came."""
    dialect, zone = db.get_bind().dialect.name, ward_zone()
    offset = None if dialect == "postgresql" else start.astimezone(zone).utcoffset()
    params: dict = {"start": start, "end": end}
    # a whole fiscal year: from the figures kept per person and year (when they were
    # counted in the ward's zone of now)
    fiscal_year = fiscal_year_of(start)
    if fiscal_year_bounds(fiscal_year) == (start, end) and report_figures.readable(db):
        params["fiscal_year"] = fiscal_year
    key = (dialect, zone.key, offset, "fiscal_year" in params)
    query = _BREAKDOWN_STATEMENTS.get(key)
    if query is None:
        build = _kept_statement if "fiscal_year" in params else _breakdowns_statement
        query = _BREAKDOWN_STATEMENTS[key] = build(db, start)
    out: dict[str, list[tuple]] = {name: [] for name in (*_BREAKDOWNS, "held", "booked")}
    sessions_of: dict[str, dict[str, int]] = {
        name: {} for name in ("venue", "month", "age_band", "device")
    }
    rows = _planned_for_its_values(db, query, params)
    for breakdown, key_, *row_ in rows:
        if breakdown.startswith("age_band"):
            key_ = _BAND_KEYS[key_]
        if breakdown.endswith("_sessions"):
            sessions_of[breakdown.removesuffix("_sessions")][key_] = row_[1]
        else:
            out[breakdown].append((key_, *row_))
    for name, sessions_by_key in sessions_of.items():
        out[name] = [
            (key_, label, sessions_by_key.get(key_, 0), *rest)
            for key_, label, _sessions, *rest in out[name]
        ]
    return out


_ZERO = literal_column("0")


def _row(name: str, key, label, sessions, attendances, participants, walk_ins=_ZERO):
    """A row of `_breakdowns`' statement: (breakdown, key, label, sessions, attendances,
    participants, walk-ins); the keys and labels as text."""
    return select(
        literal(name).label("breakdown"),
        cast(key, String).label("key"),
        cast(label, String).label("label"),
        sessions,
        attendances,
        participants,
        walk_ins,
    )


def _held_parts(held) -> tuple[list, object]:
    """The rows counted from the held sessions alone: their number by course, those of a
    venue or month that someone attended ([course, venue, month] rows); and the booked
    row: confirmed seats in them and how many of their holders came."""
    zero, row = _ZERO, _row
    # the sessions of a venue or month that someone attended (one probe per held session;
    # a course's sessions are all those held, attended or not)
    attended_in = exists(
        select(Attendance.id).where(
            Attendance.session_id == held.c.id, Attendance.status.in_(ATTENDED_STATUSES)
        )
    )
    month = held.c.year * 100 + held.c.month
    sessions_by = [
        row("venue_sessions", Venue.name, Venue.name, func.count(), zero, zero)
        .select_from(held)
        .join(Venue, Venue.id == held.c.venue_id)
        .where(attended_in)
        .group_by(Venue.name),
        row("month_sessions", month, month, func.count(), zero, zero)
        .select_from(held)
        .where(attended_in)
        .group_by(month),
    ]
    sessions_by_course = (
        row("held", Course.code, Course.title, func.count(held.c.id), zero, zero)
        .select_from(held)
        .join(Course, Course.id == held.c.course_id)
        .group_by(Course.code, Course.title)
    )
    # the confirmed seats in each held session, and of them those whose holder came: per
    # session, index-only in (session, status, participant) and merged with its attended
    # rows (joined over all sessions at once, PostgreSQL would read all registrations)
    seats = and_(
        Registration.session_id == held.c.id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    seats_in = select(func.count()).select_from(Registration).where(seats).scalar_subquery()
    came = _SHOWED  # (not _CAME: see there)
    showed_in = (
        select(func.count())
        .select_from(Registration)
        .join(
            came,
            and_(
                came.c.session_id == Registration.session_id,
                came.c.participant_id == Registration.participant_id,
            ),
        )
        .where(seats, came.c.status.in_(ATTENDED_STATUSES))
        .scalar_subquery()
    )
    booked = (
        row(
            "booked",
            literal(""),
            literal(""),
            zero,
            func.coalesce(func.sum(seats_in), 0),
            zero,
        )
        .add_columns(func.coalesce(func.sum(showed_in), 0))
        .select_from(held)
    )
    return [sessions_by_course, *sessions_by], booked


def _breakdowns_statement(db: Session, during: datetime):
    """`_breakdowns`' statement, for periods bound when it runs (`_START`, `_END`);
    ``during`` gives SQLite the ward's offset from UTC (`in_ward_time`)."""
    start, end = _START, _END
    held = _held(db, start, end, during)
    attended = _attended(db, held, start, end)
    a = attended.c
    zero, row = _ZERO, _row
    people = func.count(distinct(a.participant_id))

    def by_id(name: str, column, table, key, label):
        """Grouped by the course's or venue's id, then named: the join is on a dozen rows."""
        grouped = (
            select(
                column.label("id"),
                func.count().label("attendances"),
                people.label("people"),
            )
            .group_by(column)
            .subquery(f"by_{name}")
        )
        g = grouped.c
        return row(name, key, label, zero, g.attendances, g.people).join_from(
            grouped, table, table.id == g.id
        )

    grouped = [
        by_id("course", a.course, Course, Course.code, Course.title),
        by_id("venue", a.venue, Venue, Venue.name, Venue.name),
        *(
            row(name, a[name], a[name], zero, func.count(), people).group_by(a[name])
            for name in ("month", "age_band")
        ),
    ]
    others, booked = _held_parts(held)
    sessions_by = []
    # a person's age band and phone vary within a session: the sessions with someone of
    # that band or phone, counted from the distinct (session, band) pairs — a few per
    # session, so far fewer than the attended rows a COUNT(DISTINCT session) would sort
    for name in ("age_band", "device"):
        pairs = select(a.session_id, a[name].label("key")).distinct().subquery(f"{name}_pairs")
        sessions_by.append(
            row(f"{name}_sessions", pairs.c.key, pairs.c.key, func.count(), zero, zero).group_by(
                pairs.c.key
            )
        )
    # the people, one row each with what is theirs alone: their kind of phone (a column of
    # the person), how often they came and walked in, and whether their first attended
    # held session ever is in the period (never before it: asked once per person, an
    # index-only probe of attendance by participant). Grouped by participant_id, hence in
    # its order: the probes read the index in its own order, page after page (SQLite:
    # about a third cheaper than in DISTINCT's order). The phones are then counted from
    # these rows, a person in one only, with no COUNT(DISTINCT) over the attended rows;
    # the totals (attendances, walk-ins, people, new people) are the phones' sums
    everyone = (
        select(
            a.participant_id,
            a.device,
            func.count().label("attendances"),
            func.count(case((a.walk_in.is_(True), 1))).label("walk_ins"),
        )
        .group_by(a.participant_id, a.device)
        .order_by(a.participant_id)
        .subquery("people")
    )
    p = everyone.c
    came_before = _came(
        p.participant_id,
        lambda session: (session.state == SessionState.HELD.value, session.starts_at < start),
    )
    by_device = (
        row(
            "device",
            p.device,
            p.device,
            zero,
            func.sum(p.attendances),
            func.count(),
            func.sum(p.walk_ins),
        )
        .add_columns(func.count(case((~came_before, 1))))
        .group_by(p.device)
    )
    return union_all(
        *(q.add_columns(zero) for q in (*grouped, *others, *sessions_by)),
        by_device,
        booked,
    ).order_by(text("breakdown"), text("key"))


def _kept_statement(db: Session, during: datetime):
    """`_breakdowns`' statement for a whole fiscal year (`_FISCAL_YEAR`, bounded by
    `_START` and `_END`): the breakdowns and the people from the figures kept per person
    and year (models.report_figures) — a year's groups read in key order, no attended row
    counted again — and, for the people and classes a change has noted stale since the
    last refresh, counted from attendance in the same statement (so the figures are those
    of this moment whatever the kept rows say). The sessions, seats and show-ups are
    counted from the held sessions as for any period."""
    start, end, fiscal_year = _START, _END, _FISCAL_YEAR
    held = _held(db, start, end, during)
    zero, row = _ZERO, _row
    k, stale_people = ReportPersonYear, report_figures.stale_people()
    live = report_figures.person_rows(
        db, Attendance.participant_id.in_(stale_people), during
    ).subquery("live_people")

    def by_key(source, *where):
        """Per breakdown and key: people (a row each), attendances, walk-ins, new people."""
        return (
            select(
                source.breakdown,
                source.key,
                func.count().label("people"),
                func.sum(source.attendances).label("attendances"),
                func.sum(source.walk_ins).label("walk_ins"),
                func.sum(case((source.first_year, 1), else_=0)).label("new"),
            )
            .where(source.fiscal_year == fiscal_year, *where)
            .group_by(source.breakdown, source.key)
        )

    people = (
        union_all(
            by_key(k, k.participant_id.not_in(stale_people)),
            by_key(live.c),
        )
        .cte("people")
        .prefix_with("MATERIALIZED", dialect="sqlite")
    )
    p = people.c
    attendances, participants = func.sum(p.attendances), func.sum(p.people)

    def named(name: str, table, key, label):
        return (
            row(name, key, label, zero, attendances, participants)
            .select_from(people)
            .join(table, table.id == cast(p.key, Integer))
            .where(p.breakdown == name)
            .group_by(key, label)
        )

    grouped = [
        named("course", Course, Course.code, Course.title),
        named("venue", Venue, Venue.name, Venue.name),
        *(
            row(name, p.key, p.key, zero, attendances, participants)
            .where(p.breakdown == name)
            .group_by(p.key)
            for name in ("month", "age_band")
        ),
    ]
    others, booked = _held_parts(held)
    # the classes with someone of an age band or phone: the kept (class, key) pairs
    s, stale_sessions = ReportSessionKey, report_figures.stale_sessions()
    live_pairs = report_figures.session_rows(
        db, Attendance.session_id.in_(stale_sessions), during
    ).subquery("live_pairs")
    pairs = union_all(
        select(s.breakdown, s.key).where(
            s.fiscal_year == fiscal_year, s.session_id.not_in(stale_sessions)
        ),
        select(live_pairs.c.breakdown, live_pairs.c.key).where(
            live_pairs.c.fiscal_year == fiscal_year
        ),
    ).subquery("pairs")
    sessions_by = [
        row(f"{name}_sessions", pairs.c.key, pairs.c.key, func.count(), zero, zero)
        .where(pairs.c.breakdown == name)
        .group_by(pairs.c.key)
        for name in ("age_band", "device")
    ]
    by_device = (
        row("device", p.key, p.key, zero, attendances, participants, func.sum(p.walk_ins))
        .add_columns(func.sum(p.new))
        .where(p.breakdown == "device")
        .group_by(p.key)
    )
    return union_all(
        *(q.add_columns(zero) for q in (*grouped, *others, *sessions_by)),
        by_device,
        booked,
    ).order_by(text("breakdown"), text("key"))


def _planned_for_its_values(db: Session, query, params: dict) -> list:
    """The statement's rows; on PostgreSQL planned for this period's values every time.

    psycopg prepares a statement the fifth time a connection runs it, and PostgreSQL may
    then plan it once for any values (a generic plan). For `_breakdowns` that plan guesses
    ten held sessions instead of a year's 400 and looks each attended row's person up by
    index (20,384 probes) instead of hashing the participants: about 18 ms slower. The
    setting is the transaction's own, put back as it was after the statement (a failed
    statement ends the transaction, and the setting with it).
    """
    if db.get_bind().dialect.name != "postgresql":
        return db.execute(query, params).all()
    was = db.scalar(
        select(func.current_setting("plan_cache_mode")).add_columns(
            func.set_config("plan_cache_mode", "force_custom_plan", True)
        )
    )
    rows = db.execute(query, params).all()
    db.execute(select(func.set_config("plan_cache_mode", was, True)))
    return rows


def report(
    db: Session,
    start: datetime,
    end: datetime,
    fiscal_year: int | None = None,
    lesson_items: LessonItemIds | None = None,
) -> Report:
    """Figures for sessions held in [start, end). ``lesson_items`` (each lesson's "I can
    ..." item ids, from content) lets the outcomes say who completed a course."""
    grouped = _breakdowns(db, start, end)
    # sessions held, with or without anyone attending, by course (their sum: all held)
    sessions_by_course = {key: sessions for key, _label, sessions, *_ in grouped["held"]}
    sessions_held = sum(sessions_by_course.values())
    # a person has one kind of phone: the phones' rows add up to the period's figures
    attendances, participants, walk_ins, new_participants = (
        sum(int(figures[n]) for figures in grouped["device"]) for n in (3, 4, 5, 6)
    )
    _sessions, booked, _, _, showed = grouped["booked"][0][2:]
    turnout = Turnout(booked=int(booked), showed=int(showed), walk_ins=int(walk_ins))

    def rows(raw, labels=None, sessions_override=None) -> list[Row]:
        out = []
        for key, label, sessions, att, people, *_turnout in raw:
            key = str(
                key.value if hasattr(key, "value") else int(key) if isinstance(key, float) else key
            )
            shown = labels(key, label) if labels else str(label)
            if sessions_override is not None:
                sessions = sessions_override.get(key, sessions)
            out.append(Row(key, shown, int(sessions), int(att), int(people)))
        return out

    return Report(
        start=start,
        end=end,
        fiscal_year=fiscal_year,
        sessions_held=int(sessions_held or 0),
        attendances=int(attendances or 0),
        participants=int(participants or 0),
        by_course=rows(grouped["course"], sessions_override=sessions_by_course),
        by_venue=rows(grouped["venue"]),
        by_age_band=_every_band(rows(grouped["age_band"])),
        by_device=rows(
            grouped["device"],
            labels=lambda key, _label: (
                gettext(Device(key).label) if key in Device._value2member_map_ else key
            ),
        ),
        by_month=_every_month(rows(grouped["month"]), start, end),
        new_participants=int(new_participants),
        turnout=turnout,
        satisfaction=_satisfaction(db, start, end),
        unmet_demand=_unmet_demand(db, start, end),
        kiosk=_kiosk_use(db, start, end),
        outcomes=outcomes_between(db, start, end, lesson_items),
    )


def _every_band(counted: list[Row]) -> list[Row]:
    """Every age band, youngest first, named in words (「64歳以下」), with zeros; people
    whose birth year is not known last, when there are any."""
    by_key = {row.key: row for row in counted}
    out = []
    for key, low, high in AGE_BANDS:
        if low is None:
            label = gettext(N_("Aged %(age)s and under")) % {"age": high}
        elif high is None:
            label = gettext(N_("Aged %(age)s and over")) % {"age": low}
        else:
            label = gettext(N_("Aged %(low)s to %(high)s")) % {"low": low, "high": high}
        out.append(_relabelled(by_key.get(key), key, label))
    if UNKNOWN in by_key:
        out.append(_relabelled(by_key[UNKNOWN], UNKNOWN, gettext(N_("Age unknown"))))
    return out


def _every_month(counted: list[Row], start: datetime, end: datetime) -> list[Row]:
    """Every month of the period in order (April to March for a fiscal year), with zeros,
    keyed 2026-04 and named 「4月」 (with the year when a period runs over twelve months)."""
    by_key = {int(row.key): row for row in counted}
    first, last = start.astimezone(ward_zone()).date(), last_day(end)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    out = []
    for n in range(max(count, 0)):
        year, month = first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1
        label = gettext(MONTHS[month - 1])
        if count > 12:
            label = gettext(N_("%(month)s %(year)s")) % {"month": label, "year": year}
        out.append(_relabelled(by_key.get(year * 100 + month), f"{year}-{month:02d}", label))
    return out


def _relabelled(row: Row | None, key: str, label: str) -> Row:
    if row is None:
        return Row(key, label, 0, 0, 0)
    return Row(key, label, row.sessions, row.attendances, row.participants)


def _satisfaction(db: Session, start: datetime, end: datetime) -> Satisfaction:
    counts = dict(
        db.execute(
            select(QuestionnaireResponse.satisfaction, func.count(QuestionnaireResponse.id))
            .join(ClassSession, ClassSession.id == QuestionnaireResponse.session_id)
            .where(*_held_in(start, end))
            .group_by(QuestionnaireResponse.satisfaction)
        ).all()
    )
    # the count and the mean from the distribution: the scores are whole numbers 1 to 5
    responses = sum(counts.values())
    scored = sum(score * n for score, n in counts.items())
    return Satisfaction(
        responses=int(responses),
        average=round(scored / responses, 2) if responses else None,
        distribution={score: int(counts.get(score, 0)) for score in range(1, 6)},
    )


def _in_period(start: datetime, end: datetime):
    """Sessions that start in the period and were not cancelled (held or still to come)."""
    return (
        ClassSession.state != SessionState.CANCELLED,
        ClassSession.starts_at >= start,
        ClassSession.starts_at < end,
    )


#: the tables again under other names, for subqueries over the same tables: made once
#: (an alias copies each of its table's columns, ~0.15 ms a table)
_CAME = Attendance.__table__.alias("came")
_CAME_SESSION = ClassSession.__table__.alias("came_session")
#: the seats' show-ups in `_breakdowns`: an alias of its own, not `_CAME`, which the same
#: statement's "attended before?" probe uses (one alias object in both subqueries would
#: correlate one to the other)
_SHOWED = Attendance.__table__.alias("showed")
_SEATED = Registration.__table__.alias("seated")
_SEATED_SESSION = ClassSession.__table__.alias("seated_session")


def _came(participant_id, sessions_where):
    """EXISTS: the person attended a session that `sessions_where(session columns)` picks."""
    came, session = _CAME, _CAME_SESSION
    return exists(
        select(came.c.session_id)
        .join(session, session.c.id == came.c.session_id)
        .where(
            came.c.participant_id == participant_id,
            came.c.status.in_(ATTENDED_STATUSES),
            *sessions_where(session.c),
        )
    )


def _unmet_demand(db: Session, start: datetime, end: datetime) -> int:
    seated, seated_session = _SEATED, _SEATED_SESSION
    got_a_seat = exists(
        select(seated.c.id)
        .join(seated_session, seated_session.c.id == seated.c.session_id)
        .where(
            seated.c.participant_id == Registration.participant_id,
            seated.c.status == RegistrationStatus.CONFIRMED.value,
            seated_session.c.starts_at >= start,
            seated_session.c.starts_at < end,
        )
    )
    attended = _came(
        Registration.participant_id,
        lambda session: (session.starts_at >= start, session.starts_at < end),
    )
    return int(
        db.scalar(
            select(func.count(distinct(Registration.participant_id)))
            .join(ClassSession, ClassSession.id == Registration.session_id)
            .where(
                *_in_period(start, end),
                Registration.status == RegistrationStatus.WAITLISTED,
                ~got_a_seat,
                ~attended,
            )
        )
        or 0
    )


def _kiosk_use(db: Session, start: datetime, end: datetime) -> KioskUse:
    """One GROUP BY pass over the period's usage events (by kiosk, guide, language and
    kind: a few hundred groups) and one over its help requests; the figures are sums of
    those counts, added up here."""
    kinds = (UsageKind.GUIDE_VIEWED, UsageKind.GUIDE_FINISHED, UsageKind.HANDOFF_SHOWN)
    column = {kind: n for n, kind in enumerate(kinds)}
    totals = [0, 0, 0]
    by_language: dict[str | None, int] = {}
    by_guide: dict[str, list[int]] = {}
    events_by_kiosk: dict[int, list[int]] = {}
    for kiosk_id, guide, language, kind, n in db.execute(
        select(
            UsageEvent.kiosk_id,
            UsageEvent.guide_id,
            UsageEvent.language,
            UsageEvent.kind,
            func.count(UsageEvent.id),
        )
        .where(UsageEvent.at >= start, UsageEvent.at < end, UsageEvent.kind.in_(kinds))
        .group_by(UsageEvent.kiosk_id, UsageEvent.guide_id, UsageEvent.language, UsageEvent.kind)
    ):
        i = column[UsageKind(kind)]
        totals[i] += n
        events_by_kiosk.setdefault(kiosk_id, [0, 0, 0])[i] += n
        if guide != "":
            by_guide.setdefault(guide, [0, 0, 0])[i] += n
        if i == 0:
            by_language[language] = by_language.get(language, 0) + n
    help_by_kiosk = dict(
        db.execute(
            select(HelpRequest.kiosk_id, func.count(HelpRequest.id))
            .where(HelpRequest.created_at >= start, HelpRequest.created_at < end)
            .group_by(HelpRequest.kiosk_id)
        ).all()
    )
    by_location = []
    wanted = set(help_by_kiosk) | set(events_by_kiosk)
    if wanted:
        for kiosk_id, name, location in db.execute(
            select(Kiosk.id, Kiosk.name, Kiosk.location)
            .where(Kiosk.id.in_(wanted))
            .order_by(Kiosk.name)
        ):
            v, f, h = events_by_kiosk.get(kiosk_id, (0, 0, 0))
            by_location.append(
                KioskRow(name, location or name, v, f, h, int(help_by_kiosk.get(kiosk_id, 0)))
            )
    # most used first, then by name (as ORDER BY count DESC, name did)
    languages = sorted(by_language.items(), key=lambda item: (-item[1], item[0] or ""))
    guides = sorted(by_guide.items(), key=lambda item: (-sum(item[1]), item[0]))
    return KioskUse(
        guides_viewed=totals[0],
        guides_finished=totals[1],
        handoffs=totals[2],
        help_requests=sum(help_by_kiosk.values()),
        by_language=[
            Count(language or UNKNOWN, language or gettext(N_("Not known")), n)
            for language, n in languages
        ],
        by_guide=[KioskRow(guide, guide, v, f, h, 0) for guide, (v, f, h) in guides],
        by_location=by_location,
    )


def fiscal_year_report(
    db: Session, fiscal_year: int, lesson_items: LessonItemIds | None = None
) -> Report:
    """The report for one fiscal year (April to March)."""
    start, end = fiscal_year_bounds(fiscal_year)
    return report(db, start, end, fiscal_year=fiscal_year, lesson_items=lesson_items)


def report_rows(report: Report) -> list[list]:
    """The report as spreadsheet rows: the figures first, then one block per breakdown."""
    _ = gettext
    turnout, satisfaction, kiosk = report.turnout, report.satisfaction, report.kiosk
    rows: list[list] = [
        [_(N_("Period")), report.label],
        [_(N_("From")), f"{report.first_day:%Y-%m-%d}"],
        [_(N_("Until (included)")), f"{report.last_day:%Y-%m-%d}"],
        [_(N_("Sessions held")), report.sessions_held],
        [_(N_("Attendances")), report.attendances],
        [_(N_("Participants (distinct people)")), report.participants],
        [_(N_("New participants")), report.new_participants],
        [_(N_("Confirmed seats")), turnout.booked],
        [_(N_("Came")), turnout.showed],
        [_(N_("No-shows")), turnout.no_shows],
        [_(N_("Walk-ins")), turnout.walk_ins],
        [_(N_("Attendance rate")), _percent(turnout.attendance_rate)],
        [_(N_("No-show rate")), _percent(turnout.no_show_rate)],
        [_(N_("Questionnaires")), satisfaction.responses],
        [
            _(N_("Average satisfaction (1-5)")),
            "" if satisfaction.average is None else satisfaction.average,
        ],
        [_(N_("Unmet demand (waitlisted, never seated)")), report.unmet_demand],
        [_(N_("Guides viewed at kiosks")), kiosk.guides_viewed],
        [_(N_("Guides finished at kiosks")), kiosk.guides_finished],
        [_(N_("Hand-offs to a phone")), kiosk.handoffs],
        [_(N_("Help requests")), kiosk.help_requests],
        *outcome_figures(report.outcomes),
    ]
    header = [_(N_("Sessions")), _(N_("Attendances")), _(N_("Participants"))]
    for title, items in (
        (N_("By course"), report.by_course),
        (N_("By venue"), report.by_venue),
        (N_("By month"), report.by_month),
        (N_("By age band"), report.by_age_band),
        (N_("By kind of phone"), report.by_device),
    ):
        rows += [[], [_(title), *header]]
        rows += [[r.label, r.sessions, r.attendances, r.participants] for r in items]
    rows += outcome_blocks(report.outcomes)
    rows += [[], [_(N_("Satisfaction")), _(N_("Responses"))]]
    rows += [[score, n] for score, n in satisfaction.distribution.items()]
    rows += [[], [_(N_("Language at the kiosk")), _(N_("Guides viewed"))]]
    rows += [[c.label, c.count] for c in kiosk.by_language]
    kiosk_header = [
        _(N_("Guides viewed")),
        _(N_("Guides finished")),
        _(N_("Hand-offs")),
        _(N_("Help requests")),
    ]
    rows += [[], [_(N_("Kiosk location")), *kiosk_header]]
    rows += [
        [r.label, r.guides_viewed, r.guides_finished, r.handoffs, r.help_requests]
        for r in kiosk.by_location
    ]
    rows += [[], [_(N_("Guide")), *kiosk_header[:3]]]
    rows += [[r.label, r.guides_viewed, r.guides_finished, r.handoffs] for r in kiosk.by_guide]
    return rows


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def outcome_figures(outcomes: Outcomes) -> list[list]:
    """The outcomes' headline figures, as the report's first rows put figures."""
    _ = gettext
    return [
        [_(N_("People who can do something new")), outcomes.people_gaining],
        [_(N_("Things they can now do")), outcomes.items_gained],
        [
            _(N_("Things learned per lesson taught")),
            "" if outcomes.items_per_lesson is None else outcomes.items_per_lesson,
        ],
        [_(N_("Share who completed their course")), _percent(outcomes.completion_share)],
    ]


def outcome_blocks(outcomes: Outcomes) -> list[list]:
    """The outcomes by lesson and by course, as the report's breakdowns are."""
    _ = gettext
    rows: list[list] = [
        [],
        [_(N_("Things learned by lesson")), _(N_("Things learned")), _(N_("People"))],
    ]
    rows += [[g.label, g.items, g.people] for g in outcomes.by_lesson]
    header = [_(N_("Participants")), _(N_("Completed")), _(N_("Share completed"))]
    rows += [[], [_(N_("Course completion")), *header]]
    rows += [[c.label, c.participants, c.completed, _percent(c.share)] for c in outcomes.by_course]
    return rows
