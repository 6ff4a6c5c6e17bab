"""Furigana (ruby) for Japanese text: readings from pyopenjtalk, on the kanji only.

``segments("申し込む")`` gives ``[("申", "もう"), ("し", None), ("込", "こ"), ("む", None)]``:
okurigana and kana stay outside the ruby. A content file's ``furigana:`` map overrides the
computed reading of a word wherever the word appears.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import NamedTuple

from content.openjtalk import openjtalk

#: kanji, plus the iteration mark and the small ke that read like kanji (一ヶ月, 人々)
KANJI_CHARS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ"
KANJI = re.compile(f"[{KANJI_CHARS}]")
KANJI_RUNS = re.compile(f"[{KANJI_CHARS}]+|[^{KANJI_CHARS}]+")
KATAKANA_READING = re.compile(r"[\u30a1-\u30fcー]+")
#: how far ahead a word may be found when the frontend rewrote what came before (１→一)
RESYNC_WINDOW = 12


class Segment(NamedTuple):
    """A piece of text and its reading in hiragana, or None when it needs no ruby."""

    base: str
    ruby: str | None


def to_hiragana(kana: str) -> str:
    """``kana`` with katakana letters turned into hiragana (ー and other marks unchanged)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def has_kanji(text: str) -> bool:
    """True when ``text`` contains a kanji."""
    return KANJI.search(text) is not None


def align(word: str, reading: str) -> list[Segment]:
    """Split a word's hiragana reading over its kanji runs; kana runs keep no ruby."""
    runs = KANJI_RUNS.findall(word)
    pattern = "".join(
        "(.+?)" if has_kanji(run) else f"({re.escape(to_hiragana(run))})" for run in runs
    )
    match = re.fullmatch(pattern, reading)
    if match is None:  # the reading does not follow the spelling: ruby on the whole word
        return [Segment(word, reading)] if has_kanji(word) else [Segment(word, None)]
    return [
        Segment(run, part if has_kanji(run) else None)
        for run, part in zip(runs, match.groups(), strict=True)
    ]


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    """(surface, katakana reading) of each word pyopenjtalk finds in ``text``."""
    return tuple((w["string"], w["read"]) for w in openjtalk().run_frontend(text))


def computed(text: str) -> list[Segment]:
    """Segments of ``text`` with readings computed by pyopenjtalk, aligned to the text."""
    out: list[Segment] = []
    pos = 0
    skipped = ""  # surfaces of words the frontend rewrote (１２月 -> 十二月) since the last match
    for surface, read in _words(text):
        found = _locate(text, surface, pos, skipped)
        if found < 0:
            skipped += surface
            continue
        if found > pos:
            out.append(Segment(text[pos:found], None))
        reading = to_hiragana(read) if KATAKANA_READING.fullmatch(read or "") else ""
        out += align(surface, reading) if reading else [Segment(surface, None)]
        pos, skipped = found + len(surface), ""
    if pos < len(text):
        out.append(Segment(text[pos:], None))
    return out


def _locate(text: str, surface: str, pos: int, skipped: str) -> int:
    """Where ``surface`` continues ``text`` at or shortly after ``pos``, else -1.

    Jumping forward is allowed only over text whose kanji all come from the rewritten
    words just skipped (12月 for 十二月), so that no word takes another word's place.
    """
    if not surface:
        return -1
    if text.startswith(surface, pos):
        return pos
    found = text.find(surface, pos, pos + RESYNC_WINDOW + len(skipped) + len(surface))
    if found < 0 or any(c not in skipped for c in KANJI.findall(text[pos:found])):
        return -1
    return found


def segments(text: str, overrides: Mapping[str, str] | None = None) -> list[Segment]:
    """Segments of ``text``: kanji parts with their hiragana reading, the rest without."""
    if not overrides:
        return merge(computed(text))
    words = sorted(overrides, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[Segment] = []
    pos = 0
    for match in pattern.finditer(text):
        out += computed(text[pos : match.start()])
        out += align(match.group(0), to_hiragana(overrides[match.group(0)]))
        pos = match.end()
    out += computed(text[pos:])
    return merge(out)


def merge(parts: Iterable[Segment]) -> list[Segment]:
    """Segments with neighbouring ruby-less pieces joined and empty pieces dropped."""
    out: list[Segment] = []
    for part in parts:
        if not part.base:
            continue
        if part.ruby is None and out and out[-1].ruby is None:
            out[-1] = Segment(out[-1].base + part.base, None)
        else:
            out.append(part)
    return out


def to_html(parts: Iterable[Segment]) -> str:
    """HTML with ``<ruby>`` for the kanji parts; every piece of text is escaped."""
    return "".join(
        f"<ruby>{html.escape(p.base)}<rt>{html.escape(p.ruby)}</rt></ruby>"
        if p.ruby
        else html.escape(p.base)
        for p in parts
    )


def to_plain(parts: Iterable[Segment]) -> str:
    """The text with each reading in brackets after its kanji: 漢字(かんじ)."""
    return "".join(f"{p.base}({p.ruby})" if p.ruby else p.base for p in parts)


def reading(text: str, overrides: Mapping[str, str] | None = None) -> str:
    """The text with every kanji part replaced by its hiragana reading."""
    return "".join(p.ruby or p.base for p in segments(text, overrides))
