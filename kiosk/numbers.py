"""Phone numbers and birth years as typed on the kiosk's number pad, without Kivy.

A birth year may be given in 西暦 (1948) or in 和暦 (昭和23), by the era table in
languages.wareki; a year beyond an era's end (昭和65) is refused. A birth year must be
plausible for a participant of a class: between ``EARLIEST`` and ten years ago.
"""

from __future__ import annotations

import datetime
import re

from languages import wareki
from languages.clock import ward_today

#: the eras offered on the birth-year screen, then 西暦
OFFERED_ERAS: tuple[str, ...] = ("大正", "昭和", "平成")
GREGORIAN = "西暦"
#: the English msgid naming each era on screen (kiosk.i18n translates it back)
ERA_NAMES: dict[str, str] = {
    "大正": "Taisho",
    "昭和": "Showa",
    "平成": "Heisei",
    "令和": "Reiwa",
    GREGORIAN: "Western calendar",
}
EARLIEST = 1900
#: a participant is at least this old
YOUNGEST_AGE = 10
PHONE_MAX_DIGITS = 11


class InvalidYear(ValueError):
    """A year that does not exist in its era, or is not a plausible birth year."""


def to_gregorian(era: str, year: int) -> int:
    """昭和22 → 1947, 平成1 → 1989; ``era`` 西暦 returns ``year`` itself."""
    if era == GREGORIAN:
        return year
    try:
        return wareki.to_gregorian(era, year)
    except ValueError as error:
        raise InvalidYear(str(error)) from error


def birth_year(era: str, digits: str, today: datetime.date | None = None) -> int:
    """The Gregorian birth year typed as ``digits`` in ``era``, checked to be plausible."""
    if not digits.isdigit():
        raise InvalidYear("no digits")
    year = to_gregorian(era, int(digits))
    latest = (today or ward_today()).year - YOUNGEST_AGE
    if not EARLIEST <= year <= latest:
        raise InvalidYear(f"{year} is not a plausible birth year")
    return year


def max_digits(era: str) -> int:
    """How many digits the pad takes for ``era`` (4 for 西暦, 2 for an era)."""
    return 4 if era == GREGORIAN else 2


def phone_digits_ok(digits: str) -> bool:
    """A Japanese phone number: 10 or 11 digits starting with 0."""
    return digits.isdigit() and digits.startswith("0") and len(digits) in (10, 11)


def format_phone(digits: str) -> str:
    """Hyphens where a resident expects them: 090-1234-5678, 03-1234-5678, else as typed."""
    if re.fullmatch(r"0[5789]0\d{8}", digits):
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if re.fullmatch(r"0[36]\d{8}", digits):
        return f"{digits[:2]}-{digits[2:6]}-{digits[6:]}"
    if re.fullmatch(r"0\d{9}", digits):
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return digits
