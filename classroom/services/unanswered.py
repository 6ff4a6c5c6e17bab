"""Questions that got no confident answer (issue 20), kept without any name so the ward can
write the missing FAQ entries.

What is kept: the question folded (NFKC, one space between words, none beside Japanese,
lower case) with
anything that looks like a phone number, a reservation code or an e-mail address
replaced by a mark; its language; where it was asked (`WEB_PLACE` for the public page,
else the kiosk's location text, never the kiosk's id or token, never an address); the
ward's day without the time. Identical questions on one day at one place add to one
row's count, with one statement (an upsert), so two asked at once count two on SQLite and
PostgreSQL alike. The web layer calls `record` after asking, and only when the answer was
not confident; rows older than `RETENTION_DAYS` are removed by `tsunagu privacy purge`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from languages import N_
from languages.clock import ward_today

from ..models import UnansweredQuestion, utcnow
from .codes import CODE_ALPHABET, CODE_LENGTH
from .text import nfkc

#: the place of questions asked on the public page
WEB_PLACE = "/ask"
#: the place of a kiosk that has no location text
KIOSK_PLACE = "kiosk"
#: the longest question the /ask page and the API accept (content.ask.MAX_CHARS; a test
#: keeps them equal, the core may not import content)
MAX_CHARS = 200
#: rows older than this many days are removed by `tsunagu privacy purge --apply`
RETENTION_DAYS = 365
#: the marks that replace what might identify the asker
PHONE_MARK = "[phone]"
CODE_MARK = "[code]"
EMAIL_MARK = "[email]"
#: the orders of the staff list
ORDERS = ("newest", "most")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4})?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a run of digits with the separators people type between them (- ‐ ー ( ) . space);
# seven digits or more is a phone number (or a postal code, as personal)
_DIGIT_RUN = re.compile(r"[+(]?\d(?:[\d\s\-‐‑–—―ー().]*\d)?")
_PHONE_DIGITS = 7
# Japanese needs no spaces: 「今日の 天気」 and 「今日の天気」 are one question
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")
_CODE_CHARS = re.escape(CODE_ALPHABET)
_HALF = CODE_LENGTH // 2
# six characters of the code alphabet, maybe as ABC-DEF, not inside a longer ASCII word
_CODE = re.compile(
    rf"(?<![A-Za-z0-9])(?:[{_CODE_CHARS}]{{{CODE_LENGTH}}}|[{_CODE_CHARS}]{{{_HALF}}}"
    rf"[-\s][{_CODE_CHARS}]{{{_HALF}}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _phone(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group())
    return PHONE_MARK if digits >= _PHONE_DIGITS else match.group()


def _code(match: re.Match) -> str:
    """A reservation code as typed: with a digit, in capitals or as ABC-DEF. An English
    word of code letters in lower case (heater) is left alone."""
    typed = match.group()
    if any(c.isdigit() for c in typed) or typed.isupper() or len(typed) > CODE_LENGTH:
        return CODE_MARK
    return typed


def scrub(question: str) -> str:
    """The question as kept: folded, without control characters, with phone numbers,
    reservation codes and e-mail addresses replaced by marks."""
    text = _SURROGATES.sub("", nfkc(_SURROGATES.sub("", question)))
    text = " ".join(_CONTROL.sub(" ", text).split())
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _DIGIT_RUN.sub(_phone, text)
    text = _CODE.sub(_code, text)
    return _CJK_SPACE.sub("", text).lower()


def _place(place: str | None) -> str:
    text = " ".join(_CONTROL.sub(" ", nfkc(_SURROGATES.sub("", place or ""))).split())
    return text[:200] or KIOSK_PLACE


def record(
    db: Session,
    question: str,
    language: str,
    *,
    place: str = WEB_PLACE,
    now: datetime | None = None,
) -> bool:
    """Count one question that got no confident answer; False when it is not kept (empty,
    longer than the page allows, or an unknown language). In the caller's transaction."""
    if not isinstance(question, str) or not isinstance(language, str):
        return False
    folded = " ".join(_CONTROL.sub(" ", nfkc(_SURROGATES.sub("", question))).split())
    if not folded or len(folded) > MAX_CHARS or not _LANGUAGE.fullmatch(language):
        return False
    values = {
        "text": scrub(question)[:400],
        "language": language,
        "place": _place(place),
        "day": ward_today(now or utcnow()),
        "count": 1,
    }
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table = UnansweredQuestion.__table__
    db.execute(
        dialect.insert(table)
        .values(**values)
        .on_conflict_do_update(
            index_elements=[table.c.text, table.c.language, table.c.place, table.c.day],
            set_={"count": table.c.count + 1},
        )
    )
    return True


@dataclass
class Asked:
    """One question as staff see it: how often, in which language, where, and when last."""

    text: str
    language: str
    count: int
    first_day: date
    last_day: date
    places: dict[str, int] = field(default_factory=dict)


def summary(
    db: Session,
    *,
    since: date | None = None,
    until: date | None = None,
    order: str = "newest",
) -> list[Asked]:
    """The questions asked in the period (both days counted), one per text and language,
    newest first (by their latest day, then most asked) or most asked first."""
    if order not in ORDERS:
        raise ValueError(order)
    t = UnansweredQuestion
    query = select(
        t.text, t.language, t.place, func.sum(t.count), func.min(t.day), func.max(t.day)
    ).group_by(t.text, t.language, t.place)
    if since is not None:
        query = query.where(t.day >= since)
    if until is not None:
        query = query.where(t.day <= until)
    found: dict[tuple[str, str], Asked] = {}
    for text, language, place, count, first, last in db.execute(query):
        asked = found.setdefault((text, language), Asked(text, language, 0, first, last))
        asked.count += count
        asked.first_day, asked.last_day = min(asked.first_day, first), max(asked.last_day, last)
        asked.places[place] = asked.places.get(place, 0) + count
    if order == "most":
        key = lambda a: (-a.count, -a.last_day.toordinal(), a.text, a.language)  # noqa: E731
    else:
        key = lambda a: (-a.last_day.toordinal(), -a.count, a.text, a.language)  # noqa: E731
    return sorted(found.values(), key=key)


def export_rows(asked: list[Asked]) -> list[list]:
    """The list as CSV rows, a header first (staff's language, translated by the caller)."""
    rows: list[list] = [
        [
            N_("Question"),
            N_("Language"),
            N_("Times asked"),
            N_("First day"),
            N_("Last day"),
            N_("Where"),
        ]
    ]
    for item in asked:
        places = "; ".join(f"{place} ({count})" for place, count in sorted(item.places.items()))
        rows.append(
            [
                item.text,
                item.language,
                item.count,
                item.first_day.isoformat(),
                item.last_day.isoformat(),
                places,
            ]
        )
    return rows


def expired_count(db: Session, *, days: int = RETENTION_DAYS, now: datetime | None = None) -> int:
    """How many rows are older than the retention period."""
    cutoff = ward_today(now or utcnow()) - timedelta(days=days)
    t = UnansweredQuestion
    return db.scalar(select(func.count()).select_from(t).where(t.day < cutoff)) or 0


def purge(
    db: Session, *, apply: bool = False, days: int = RETENTION_DAYS, now: datetime | None = None
) -> int:
    """The rows older than the retention period; with `apply`, removed."""
    count = expired_count(db, days=days, now=now)
    if apply and count:
        cutoff = ward_today(now or utcnow()) - timedelta(days=days)
        db.execute(delete(UnansweredQuestion).where(UnansweredQuestion.day < cutoff))
    return count
