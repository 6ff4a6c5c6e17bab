"""Walk-ins: how an instructor finds and checks in a resident who came without a booking.

An instructor is not the office: they need to tell the person in front of them apart
from others of the same name, not to read the register (APPI, need to know). So:

- a search finds a resident only by the name in kana (the whole family name or the whole
  name, optionally with the year of birth) or by the whole phone number — never by a
  few digits, which let 360 searches read out a full number;
- it shows at most `MAX_MATCHES` residents, each with the year of birth and the last two
  digits of the phone; when more match, it shows none and asks for the year of birth;
- each instructor may search `SEARCH_LIMIT` times per `SEARCH_WINDOW` (counted in the
  audit trail, so it holds across workers and servers);
- every search is in the audit trail: which residents were shown, never what was typed;
- a walk-in is checked in only for a class on its own day (Tokyo date), and only a
  resident that one of this instructor's searches for this class showed in the last
  `PICK_WINDOW`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from languages import N_
from languages.wareki import ERA_PATTERN, parse_year

from ..models import (
    AttendanceStatus,
    AuditEvent,
    CheckInMethod,
    ClassSession,
    Device,
    Participant,
    SessionState,
    User,
    utcnow,
)
from ..settings import ward_zone
from . import attendance, audit
from .actor import Actor
from .errors import DomainError, Msg, SessionNotOpen
from .phones import fold_dashes, phone_end
from .text import clean_line, is_kana, nfkc, reading_key

#: residents shown by one search: enough to tell namesakes apart, not a list of the ward
MAX_MATCHES = 5
#: searches per instructor per window (a class with many walk-ins needs a few dozen)
SEARCH_LIMIT = 30
SEARCH_WINDOW = timedelta(hours=1)
#: how long a search's results may be checked in
PICK_WINDOW = timedelta(minutes=30)
#: the shortest kana name searched for (小野 is おの)
MIN_KANA = 2
#: rows read to find the whole-name matches among names that start the same
_CANDIDATES = 2000
SEARCH = "participant.search"
REFUSED = "participant.search.refused"

_PHONE_SHAPE = re.compile(r"^\+?[0-9()\s-]+$")
#: a year of birth at the end: 1948, 昭和23, 昭和23年, 昭23, S23
_YEAR_AT_END = re.compile(
    r"^(?P<name>.*?)[\s,、]*(?P<year>(?:[0-9]{4}|"
    rf"{ERA_PATTERN}\.?\s*[0-9元]{{1,2}})年?)$"
)


class NotASearch(DomainError):
    message = N_(
        "Type the name in kana (the whole family name, or the whole name), "
        "with the year of birth if there are several, or the whole phone number."
    )


class WholePhoneNumber(DomainError):
    message = N_("Type the whole phone number (10 or 11 digits), or search by the name in kana.")


class TooManySearches(DomainError):
    message = N_(
        "You have searched %(count)s times in the last hour. To protect residents' data, "
        "please wait %(minutes)s minutes, or ask the office to find the resident."
    )


class NotFromASearch(DomainError):
    message = N_("Please search for the resident again.")


class NotTheClassDay(DomainError):
    message = N_("Walk-ins are checked in on the day of the class (%(day)s).")


@dataclass(frozen=True)
class Match:
    """What an instructor sees of a resident: enough to ask "is this you?"."""

    id: int
    name: str
    reading: str
    birth_year: int | None
    #: the last two digits of the phone ("" when none was given)
    phone_end: str
    device: Device


@dataclass(frozen=True)
class SearchResult:
    matches: list[Match]
    #: more residents matched than are shown: none are shown, ask for the year of birth
    too_many: bool = False
    by_phone: bool = False


@dataclass(frozen=True)
class Query:
    key: str = ""  # the reading, folded (やまだはなこ)
    birth_year: int | None = None
    phone: str = ""  # the whole number's digits


def parse_query(typed: str) -> Query:
    """What was typed: a whole phone number, or kana with an optional year of birth."""
    text = clean_line(typed)
    folded = fold_dashes(text)
    if _PHONE_SHAPE.match(folded) and any(c.isdigit() for c in folded):
        digits = re.sub(r"\D", "", folded)
        if folded.startswith("+81"):
            digits = "0" + digits[2:]
        if not 10 <= len(digits) <= 11:
            raise WholePhoneNumber(field="q")
        return Query(phone=digits)
    name, year = nfkc(text), None
    if match := _YEAR_AT_END.match(name):
        year = parse_year(match["year"])
        if year is not None:
            name = match["name"]
    key = reading_key(name)
    if not name.strip() or not is_kana(name) or len(key.replace("ー", "")) < MIN_KANA:
        raise NotASearch(field="q")
    return Query(key=key, birth_year=year)


def _whole_name(participant: Participant, key: str) -> bool:
    """The key is the whole reading, or its whole first word (the family name)."""
    words = participant.reading.split()
    return participant.reading_key == key or bool(words and reading_key(words[0]) == key)


def searches_left(db: Session, actor: Actor, now: datetime) -> tuple[int, datetime | None]:
    """(searches left in the window, when the oldest counted one leaves it)."""
    since = now - SEARCH_WINDOW
    done, oldest = db.execute(
        select(func.count(AuditEvent.id), func.min(AuditEvent.at)).where(
            AuditEvent.actor_id == actor.user_id,
            AuditEvent.action == SEARCH,
            AuditEvent.at >= since,
        )
    ).one()
    return max(SEARCH_LIMIT - done, 0), (oldest + SEARCH_WINDOW if oldest else None)


def _check_rate(db: Session, actor: Actor, now: datetime) -> None:
    if actor.user_id is None:
        return
    # one search at a time per instructor: the count and the new event are one step
    # (PostgreSQL locks the row; SQLite's write transaction is already exclusive)
    db.execute(select(User.id).where(User.id == actor.user_id).with_for_update())
    left, free_at = searches_left(db, actor, now)
    if left <= 0:
        minutes = max(1, -(-int((free_at - now).total_seconds()) // 60)) if free_at else 60
        raise TooManySearches(field="q", count=SEARCH_LIMIT, minutes=minutes)


def _as_match(p: Participant) -> Match:
    return Match(
        id=p.id,
        name=p.display_name,
        reading=p.reading,
        birth_year=p.birth_year,
        phone_end=phone_end(p.phone_digits),
        device=p.device,
    )


def record_shown(
    db: Session, actor: Actor, session_id: int, shown: list[int], **details
) -> AuditEvent:
    """A search (or a list of likely duplicates) showed these residents for this class."""
    return audit.record(
        db,
        actor,
        SEARCH,
        subject_type="class_session",
        subject_id=session_id,
        details={"shown": shown, **details},
    )


def record_refused(db: Session, actor: Actor, session_id: int, reason: str) -> AuditEvent:
    return audit.record(
        db,
        actor,
        REFUSED,
        subject_type="class_session",
        subject_id=session_id,
        details={"reason": reason},
    )


def search(
    db: Session, typed: str, *, session_id: int, actor: Actor, now: datetime | None = None
) -> SearchResult:
    """Residents matching what was typed, for a walk-in at class `session_id`; audited.

    Raises NotASearch / WholePhoneNumber (nothing searched) or TooManySearches.
    """
    now = now or utcnow()
    query = parse_query(typed)
    _check_rate(db, actor, now)
    base = select(Participant).where(Participant.erased_at.is_(None))
    if query.phone:
        found = list(db.scalars(base.where(Participant.phone_digits == query.phone).limit(50)))
    else:
        if query.birth_year is not None:
            base = base.where(Participant.birth_year == query.birth_year)
        candidates = db.scalars(
            base.where(Participant.reading_key.startswith(query.key, autoescape=True))
            .order_by(Participant.reading_key, Participant.id)
            .limit(_CANDIDATES)
        )
        found = [p for p in candidates if _whole_name(p, query.key)]
    found.sort(key=lambda p: (p.reading_key, p.birth_year or 0, p.id))
    too_many = len(found) > MAX_MATCHES
    shown = [] if too_many else [_as_match(p) for p in found]
    record_shown(
        db,
        actor,
        session_id,
        [m.id for m in shown],
        by="phone" if query.phone else "kana",
        **({"too_many": True} if too_many else {}),
    )
    return SearchResult(shown, too_many=too_many, by_phone=bool(query.phone))


def matches(participants: list[Participant]) -> list[Match]:
    return [_as_match(p) for p in participants]


def class_day(session: ClassSession):
    return session.starts_at.astimezone(ward_zone()).date()


def is_class_day(session: ClassSession, now: datetime | None = None) -> bool:
    return class_day(session) == (now or utcnow()).astimezone(ward_zone()).date()


def ensure_class_day(session: ClassSession, now: datetime | None = None) -> None:
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    if not is_class_day(session, now):
        raise NotTheClassDay(field="session_id", day=session.starts_at)


def was_shown(
    db: Session, actor: Actor, session_id: int, participant_id: int, now: datetime
) -> bool:
    """Did a search of this actor for this class show this resident in the last while?"""
    events = db.scalars(
        select(AuditEvent.details).where(
            AuditEvent.actor_id == actor.user_id,
            AuditEvent.actor_kind == actor.kind,
            AuditEvent.action == SEARCH,
            AuditEvent.subject_type == "class_session",
            AuditEvent.subject_id == session_id,
            AuditEvent.at >= now - PICK_WINDOW,
        )
    )
    return any(participant_id in (details or {}).get("shown", []) for details in events)


def check_in(
    db: Session,
    *,
    session_id: int,
    participant_id: int,
    actor: Actor,
    now: datetime | None = None,
    just_added: bool = False,
) -> Participant:
    """Mark a walk-in present: on the class's day, and only someone a search just showed
    (or whom this instructor has `just_added`, in this same transaction)."""
    now = now or utcnow()
    session = db.get(ClassSession, session_id)
    if session is None:
        raise NotFromASearch(field="participant_id")
    ensure_class_day(session, now)
    participant = db.get(Participant, participant_id)
    if (
        participant is None
        or participant.erased_at is not None
        or not (just_added or was_shown(db, actor, session_id, participant_id, now))
    ):
        raise NotFromASearch(field="participant_id")
    attendance.mark_attendance(
        db,
        session_id=session_id,
        participant_id=participant_id,
        status=AttendanceStatus.PRESENT,
        actor=actor,
        method=CheckInMethod.WALK_IN,
        now=now,
    )
    return participant
