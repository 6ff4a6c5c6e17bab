"""The questions others asked most (issue 20): how often each confident answer was given,
so the kiosk can offer the most asked ones as buttons.

What is kept is the least that serves: the answer's kind and id (an FAQ entry, a guide, a
lesson, the classes), the language asked in, the ward's day and a count. Never what was
typed, never where, never a kiosk or a time: a row says "the FAQ entry on convenience
stores was the answer 12 times in Japanese on 5 December", which points to nobody. An
answer is offered only once it was given `AT_LEAST` times in the period, so a question one
person asks now and then is never shown to the next. The web layer calls `record` after a
confident answer and turns `most_asked` into short question texts from the content.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from languages.clock import ward_today

from ..models import AnsweredQuestion, utcnow

#: answers given fewer times than this in the period are not offered
AT_LEAST = 3
#: the period counted, in days up to today
PERIOD_DAYS = 90
#: the most buttons a kiosk asks for
MOST = 12

_KIND = re.compile(r"[a-z]{1,16}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,199}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,4})?")


def record(
    db: Session, kind: str, answer_id: str, language: str, *, now: datetime | None = None
) -> bool:
    """Count one confident answer; False when the values are not an answer's (nothing kept).
    In the caller's transaction; two at once count two on SQLite and PostgreSQL alike."""
    values = (kind, answer_id, language)
    if not all(isinstance(v, str) for v in values):
        return False
    if not (_KIND.fullmatch(kind) and _ID.fullmatch(answer_id) and _LANGUAGE.fullmatch(language)):
        return False
    table = AnsweredQuestion.__table__
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    db.execute(
        dialect.insert(table)
        .values(
            answer_kind=kind,
            answer_id=answer_id,
            language=language,
            day=ward_today(now or utcnow()),
            count=1,
        )
        .on_conflict_do_update(
            index_elements=[table.c.answer_kind, table.c.answer_id, table.c.language, table.c.day],
            set_={"count": table.c.count + 1},
        )
    )
    return True


def most_asked(
    db: Session,
    language: str,
    *,
    limit: int = MOST,
    at_least: int = AT_LEAST,
    days: int = PERIOD_DAYS,
    now: datetime | None = None,
) -> list[tuple[str, str, int]]:
    """(kind, id, count) of the answers given most often in ``language`` in the last
    ``days`` days, at least ``at_least`` times each, most first (then by id)."""
    t = AnsweredQuestion
    total = func.sum(t.count)
    since = ward_today(now or utcnow()) - timedelta(days=days - 1)
    query = (
        select(t.answer_kind, t.answer_id, total)
        .where(t.language == language, t.day >= since)
        .group_by(t.answer_kind, t.answer_id)
        .having(total >= at_least)
        .order_by(total.desc(), t.answer_kind, t.answer_id)
        .limit(max(0, limit))
    )
    return [(kind, answer_id, int(count)) for kind, answer_id, count in db.execute(query)]
