"""What a Japanese phone number is: the one rule every entry point uses.

The office form, the kiosk API and the spreadsheet import all create residents through
`classroom.services.residents`, which asks `check_phone` here. A number is accepted when
it is a domestic Japanese number (as the ward calls it back):

- it starts with 0 and then a digit other than 0 (no 00..., no 0000000000);
- mobile, IP and similar numbers — 020, 050, 060, 070, 080, 090 (and 0800 toll-free) —
  have 11 digits; every other number (landlines 03-1234-5678, 0120-123-456) has 10;
- it is written with digits, hyphens, spaces and brackets only (full-width digits and
  dashes fold), at most `MAX_LENGTH` characters as typed; +81 is read as the leading 0.
"""

from __future__ import annotations

import re

from languages import N_

from .errors import DomainError
from .text import nfkc

#: as stored (participant.phone is VARCHAR(30)); a number with its hyphens needs 13
MAX_LENGTH = 30
#: prefixes of 11-digit numbers: M2M, IP phones, FMC, mobiles, 0800 toll-free
ELEVEN_DIGIT_PREFIXES = ("020", "050", "060", "070", "080", "090")
#: every dash a Japanese keyboard types in a phone number (after NFKC: － is -, ｰ is ー):
#: ‐ ‑ ‒ – — ― − ー ﹣ －
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe63\uff0d-]")
#: what may be typed around the digits, once the dashes are folded
_SHAPE = re.compile(r"\+?[0-9 ()-]+")
#: what a search for a number looks like, once the dashes are folded
_PHONE_LIKE = re.compile(r"^[0-9\s()+-]+$")
_NOT_DIGIT = re.compile(r"[^0-9]")


class NotAPhoneNumber(DomainError):
    """Not digits and separators, or not 10-11 digits."""

    message = N_("A phone number has 10 or 11 digits (for example 03-1234-5678).")


class NotAJapaneseNumber(NotAPhoneNumber):
    """00..., 0000000000, 1234567890: no such number in Japan."""

    message = N_(
        "A Japanese phone number starts with 0 and then a digit other than 0 "
        "(for example 03-1234-5678)."
    )


class WrongLength(NotAPhoneNumber):
    message = N_(
        "A number starting with %(prefix)s has %(count)s digits (for example %(example)s)."
    )


def fold_dashes(text: str) -> str:
    """NFKC, and every kind of dash (−, ‐, ー, －, ―, …) as "-": the one rule for
    typed numbers, whether stored or searched for."""
    return _DASHES.sub("-", nfkc(text))


def looks_like_a_number(typed: str) -> bool:
    """Digits with dashes, spaces or brackets only (090−1234, (03) 1234): a phone search."""
    return bool(_PHONE_LIKE.match(fold_dashes(typed)))


def phone_end(digits: str) -> str:
    """The last two digits ("" for no number): enough to tell two namesakes apart,
    too little to call anyone."""
    return digits[-2:] if len(digits) >= 2 else ""


def expected_length(digits: str) -> int:
    """10 or 11: how many digits a number with these first digits has."""
    return 11 if digits.startswith(ELEVEN_DIGIT_PREFIXES) else 10


def check_phone(text: str, *, field: str = "phone") -> str:
    """The domestic digits of a valid number (0312345678), else a NotAPhoneNumber on `field`."""
    text = fold_dashes(text or "").strip()
    if not text or len(text) > MAX_LENGTH or not _SHAPE.fullmatch(text):
        raise NotAPhoneNumber(field=field)
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("+"):
        if not digits.startswith("81"):
            raise NotAJapaneseNumber(field=field)
        digits = "0" + digits[2:]
    if not 10 <= len(digits) <= 11:
        raise NotAPhoneNumber(field=field)
    if digits[0] != "0" or digits[1] == "0":
        raise NotAJapaneseNumber(field=field)
    if len(digits) != (count := expected_length(digits)):
        eleven = count == 11
        raise WrongLength(
            field=field,
            prefix=digits[:3],
            count=count,
            example=f"{digits[:3]}-1234-5678" if eleven else "03-1234-5678",
        )
    return digits


def phone_number_digits(text: str) -> str | None:
    """The number's domestic digits, or None when `text` is not one."""
    try:
        return check_phone(text)
    except NotAPhoneNumber:
        return None
