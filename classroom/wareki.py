"""The Japanese calendar (和暦) for years: 1948 is 昭和23年, 1989 is 平成元年."""

from __future__ import annotations

from datetime import date

#: each era's name, its romanisation and its first day
ERAS: tuple[tuple[str, str, date], ...] = (
    ("明治", "Meiji", date(1868, 10, 23)),
    ("大正", "Taisho", date(1912, 7, 30)),
    ("昭和", "Showa", date(1926, 12, 25)),
    ("平成", "Heisei", date(1989, 1, 8)),
    ("令和", "Reiwa", date(2019, 5, 1)),
)


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


def wareki_year(year: int | None, language: str = "ja") -> str:
    """昭和23年 in Japanese, "Showa 23" otherwise; "" when unknown or before Meiji."""
    if year is None:
        return ""
    era = era_of_year(year)
    if era is None:
        return ""
    name, roman, era_year = era
    if language.startswith("ja"):
        return f"{name}{'元' if era_year == 1 else era_year}年"
    return f"{roman} {era_year}"


#: 和暦 as typed: 昭和23, 昭和23年, 昭23, S23, s.23, 平成元年, H1
_ERA_INITIALS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}


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
