"""Line layout for the kiosk's labels, without Kivy: phrases in, lines out.

Kivy breaks Japanese at any character (「くださ｜い。」), so the kiosk lays lines out
itself: split the text into phrases that must stay whole, then fill lines greedily
with a measure function the widget supplies (its font, its size). Kept free of Kivy
so that the rules are tested with a stub measure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

#: width in pixels of a piece of text, as the label would draw it
Measure = Callable[[str], float]

#: characters that must not begin a line (JIS X 4051 kinsoku, the common subset)
NO_LINE_START = frozenset(
    "、。，．,.:;：；!?！？)）]］}｝」』】〉》〕’”ー～…‥"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ・"
)
#: characters that must not end a line
NO_LINE_END = frozenset("(（[［{｛「『【〈《〔‘“○●←\u00a0")

#: a word and the spaces after it (half- or full-width): how spaced text is split
_WORD = re.compile(r"\S+[ \t\u3000]*|[ \t\u3000]+")
_SPACES = " \t\u3000"
#: the place after a Japanese full stop, comma, colon or ・ that no space follows, or
#: before an opening bracket that no space comes before (「しょくいんを　よぶ」)
_AFTER_STOP = re.compile(r"(?<=[。、：・])(?=[^\s。、：・])|(?<=\S)(?=[「『（])")


@lru_cache(maxsize=4)
def _parser(language: str):
    import budoux

    if language == "zh-Hans":
        return budoux.load_default_simplified_chinese_parser()
    return budoux.load_default_japanese_parser()


#: kanji: Japanese as the ja wording writes it, not やさしい日本語's kana
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: kana and kanji: text written without spaces between words
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def mostly_japanese(text: str) -> bool:
    """True when at least half of the text's visible characters are kana or kanji.

    A guide not yet translated into Korean or English shows its Japanese text in that
    language's label: split at spaces, a whole sentence would be one unbreakable piece.
    """
    visible = [char for char in text if not char.isspace()]
    return bool(visible) and 2 * len(_JAPANESE.findall(text)) >= len(visible)


def uses_budoux(language: str, text: str) -> bool:
    """True when ``text`` in ``language`` is written without spaces between words."""
    if language == "ja-easy":
        # やさしい日本語 is written with spaces between words (分かち書き); budoux
        # splits hiragana-only text badly (「じ｜ゅう」, 「へい｜せい」), so the spaces are the
        # breaks. Text in kana alone without them is a word or two (きょうしつ, たいしょう):
        # whole. Only Japanese shown as it is (a class's title, with kanji) goes to budoux.
        return "\u3000" not in text and bool(_KANJI.search(text))
    return language in ("ja", "zh-Hans") or mostly_japanese(text)


def phrases(text: str, language: str) -> list[str]:
    """``text`` cut into pieces that must stay on one line, in order, losing nothing."""
    if not text:
        return []
    if uses_budoux(language, text):
        pieces = _parser("zh-Hans" if language == "zh-Hans" else "ja").parse(text)
    else:
        # a line may also end after 。、：・ where no space follows, or before 「 (やさしい
        # 日本語: 「います。プリンターから」 is two pieces, not one too wide for a column)
        pieces = [part for word in _WORD.findall(text) for part in _AFTER_STOP.split(word) if part]
    return _kinsoku(pieces)


def _kinsoku(pieces: list[str]) -> list[str]:
    """Join pieces so that no line starts with 。 or small kana nor ends with 「 or a ○ mark."""
    joined: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if joined and (piece[0] in NO_LINE_START or joined[-1].rstrip(_SPACES)[-1:] in NO_LINE_END):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def fill_lines(pieces: list[str], width: float, measure: Measure) -> list[str]:
    """Lines made of whole pieces, each as wide as fits in ``width``.

    A piece never breaks across lines unless it alone is wider than ``width``; then,
    and only then, it is cut by characters (better than drawing past the edge).
    Spaces at the end of a line are dropped.
    """
    lines: list[str] = []
    current = ""
    for piece in pieces:
        candidate = current + piece
        if not current or measure(candidate.rstrip(_SPACES)) <= width:
            current = candidate
        else:
            lines.append(current)
            current = piece.lstrip(_SPACES)
        if measure(current.rstrip(_SPACES)) > width:
            # one piece wider than the line: the only case where a phrase is cut
            head, current = _cut(current, width, measure)
            lines.extend(head)
    if current.strip(_SPACES):
        lines.append(current)
    return [line.rstrip(_SPACES) for line in lines]


def _cut(text: str, width: float, measure: Measure) -> tuple[list[str], str]:
    """Full lines cut from ``text`` by characters, and the rest that fits."""
    lines: list[str] = []
    current = ""
    for char in text:
        if current and measure(current + char) > width and char not in NO_LINE_START:
            lines.append(current)
            current = char.lstrip(_SPACES)
        else:
            current += char
    return lines, current


def layout(text: str, language: str, width: float, measure: Measure) -> str:
    """``text`` with line breaks inserted at phrase boundaries so every line fits ``width``.

    Existing line breaks are kept as paragraph breaks.
    """
    if width <= 0:
        return text
    return "\n".join(
        "\n".join(fill_lines(phrases(paragraph, language), width, measure)) or ""
        for paragraph in text.split("\n")
    )
