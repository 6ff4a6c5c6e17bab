"""What the ward's figures group by, shared by the report (services/reports.py) and its
kept figures (services/report_figures.py): the age bands, and a timestamp in the ward's
time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.orm import Session

from ..settings import ward_zone

AGE_BANDS = (("-64", None, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, None))
UNKNOWN = "unknown"


def in_ward_time(db: Session, column, during: datetime):
    """The column's UTC timestamp as the ward's wall-clock time, for grouping by month or year.

    PostgreSQL converts with the zone itself; SQLite adds the zone's offset at the start of
    the period (``during``), which is the offset throughout for a zone without summer time.
    """
    zone = ward_zone()
    if db.get_bind().dialect.name == "postgresql":
        return func.timezone(zone.key, column)
    offset = during.astimezone(zone).utcoffset()
    return func.datetime(column, f"{int(offset.total_seconds()) // 60:+d} minutes")
