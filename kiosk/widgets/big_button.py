"""BigButton: a touch target at least 96 px high, high contrast, state shown by shape too."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior

from kiosk.widgets.phrase_label import SAFETY, PhraseLabel, text_width

#: marks of an option button, so that the chosen one is not told by colour alone
CHOSEN, NOT_CHOSEN = "●", "○"


class BigButton(ButtonBehavior, PhraseLabel):
    """A button whose caption is laid out by phrases; ``choice`` buttons show ● / ○."""

    caption = StringProperty("")
    #: an option among several (language, text size): shows ● when chosen, ○ when not
    choice = BooleanProperty(False)
    selected = BooleanProperty(False)
    #: the ● / ○ mark on a line of its own, above the caption (a narrow button)
    mark_apart = BooleanProperty(False)
    #: the least height; 0 means the app's button height for the text size
    min_height = NumericProperty(0)
    #: the caption's size relative to the app's button size
    font_scale = NumericProperty(1.0)
    #: the caption's size when not the app's button size (a language's name at the body
    #: size); 0 for ``app.button_size * font_scale``
    base_font = NumericProperty(0)

    def __init__(self, **kwargs):
        kwargs.setdefault("fit_height", False)
        super().__init__(**kwargs)
        for name in ("caption", "choice", "selected", "mark_apart"):
            self.fbind(name, self._compose)
        self._compose()

    def natural_width(self) -> float:
        """The width that holds the caption on one line at the size its rule asks for."""
        size = self.asked_font_size
        lines = self.source.split("\n")
        widest = max(
            (text_width(self.font_name, size, self.bold, line) for line in lines), default=0
        )
        return widest + self.padding[0] + self.padding[2] + SAFETY + 4

    def _compose(self, *_args) -> None:
        if self.choice:
            mark = CHOSEN if self.selected else NOT_CHOSEN
            self.source = f"{mark}{chr(10) if self.mark_apart else ' '}{self.caption}"
        else:
            self.source = self.caption


def same_height(buttons: list[BigButton]) -> None:
    """Keep ``buttons`` (a row of equals: the languages) as high as the highest one needs."""
    from kivy.app import App

    app = App.get_running_app()

    def even(*_args) -> None:
        need = max([app.button_height] + [b.texture_size[1] + 32 for b in buttons])
        for button in buttons:
            button.min_height = need

    for button in buttons:
        button.fbind("texture_size", even)
    app.fbind("button_height", even)
    even()
