"""The Japanese calendar (和暦): the one era table, and years and days named by it.

1948 is 昭和23年, 1989 is 平成元年; 7 January 1989 is 昭和64年 and the next day 平成元年.
The web's birth years, the walk-in search, the fiscal-year labels of the reports and the
kiosk's number pad and booking dates all read this table (the kiosk may not import the
domain core, so it lives in the leaf package).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Era(NamedTuple):
    #: 昭和
    name: str
    #: Showa (its first letter is the initial typed as S23)
    roman: str
    #: the era's first day
    start: date


#: each era's name, its romanisation and its first day, oldest first
ERAS: tuple[Era, ...] = (
    Era("明治", "Meiji", date(1868, 10, 23)),
    Era("大正", "Taisho", date(1912, 7, 30)),
    Era("昭和", "Showa", date(1926, 12, 25)),
    Era("平成", "Heisei", date(1989, 1, 8)),
    Era("令和", "Reiwa", date(2019, 5, 1)),
)
_BY_NAME = {era.name: era for era in ERAS}
#: 和暦 as typed: 昭和23, 昭23, S23 — M T S H R
_ERA_INITIALS = {era.roman[0]: era.name for era in ERAS}
#: a regular expression for an era as typed: its name, its first character or its initial
ERA_PATTERN = (
    "(?:"
    + "|".join(era.name for era in ERAS)
    + "|["
    + "".join(era.name[0] for era in ERAS)
    + "".join(_ERA_INITIALS)
    + "".join(_ERA_INITIALS).lower()
    + "])"
)


def era_named(name: str) -> Era | None:
    """The era called ``name`` (昭和), or None."""
    return _BY_NAME.get(name)


def last_year(name: str) -> int | None:
    """The last year number of an era (昭和 → 64); None while it lasts or if unknown."""
    era = _BY_NAME.get(name)
    if era is None or era is ERAS[-1]:
        return None
    following = ERAS[ERAS.index(era) + 1]
    return following.start.year - era.start.year + 1


def numbered(era_year: int) -> str:
    """元 for the first year of an era, else the number: 元, 2, 64."""
    return "元" if era_year == 1 else str(era_year)


def era_of_year(year: int) -> tuple[str, str, int] | None:
    """(era, romanised era, year of the era) for a year known only as a number.

    A year in which the era changed is named by the era in force for most of it
    (on 1 July): 1926 is 大正15年, 1989 is 平成元年, 2019 is 令和元年.
    """
    midyear = date(year, 7, 1)
    for name, roman, start in reversed(ERAS):
        if midyear >= start:
            return name, roman, year - start.year + 1
    return None


def era_of_day(day: date) -> tuple[str, int] | None:
    """(era, year of the era) on a day: 7 January 1989 is (昭和, 64), 8 January (平成, 1)."""
    for name, _roman, start in reversed(ERAS):
        if day >= start:
            return name, day.year - start.year + 1
    return None


def wareki_year(year: int | None, language: str = "ja") -> str:
    """昭和23年 in Japanese, "Showa 23" otherwise; "" when unknown or before Meiji."""
    if year is None:
        return ""
    era = era_of_year(year)
    if era is None:
        return ""
    name, roman, era_year = era
    if language.startswith("ja"):
        return f"{name}{numbered(era_year)}年"
    return f"{roman} {era_year}"


def wareki_of_day(day: date) -> str:
    """令和8年 (令和元年 for the first year) for a day; "" before Meiji."""
    era = era_of_day(day)
    if era is None:
        return ""
    name, era_year = era
    return f"{name}{numbered(era_year)}年"


def to_gregorian(name: str, era_year: int) -> int:
    """昭和22 → 1947, 平成1 → 1989. ValueError for an unknown era or a year it never had."""
    era = _BY_NAME.get(name)
    if era is None:
        raise ValueError(f"unknown era {name}")
    last = last_year(name)
    if era_year < 1 or (last is not None and era_year > last):
        raise ValueError(f"{name} has no year {era_year}")
    return era.start.year + era_year - 1


def parse_year(text: str) -> int | None:
    """A year as people type it: 1948, 昭和23, 昭和23年, 昭23, S23, 平成元年. None if not one.

    Full-width digits and letters should be folded (NFKC) by the caller.
    """
    text = text.strip().removesuffix("年").replace(".", "").strip()
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    for name, _roman, start in ERAS:
        for prefix in (name, name[0]):
            if text.startswith(prefix):
                number = text[len(prefix) :].strip()
                break
        else:
            initial = text[:1].upper()
            if _ERA_INITIALS.get(initial) != name:
                continue
            number = text[1:].strip()
        if number == "元":
            return start.year
        if number.isascii() and number.isdigit() and 1 <= int(number) <= 64:
            return start.year + int(number) - 1
        return None
    return None
