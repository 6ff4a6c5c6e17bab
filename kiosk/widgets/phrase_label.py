"""PhraseLabel: a Label that breaks Japanese lines between phrases, never inside one."""

from __future__ import annotations

from functools import lru_cache

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.label import Label

from kiosk.layout import layout, phrases
from kiosk.theme import MIN_BODY, MIN_HEADING

#: pixels kept free at the right edge, so Kivy's own wrapping never re-breaks a line
SAFETY = 4


@lru_cache(maxsize=65536)
def text_width(font_name: str, font_size: float, bold: bool, text: str) -> float:
    """Width of ``text`` drawn in this font and size (measured once: a language switch
    re-flows every label of every screen, mostly with phrases measured before)."""
    core = CoreLabel(font_name=font_name, font_size=font_size, bold=bold)
    return core.get_extents(text)[0]


class PhraseLabel(Label):
    """Shows ``source`` laid out by ``kiosk.layout`` for its width, font and language.

    Set ``source``, not ``text``: ``text`` is the laid-out result. The label re-flows
    when its width, font, font size or language changes. With ``fit_height`` the label
    is as tall as its text.

    A phrase is never cut while it can be kept whole: when one phrase (a word, 「やさしい」)
    is wider than the label, the label is drawn just small enough for it, never under the
    floor of its kind (32 px text, 48 px headings); its rule's size comes back as soon as
    the phrase fits again.
    """

    source = StringProperty("")
    language = StringProperty("ja")
    #: a language this label always shows, whatever the kiosk's (a language button's name)
    fixed_language = StringProperty("")
    fit_height = BooleanProperty(True)
    #: widest laid-out line, measured like the layout measured it (for the overflow check)
    widest_line = NumericProperty(0)
    #: lines this many ems apart; the kv rule turns it into the font's ``line_height``
    line_spacing = NumericProperty(1.2)

    def __init__(self, **kwargs):
        self._laid_out: tuple = ()
        #: the size the rules ask for (``font_size`` is smaller while a phrase needs it)
        self._asked: float | None = None
        self._fitting = False
        self._reflow_trigger = Clock.create_trigger(lambda _dt: self.reflow(), -1)
        super().__init__(**kwargs)
        if self._asked is None:
            self._asked = self.font_size
        self.fbind("font_size", self._font_asked)
        for name in ("source", "language", "width", "font_size", "font_name", "bold"):
            self.fbind(name, self._reflow_trigger)
        self.fbind("texture_size", self._fit)
        self._reflow_trigger()

    def _font_asked(self, *_args) -> None:
        if not self._fitting:
            self._asked = self.font_size

    @property
    def asked_font_size(self) -> float:
        """The size the rules ask for, before a phrase too wide made it smaller."""
        return self._asked or self.font_size

    def floor_size(self) -> float:
        """The least size of this kind of text (UX.md): a heading's, or body text's."""
        heading = getattr(self, "heading", False) or any(
            cls.__name__ == "Heading" for cls in type(self).__mro__
        )
        return MIN_HEADING if heading else MIN_BODY

    def whole_phrase_size(self, width: float) -> float:
        """The size at which every phrase of ``source`` fits in ``width``: the asked size,
        or smaller but never under the floor (nor under the asked size's own)."""
        asked = self.asked_font_size
        pieces = [
            piece.strip(" \u3000\t")
            for paragraph in self.source.split("\n")
            for piece in phrases(paragraph, self.language)
        ]

        def widest(size: float) -> float:
            return max((text_width(self.font_name, size, self.bold, p) for p in pieces), default=0)

        wide = widest(asked)
        if wide <= width:
            return asked
        floor = min(asked, self.floor_size())
        size = max(floor, asked * width / wide)
        while size > floor and widest(size) > width:
            size = max(floor, size * 0.97)
        return size

    def available_width(self) -> float:
        """Width the lines may take: the box less padding and a small margin."""
        return self.width - self.padding[0] - self.padding[2] - SAFETY

    def measure(self, text: str) -> float:
        """Width of ``text`` in this label's font and size."""
        return text_width(self.font_name, self.font_size, self.bold, text)

    def reflow(self) -> None:
        """Lay ``source`` out again for the current width and font."""
        width = self.available_width()
        if width <= 0:
            return
        size = self.whole_phrase_size(width) if self.source else self.asked_font_size
        if abs(size - self.font_size) > 0.01:
            self._fitting = True
            try:
                self.font_size = size
            finally:
                self._fitting = False
        key = (self.source, self.language, width, self.font_name, self.font_size, self.bold)
        if key == self._laid_out:
            return  # e.g. a language switched there and back: the lines stand
        self._laid_out = key
        self.text = layout(self.source, self.language, width, self.measure)
        self.widest_line = max((self.measure(line) for line in self.text.split("\n")), default=0)
        # Kivy takes the padding off text_size itself: the box's width, not less
        self.text_size = (self.width, None)

    def _fit(self, *_args) -> None:
        if self.fit_height:
            self.height = self.texture_size[1]
