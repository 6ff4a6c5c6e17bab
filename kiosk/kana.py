"""The 50-sound (あいうえお) keyboard's rules, without Kivy: keys, ゛ ゜ small kana, katakana out.

A resident taps a base kana, then may tap ゛ (カ → ガ), ゜ (ハ → パ) or 小 (ツ → ッ) to
change the last character, as on a paper 50-sound chart. Tapping the same mark again
undoes it. The name is kept in katakana, as the API's ``reading`` wants it.
"""

from __future__ import annotations

#: the chart by columns (ア行 ... ワ行), each top to bottom; "" is an empty cell
COLUMNS: tuple[tuple[str, ...], ...] = (
    ("ア", "イ", "ウ", "エ", "オ"),
    ("カ", "キ", "ク", "ケ", "コ"),
    ("サ", "シ", "ス", "セ", "ソ"),
    ("タ", "チ", "ツ", "テ", "ト"),
    ("ナ", "ニ", "ヌ", "ネ", "ノ"),
    ("ハ", "ヒ", "フ", "ヘ", "ホ"),
    ("マ", "ミ", "ム", "メ", "モ"),
    ("ヤ", "", "ユ", "", "ヨ"),
    ("ラ", "リ", "ル", "レ", "ロ"),
    ("ワ", "", "ヲ", "", "ン"),
)
DAKUTEN, HANDAKUTEN, SMALL, LONG_VOWEL, SPACE = "゛", "゜", "小", "ー", "\u3000"
#: the marks column beside the chart
MARKS: tuple[str, ...] = (DAKUTEN, HANDAKUTEN, SMALL, LONG_VOWEL)
MAX_LENGTH = 30

_VOICED = dict(
    zip(
        "カキクケコサシスセソタチツテトハヒフヘホウ",
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ",
        strict=True,
    )
)
_SEMI_VOICED = dict(zip("ハヒフヘホ", "パピプペポ", strict=True))
_SMALL = dict(zip("アイウエオツヤユヨワカケ", "ァィゥェォッャュョヮヵヶ", strict=True))


def _toggle(char: str, table: dict[str, str]) -> str:
    if char in table:
        return table[char]
    reverse = {v: k for k, v in table.items()}
    return reverse.get(char, char)


def _base(char: str) -> str:
    """The plain kana under any mark (ガ → カ, パ → ハ, ッ → ツ)."""
    for table in (_VOICED, _SEMI_VOICED, _SMALL):
        for plain, marked in table.items():
            if char == marked:
                return plain
    return char


def to_katakana(text: str) -> str:
    """Hiragana turned into katakana; everything else kept."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def press(text: str, key: str) -> str:
    """``text`` after a tap on ``key`` (a kana, a mark, ー or the space)."""
    key = to_katakana(key)
    if key in (DAKUTEN, HANDAKUTEN, SMALL):
        if not text:
            return text
        last = text[-1]
        if key == DAKUTEN:
            table = _VOICED
            source = last if last in _VOICED or last in _VOICED.values() else _base(last)
        elif key == HANDAKUTEN:
            table = _SEMI_VOICED
            source = last if last in _SEMI_VOICED.values() else _base(last)
        else:
            table = _SMALL
            source = last if last in _SMALL.values() else _base(last)
        changed = _toggle(source, table)
        return text[:-1] + (changed if changed != source else last)
    if len(text) >= MAX_LENGTH:
        return text
    if key == SPACE or key == " ":
        # one space between family and given name; never leading or doubled
        return text if not text or text.endswith(SPACE) else text + SPACE
    if key == LONG_VOWEL:
        return text + key if text and not text.endswith(SPACE) else text
    return text + key


def delete(text: str) -> str:
    """``text`` without its last character."""
    return text[:-1]


def reading_for_api(text: str) -> str:
    """The name as sent: katakana, one half-width space between parts, no edges."""
    return " ".join(to_katakana(text).replace(SPACE, " ").split())
