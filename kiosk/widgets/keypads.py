"""The kiosk's large keypads: the 50-sound kana keyboard, the number pad and the pad of a
reservation code's letters and digits.

Each key is a BigButton (at least 96 px high). A pad only reports taps (``on_key``);
what a tap does to the text is ``kiosk.kana`` / the screen's business.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk import kana
from kiosk.i18n import N_
from kiosk.own_booking import CODE_KEYS
from kiosk.theme import GAP, MIN_BODY
from kiosk.widgets.big_button import BigButton
from kiosk.widgets.phrase_label import SAFETY, PhraseLabel

#: the hint shown (and read) over the kana keyboard: how the marks column is used
MARKS_HINT = N_(
    "For ダ, press タ and then ゛. For パ, press ハ and then ゜. "
    "For a small ッ, press ツ and then 小."
)
#: a lone ゛ is a speck at the button size: the marks are drawn up to this much larger,
#: as far as the key's height allows (a taller key would push its row out of line)
MARK_SCALE = 1.8

#: a key that never holds text; "" cells keep the chart's shape
_BLANK = ""


class _Pad(GridLayout):
    key_height = NumericProperty(112)
    #: a key's caption to its frame (the usual GAP + 8; less where keys are narrow)
    key_padding = NumericProperty(GAP + 8)

    def __init__(self, **kwargs):
        self.register_event_type("on_key")
        super().__init__(**kwargs)
        self.spacing = GAP
        self.size_hint_y = None
        self.fbind("minimum_height", self._fit)
        self.fbind("key_height", self._resize)
        self.fbind("key_padding", self._resize)

    def _fit(self, *_args) -> None:
        self.height = self.minimum_height

    def _resize(self, *_args) -> None:
        for child in self.children:
            if isinstance(child, BigButton):
                child.min_height = self.key_height
                child.padding = (self.key_padding, 0)
            else:  # an empty cell keeps the chart's shape, as high as a key
                child.height = self.key_height

    def _key(self, label: str, value: str, **kwargs) -> BigButton:
        button = BigButton(
            caption=label, min_height=self.key_height, padding=(self.key_padding, 0), **kwargs
        )
        button.bind(on_release=lambda _b: self.dispatch("on_key", value))
        return button

    def _blank(self):
        from kivy.uix.widget import Widget

        return Widget(size_hint_y=None, height=self.key_height)

    def on_key(self, value: str) -> None:
        """A key was tapped (``value``: the kana, the mark or the digit)."""


#: the marks column's use, one line each, beside the keyboard (katakana: no translation)
MARK_EXAMPLES = ("ダ＝タ＋゛", "パ＝ハ＋゜", "ッ＝ツ＋小")


class KanaHint(BoxLayout):
    """The visible hint for ゛ ゜ 小 beside the keyboard: ダ＝タ＋゛, パ＝ハ＋゜, ッ＝ツ＋小.

    ``hint`` is the same in words (「ダ は タ を押してから ゛ …」), for reading aloud.
    """

    hint = StringProperty(MARKS_HINT)
    #: each example as high as a key row, beside the ゛ ゜ 小 keys it explains (a short
    #: panel: the column beside the keyboard holds the hint and 空白 only)
    by_rows = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(orientation="vertical", **kwargs)
        for example in MARK_EXAMPLES:
            self.add_widget(PhraseLabel(source=example, fixed_language="ja", bold=True))
        self.fbind("by_rows", self._rows)
        from kivy.app import App

        app = App.get_running_app()
        if app is not None and hasattr(app, "body_size"):
            app.fbind("body_size", self._rows)

    def _rows(self, *_args) -> None:
        from kivy.app import App

        body = getattr(App.get_running_app(), "body_size", MIN_BODY)
        self.spacing = GAP if self.by_rows else 0
        for label in self.children:
            label.fit_height = not self.by_rows
            label.size_hint_y = 1 if self.by_rows else None
            # beside the keys: a little smaller than the body text, never under its floor
            label.font_size = max(MIN_BODY, body * 0.85) if self.by_rows else body

    def widest(self) -> float:
        """The width the longest example needs, as drawn now."""
        return max(label.measure(label.source) for label in self.children) + SAFETY + 2


class KanaKeyboard(_Pad):
    """ア行 to ワ行 left to right, each column top to bottom, then ゛ ゜ 小 ー.

    Every key is ``key_height`` high, the marks too, so the marks column lines up with the
    kana rows at both text sizes.
    """

    not_read_with_the_screen = True

    def _resize(self, *_args) -> None:
        super()._resize()
        for child in self.children:
            if getattr(child, "is_mark", False):
                child.font_scale = self._mark_scale()

    def _mark_scale(self) -> float:
        from kivy.app import App

        app = App.get_running_app()
        button = getattr(app, "button_size", 40) or 40
        # the caption's line plus the button's 32 px of padding must fit in the key
        return max(1.0, min(MARK_SCALE, (self.key_height - 40) / button))

    def __init__(self, **kwargs):
        from kivy.app import App

        super().__init__(**kwargs)
        app = App.get_running_app()
        if app is not None and hasattr(app, "button_size"):  # 大 ⇄ 特大: the marks refit
            app.fbind("button_size", self._resize)
        self.rows = 5
        self.cols = len(kana.COLUMNS) + 1
        marks = (*kana.MARKS, _BLANK)
        for row in range(5):
            for column in kana.COLUMNS:
                char = column[row]
                self.add_widget(
                    self._key(char, char, fixed_language="ja") if char else self._blank()
                )
            mark = marks[row]
            if mark:
                key = self._key(mark, mark, fixed_language="ja")
                if mark in (kana.DAKUTEN, kana.HANDAKUTEN):
                    key.is_mark = True
                    key.font_scale = self._mark_scale()
                self.add_widget(key)
            else:
                self.add_widget(self._blank())


class NumberPad(_Pad):
    """1 2 3 / 4 5 6 / 7 8 9 / ← 0, large enough for a trembling finger."""

    not_read_with_the_screen = True

    delete_caption = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cols = 3
        for digit in "123456789":
            self.add_widget(self._key(digit, digit, fixed_language="en"))
        # a word on a digit-sized key: smaller, so that it never breaks inside the word
        self.delete_button = self._key(self.delete_caption, "delete", font_scale=0.7)
        self.fbind(
            "delete_caption",
            lambda *_a: setattr(self.delete_button, "caption", self.delete_caption),
        )
        self.add_widget(self.delete_button)
        self.add_widget(self._key("0", "0", fixed_language="en"))
        self.add_widget(self._blank())


class CodePad(_Pad):
    """A reservation code's keys: 2 to 9, then A to Z without the letters a code never
    holds (kiosk.own_booking.CODE_KEYS), eight to a row; 消す is the screen's own."""

    not_read_with_the_screen = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cols = 8
        for char in CODE_KEYS:
            self.add_widget(self._key(char, char, fixed_language="en"))
