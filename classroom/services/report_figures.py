"""The year report's kept figures (classroom.models.report_figures): counted from attendance
for some people or classes, and brought up to date.

`person_rows` and `session_rows` count the rows the report keeps, for the people or
classes asked, from the attended rows of held classes — the same rows, keys and rules
as the report's own statement (reports._attended). The report uses them for the people
and classes noted stale; `refresh` writes them into the kept tables for those and clears
the notes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import (
    String,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..models import (
    ATTENDED_STATUSES,
    Attendance,
    ClassSession,
    Participant,
    ReportKept,
    ReportPersonYear,
    ReportSessionKey,
    ReportStale,
    SessionState,
    utcnow,
)
from ..settings import ward_zone
from .report_keys import age_band, born_by, ward_year_month

log = logging.getLogger(__name__)

#: PostgreSQL: one refresh at a time (an advisory lock for the transaction)
_REFRESH_LOCK = 0x7473_7567  # "tsug"
#: ids per statement when refreshing many (a bulk load notes every row it writes)
_CHUNK = 2_000


def _marks(db: Session, where, during: datetime | None, name: str):
    """Attended rows of held classes (ever) that `where` picks, each with its class's
    fiscal year, month (202604) and course and venue, and the person's age band that
    calendar year (an index in AGE_BANDS; their number for an unknown birth year) and
    phone, all in the ward's time. A CTE: the breakdowns below read it several times."""
    year, month = ward_year_month(db, ClassSession.starts_at, during or utcnow())
    band = age_band(Participant.birth_year, born_by(year))
    return (
        select(
            Attendance.session_id,
            Attendance.participant_id,
            case((Attendance.walk_in.is_(True), 1), else_=0).label("walk_in"),
            ClassSession.course_id,
            ClassSession.venue_id,
            (year * 100 + month).label("month"),
            (year - case((month < 4, 1), else_=0)).label("fiscal_year"),
            band.label("age_band"),
            Participant.device,
        )
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            ClassSession.state == SessionState.HELD,
            Attendance.status.in_(ATTENDED_STATUSES),
            where,
        )
        .cte(name)
        .prefix_with("MATERIALIZED", dialect="sqlite")
    )


def person_rows(db: Session, where, during: datetime | None = None):
    """ReportPersonYear's rows for the attended rows
    `where` picks: per person, fiscal year and breakdown key, how often they came and
    walked in; the "device" row (one per person and year) also whether that year is the
    first they attended a held class in. Give it all of a person's rows (every year), so
    that the first year is theirs."""
    m = _marks(db, where, during, "person_marks").c
    never = literal(False)
    parts = [
        select(
            m.fiscal_year,
            literal(name).label("breakdown"),
            cast(column, String).label("key"),
            m.participant_id,
            func.count().label("attendances"),
            func.sum(m.walk_in).label("walk_ins"),
            never.label("first_year"),
        ).group_by(m.fiscal_year, column, m.participant_id)
        for name, column in (
            ("course", m.course_id),
            ("venue", m.venue_id),
            ("month", m.month),
            ("age_band", m.age_band),
        )
    ]
    parts.append(
        select(
            m.fiscal_year,
            literal("device").label("breakdown"),
            cast(m.device, String).label("key"),
            m.participant_id,
            func.count().label("attendances"),
            func.sum(m.walk_in).label("walk_ins"),
            (m.fiscal_year == func.min(m.fiscal_year).over(partition_by=m.participant_id)).label(
                "first_year"
            ),
        ).group_by(m.fiscal_year, m.device, m.participant_id)
    )
    return union_all(*parts)


def session_rows(db: Session, where, during: datetime | None = None):
    """ReportSessionKey's rows for the attended rows `where` picks: each held class's
    distinct age bands and phones among those who came, with its fiscal year."""
    m = _marks(db, where, during, "session_marks").c
    return union_all(
        *(
            select(
                m.session_id,
                literal(name).label("breakdown"),
                cast(column, String).label("key"),
                m.fiscal_year,
            ).distinct()
            for name, column in (("age_band", m.age_band), ("device", m.device))
        )
    )


def stale_people():
    return select(ReportStale.participant_id).where(ReportStale.participant_id.is_not(None))


def stale_sessions():
    return select(ReportStale.session_id).where(ReportStale.session_id.is_not(None))


def _batched(ids: list[int]):
    for n in range(0, len(ids), _CHUNK):
        yield ids[n : n + _CHUNK]


def refresh(db: Session) -> tuple[int, int]:
    """Count the people and classes noted stale into the kept rows, and clear the notes;
    the number of people and of classes recounted. A change committed meanwhile leaves a
    note of its own, for the next refresh (the report counts it from attendance till then)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(select(func.pg_advisory_xact_lock(_REFRESH_LOCK)))
    zone = ward_zone().key
    kept_in = db.scalar(select(ReportKept.zone))
    if kept_in != zone:
        if kept_in is not None:
            # counted in another zone (TSUNAGU_TIMEZONE changed): everyone with a mark again
            db.execute(
                insert(ReportStale).from_select(
                    ["participant_id", "session_id"],
                    select(Attendance.participant_id, Attendance.session_id),
                )
            )
        db.merge(ReportKept(id=1, zone=zone))
    noted = db.execute(
        delete(ReportStale).returning(ReportStale.participant_id, ReportStale.session_id)
    ).all()
    people = sorted({p for p, _s in noted if p is not None})
    sessions = sorted({s for _p, s in noted if s is not None})
    for chunk in _batched(people):
        db.execute(delete(ReportPersonYear).where(ReportPersonYear.participant_id.in_(chunk)))
        db.execute(
            insert(ReportPersonYear).from_select(
                [
                    "fiscal_year",
                    "breakdown",
                    "key",
                    "participant_id",
                    "attendances",
                    "walk_ins",
                    "first_year",
                ],
                person_rows(db, Attendance.participant_id.in_(chunk)),
            )
        )
    for chunk in _batched(sessions):
        db.execute(delete(ReportSessionKey).where(ReportSessionKey.session_id.in_(chunk)))
        db.execute(
            insert(ReportSessionKey).from_select(
                ["session_id", "breakdown", "key", "fiscal_year"],
                session_rows(db, Attendance.session_id.in_(chunk)),
            )
        )
    return len(people), len(sessions)


def readable(db: Session) -> bool:
    """Whether the kept rows are in the ward's zone of now (or none were ever kept)."""
    return db.scalar(select(ReportKept.zone)) in (None, ward_zone().key)


def anything_stale(db: Session) -> bool:
    return db.scalar(select(stale_people().union_all(stale_sessions()).exists())) or False


def keep_current(database) -> tuple[int, int]:
    """Refresh the kept figures in a unit of work of its own when a change has noted
    anyone stale, or they were counted in another zone, before a report is shown (people
    and classes recounted). It never fails
    its caller: without it the report is as right, only slower (it counts the stale ones
    from attendance)."""
    with database.read() as db:
        if not anything_stale(db) and readable(db):
            return 0, 0
    try:
        with database.write() as db:
            return refresh(db)
    except SQLAlchemyError:
        log.warning("the report's kept figures were not refreshed", exc_info=True)
        return 0, 0
