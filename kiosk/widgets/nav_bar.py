"""NavBar: the speech controls, then もどる, はじめにもどる and 職員を呼ぶ, on every screen.

The speech controls (読み上げ 止める 音量 − ＋, kiosk/widgets/speech_bar.py) stand at the
left of the bar when the seven buttons fit in one row with their captions whole (a wide
screen; their captions may then be a little smaller, never under the 32 px floor), else
in a row of their own just above the three (portrait, or while they say why this kiosk
cannot speak). Either way they are at the foot of every screen, left of the way back.

On a short landscape panel (1366x768: ``app.side_rail``) two bars across the foot left the
screens too little height: the NavBar is then a rail down the right-hand side of every
screen, the speech controls two by two at its top and もどる, はじめにもどる, 職員を呼ぶ
stacked at its foot, the same on every screen.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.theme import GAP
from kiosk.widgets.phrase_label import SAFETY, text_width
from kiosk.widgets.speech_bar import SpeechBar

#: room a caption needs beyond its text: the button's padding both sides, a margin
CAPTION_ROOM = 2 * (GAP + 8) + SAFETY + 4
#: the speech captions' sizes (of the app's button size) tried for one row, largest first
SPEECH_SCALES = (0.85, 0.75, 0.7)
#: text is never smaller than this (UX.md)
MIN_TEXT = 32
#: a button's caption to its frame, in the rail (a rail button is never a chosen option,
#: so its frame stays thin and the caption may come closer than the usual GAP + 8)
RAIL_PADDING = 12
#: the usual padding of a BigButton (widgets.kv)
BUTTON_PADDING = GAP + 8


class NavBar(BoxLayout):
    """The bar at the foot of every screen; ``can_go_back`` is False only on Home."""

    not_read_with_the_screen = True

    can_go_back = BooleanProperty(True)
    #: the speech controls in a row of their own (not enough width for one row)
    two_rows = BooleanProperty(True)

    def on_kv_post(self, base_widget) -> None:
        # the widgets themselves, not the weak proxies of ``ids`` (they move between rows)
        self._bar = next(c for c in self.children if isinstance(c, SpeechBar))
        self._row = next(c for c in self.children if not isinstance(c, SpeechBar))
        self._arrange_soon = self._schedule
        self.fbind("width", self._arrange_soon)
        self._bar.fbind("reason", self._arrange_soon)
        for button in self._buttons():
            for name in ("source", "font_name", "font_size"):
                button.fbind(name, self._arrange_soon)
        from kivy.app import App

        app = App.get_running_app()
        app.fbind("button_size", self._arrange_soon)
        app.fbind("side_rail", self._arrange_soon)
        # in the rail: the room between the speech controls and the way back
        self._gap = Widget()
        self._arrange()

    def _schedule(self, *_args) -> None:
        """Arrange again now (a width, caption, text size or reason changed)."""
        if getattr(self, "_arranging", False):
            return
        self._arranging = True
        try:
            self._arrange()
        finally:
            self._arranging = False

    def _speech_buttons(self):
        return list(self._bar.ids.buttons.children)

    def _nav_buttons(self):
        return [w for w in self._row.children if not isinstance(w, SpeechBar)]

    def _buttons(self):
        return [*self._speech_buttons(), *self._nav_buttons()]

    def _arrange(self, *_args) -> None:
        from kivy.app import App

        app = App.get_running_app()
        if app.side_rail:
            self._arrange_rail(app)
            return
        size = app.button_size
        bar, row = self._bar, self._row
        if self._gap.parent is not None:
            self.remove_widget(self._gap)
        bar.columns = 4
        for button in self._buttons():
            button.padding = (BUTTON_PADDING, 0)
        nav = self._nav_buttons()
        speech = self._speech_buttons()
        room = self.width - self.padding[0] - self.padding[2] - GAP * len(nav)
        # one row if the seven fit: captions on one line, else (a long language: やさしい
        # 日本語's おとの おおきさ) on two where two lines fit the bar's height, the speech
        # captions first; the largest speech size that fits, never under the text floor
        chosen, widths = None, None
        for lines in ((1, 1), (2, 1), (2, 2)):
            for scale in SPEECH_SCALES:
                px = max(MIN_TEXT, size * scale)
                if max(lines) == 2 and not _two_lines_fit(speech[0], max(px, size), app):
                    continue
                wanted = [_width(b, px, lines[0]) for b in speech]
                wanted += [_width(b, size, lines[1]) for b in nav]
                if sum(wanted) + GAP * (len(speech) - 1) <= room:
                    chosen, widths = scale, wanted
                    break
            if chosen is not None:
                break
        two_rows = bool(bar.reason) or chosen is None or self.width <= 1
        scale = SPEECH_SCALES[0] if two_rows else chosen
        if two_rows:
            widths = [None] * len(speech) + [_width(b, size, 1) for b in nav]
        for button, width in zip(speech, widths, strict=False):
            button.font_scale = scale
            # a row of their own: equal shares, so that a short caption (Stop) is not
            # squeezed under its own padding when the captions together are too wide
            button.size_hint_x = 1 if two_rows else width
        for button, width in zip(nav, widths[len(speech) :], strict=True):
            button.size_hint_x = width
        total = sum(b.size_hint_x for b in speech) + GAP * (len(speech) - 1)
        if two_rows and bar.parent is row:
            row.remove_widget(bar)
            bar.size_hint_x = 1
            self.add_widget(bar, index=len(self.children))  # above the row
        elif not two_rows:
            if bar.parent is not row:
                self.remove_widget(bar)
                row.add_widget(bar, index=len(row.children))  # leftmost
            bar.size_hint_x = total
        self.two_rows = two_rows

    def _arrange_rail(self, app) -> None:
        """The rail: 読み上げ 止める / 音量 − ＋ two by two at the top, the way back at the foot."""
        from kiosk.layout import phrases

        bar, row = self._bar, self._row
        if bar.parent is row:
            row.remove_widget(bar)
        if bar.parent is None:
            self.add_widget(bar, index=len(self.children))  # at the top
        if self._gap.parent is None:
            self.add_widget(self._gap, index=1)  # between the speech controls and the row
        bar.size_hint_x = 1
        bar.columns = 2
        room = self.width - self.padding[0] - self.padding[2]
        for button in self._buttons():
            button.padding = (RAIL_PADDING, 0)
            button.size_hint_x = 1
        for button in self._nav_buttons():
            button.font_scale = 1
        # the speech captions as large as lets each phrase (読み上げ, おおきさ, Volume) stay
        # whole in a half of the rail; at worst at the 32 px floor (the kv rule's max)
        half = (room - GAP) / 2 - 2 * RAIL_PADDING - SAFETY - 4
        speech = self._speech_buttons()
        size = app.button_size
        widest = max(
            (
                button.measure(piece.strip()) / (button.font_size or 1)
                for button in speech
                for piece in phrases(button.source, button.language)
            ),
            default=0,
        )
        fitting = [s for s in SPEECH_SCALES if widest * max(MIN_TEXT, size * s) <= half]
        scale = fitting[0] if fitting else SPEECH_SCALES[-1]
        for button in speech:
            button.font_scale = scale
        self.two_rows = True


def _width(button, px: float, lines: int) -> float:
    """The width ``button``'s caption needs at ``px`` on one line, or on at most two."""
    from kiosk.layout import fill_lines, phrases

    def measure(text: str) -> float:
        return text_width(button.font_name, px, button.bold, text)

    whole = measure(button.source)
    if lines == 1:
        return whole + CAPTION_ROOM
    pieces = [
        p for paragraph in button.source.split("\n") for p in phrases(paragraph, button.language)
    ]
    width = max(max((measure(p.strip()) for p in pieces), default=0), whole / 2)
    while width < whole and len(fill_lines(pieces, width, measure)) > 2:
        width += 8
    return min(width, whole) + CAPTION_ROOM


def _two_lines_fit(button, px: float, app) -> bool:
    """Whether two lines of a caption at ``px`` fit in the bar's height."""
    from kivy.core.text import Label as CoreLabel

    height = CoreLabel(font_name=button.font_name, font_size=px, bold=True).get_extents("あ")[1]
    return 2 * height + 32 <= app.bar_height - GAP // 2
