"""What the ward's figures group by, shared by the report (services/reports.py) and its
kept figures (services/report_figures.py): a timestamp's year and month in the ward's
time, and the age band of a birth year in a calendar year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, case, cast, extract, func, literal_column
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


def ward_year_month(db: Session, column, during: datetime):
    """The ward's calendar year and month of a UTC timestamp column, as whole numbers
    (PostgreSQL's extract() gives numeric, slower to sort and count)."""
    local = in_ward_time(db, column, during)
    return cast(extract("year", local), Integer), cast(extract("month", local), Integer)


def born_by(year) -> list:
    """For each age band but the last, the earliest birth year in it in calendar `year`
    (the bands follow one another, youngest first): a band is a few comparisons."""
    for (_, _low, high), (_, low, _high) in zip(AGE_BANDS, AGE_BANDS[1:], strict=False):
        assert low == high + 1, "age bands follow one another"
    return [year - high for _key, _low, high in AGE_BANDS[:-1]]


def age_band(birth_year, born_by_years: list):
    """The age band of someone born in `birth_year`, given `born_by`'s years for the
    calendar year it is asked in, as a number: its index in AGE_BANDS, len(AGE_BANDS)
    when the birth year is not known."""
    return case(
        (birth_year.is_(None), literal_column(str(len(AGE_BANDS)))),
        *((birth_year >= year, literal_column(str(n))) for n, year in enumerate(born_by_years)),
        else_=literal_column(str(len(AGE_BANDS) - 1)),
    )
