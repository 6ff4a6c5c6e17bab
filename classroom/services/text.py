"""Folding of what people type: kana, widths, phone numbers and reservation codes."""

from __future__ import annotations

import re
import unicodedata

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6  # ァ..ヶ
_KANA_OFFSET = 0x60  # ア (U+30A2) - あ (U+3042)
_SPACES = re.compile(r"[\s\u3000・･]+")


def nfkc(text: str) -> str:
    """Full-width ASCII to half, half-width katakana to full (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(c) - _KANA_OFFSET) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c
        for c in text
    )


def to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + _KANA_OFFSET) if 0x3041 <= ord(c) <= 0x3096 else c for c in text)


def reading_key(text: str) -> str:
    """The form readings are compared and searched in: NFKC, hiragana, no spaces."""
    return _SPACES.sub("", to_hiragana(nfkc(text))).lower()


_KANA_RE = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u309b\u309c\u30fb\u3000\s]+$")


def is_kana(text: str) -> bool:
    """True when `text` (after NFKC) is hiragana/katakana with spaces and ー only."""
    return bool(_KANA_RE.match(nfkc(text)))


#: kana letters: hiragana ぁ..ゖ, katakana ァ..ヺ (not ー, ・ nor the sound marks)
_KANA_LETTER = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")


def has_kana_letter(text: str) -> bool:
    """True when `text` (after NFKC) holds at least one kana letter: ー alone is no name."""
    return bool(_KANA_LETTER.search(nfkc(text)))


def phone_digits(text: str) -> str:
    return re.sub(r"\D", "", nfkc(text))


#: C0 and C1 control characters but tab and line breaks: never typed, never stored
#: (PostgreSQL refuses NUL in text; ESC in a name would garble every page and export)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str | None) -> bool:
    return bool(text and CONTROL_CHARACTERS.search(text))


def clean_line(text: str | None) -> str:
    """One line of text as stored: NFKC-light (no control characters), trimmed."""
    if text is None:
        return ""
    text = "".join(c for c in str(text) if unicodedata.category(c)[0] != "C" or c == " ")
    return text.strip()
