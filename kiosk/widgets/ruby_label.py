"""RubyLabel: Japanese text with furigana drawn in small type above each kanji run.

Kivy has no ruby. The text is cut into phrases by ``kiosk.layout`` (the same phrase and
kinsoku rules as PhraseLabel), the readings come from ``content.furigana.segments``;
each piece is a cell as wide as the larger of its text and its reading, lines are
filled greedily with whole phrases, and every cell is drawn from its own texture.
"""

from __future__ import annotations

from functools import lru_cache

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Rectangle
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    DictProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.widget import Widget

from kiosk.layout import phrases

#: the reading's size relative to the text
RUBY_SCALE = 0.5
SAFETY = 4


@lru_cache(maxsize=512)
def _segments(text: str, overrides: tuple[tuple[str, str], ...]) -> tuple:
    from content.furigana import segments

    try:
        return tuple(segments(text, dict(overrides)))
    except Exception:  # no reading available (no dictionary): plain text, no ruby
        from content.furigana import Segment

        return (Segment(text, None),)


def cells_by_phrase(
    text: str, language: str, overrides: dict
) -> list[list[tuple[str, str | None]]]:
    """The phrases of ``text``, each a list of (base, reading or None) cells.

    A kanji run that a phrase boundary would cut stays whole in the phrase it starts in;
    neighbouring kanji runs (a compound read in parts) share one cell.
    """
    pieces = phrases(text, language)
    starts, offset = [], 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece)
    result: list[list[tuple[str, str | None]]] = [[] for _ in pieces]
    position, index = 0, 0
    for segment in _segments(text, tuple(sorted(overrides.items()))):
        if segment.ruby:
            while index + 1 < len(starts) and starts[index + 1] <= position:
                index += 1
            cells = result[index]
            if cells and cells[-1][1] and position == starts[index] + sum(len(c[0]) for c in cells):
                # a compound (住民+票): one cell, so its kanji stay together under one reading
                cells[-1] = (cells[-1][0] + segment.base, cells[-1][1] + segment.ruby)
            else:
                cells.append((segment.base, segment.ruby))
            position += len(segment.base)
            continue
        for char in segment.base:  # kana and punctuation: split at phrase starts
            while index + 1 < len(starts) and starts[index + 1] <= position:
                index += 1
            cell = result[index]
            if cell and cell[-1][1] is None:
                cell[-1] = (cell[-1][0] + char, None)
            else:
                cell.append((char, None))
            position += 1
    return [cells for cells in result if cells]


class RubyLabel(Widget):
    """``source`` with readings above its kanji; as tall as its lines (``fit_height``)."""

    source = StringProperty("")
    language = StringProperty("ja")
    overrides = DictProperty({})
    font_name = StringProperty("Roboto")
    font_size = NumericProperty(36)
    bold = BooleanProperty(False)
    color = ColorProperty((0, 0, 0, 1))
    #: widest laid-out line in pixels (for the overflow check)
    widest_line = NumericProperty(0)

    def __init__(self, **kwargs):
        self._trigger = Clock.create_trigger(lambda _dt: self.reflow(), -1)
        super().__init__(**kwargs)
        self.size_hint_y = None
        for name in (
            "source",
            "language",
            "overrides",
            "width",
            "font_name",
            "font_size",
            "bold",
            "color",
            "pos",
        ):
            self.fbind(name, self._trigger)
        self._trigger()

    def _texture(self, text: str, size: float):
        core = CoreLabel(text=text, font_name=self.font_name, font_size=size, bold=self.bold)
        core.refresh()
        return core.texture

    def _measure(self, text: str, size: float) -> float:
        core = CoreLabel(font_name=self.font_name, font_size=size, bold=self.bold)
        return core.get_extents(text)[0]

    def lines(self) -> list[list[tuple[str, str | None, float]]]:
        """Lines of (base, reading, cell width) cells for the current width."""
        width = self.width - SAFETY
        ruby_size = self.font_size * RUBY_SCALE
        out: list[list[tuple[str, str | None, float]]] = []
        for paragraph in self.source.split("\n"):
            line: list = []
            used = 0.0
            for phrase in cells_by_phrase(paragraph, self.language, dict(self.overrides)):
                cells = [
                    (
                        base,
                        ruby,
                        max(
                            self._measure(base, self.font_size),
                            self._measure(ruby, ruby_size) if ruby else 0,
                        ),
                    )
                    for base, ruby in phrase
                ]
                phrase_width = sum(c[2] for c in cells)
                if line and used + phrase_width > width:
                    out.append(line)
                    line, used = [], 0.0
                for cell in cells:  # a phrase wider than the line: cut between cells
                    if line and used + cell[2] > width:
                        out.append(line)
                        line, used = [], 0.0
                    line.append(cell)
                    used += cell[2]
            out.append(line)
        return out

    def reflow(self) -> None:
        self.canvas.clear()
        if self.width <= SAFETY or not self.source:
            self.height = 0 if not self.source else self.height
            return
        ruby_size = self.font_size * RUBY_SCALE
        ruby_height = ruby_size * 1.25
        base_height = self.font_size * 1.3
        line_height = ruby_height + base_height
        lines = self.lines()
        height = line_height * len(lines)
        if abs(self.height - height) > 0.5:
            self.height = height  # the parent places us again; the pos binding redraws
        self.widest_line = max((sum(c[2] for c in line) for line in lines), default=0)
        top = self.top
        with self.canvas:
            Color(*self.color)
            for number, line in enumerate(lines):
                x = self.x
                base_y = top - (number + 1) * line_height
                for base, ruby, cell_width in line:
                    texture = self._texture(base, self.font_size)
                    Rectangle(
                        texture=texture,
                        size=texture.size,
                        pos=(int(x + (cell_width - texture.width) / 2), int(base_y)),
                    )
                    if ruby:
                        small = self._texture(ruby, ruby_size)
                        Rectangle(
                            texture=small,
                            size=small.size,
                            pos=(
                                int(x + (cell_width - small.width) / 2),
                                int(base_y + base_height - ruby_size * 0.1),
                            ),
                        )
                    x += cell_width
