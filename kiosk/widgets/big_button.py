"""BigButton: a touch target at least 96 px high, high contrast, state shown by shape too."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior

from kiosk.widgets.phrase_label import PhraseLabel

#: marks of an option button, so that the chosen one is not told by colour alone
CHOSEN, NOT_CHOSEN = "●", "○"


class BigButton(ButtonBehavior, PhraseLabel):
    """A button whose caption is laid out by phrases; ``choice`` buttons show ● / ○."""

    caption = StringProperty("")
    #: an option among several (language, text size): shows ● when chosen, ○ when not
    choice = BooleanProperty(False)
    selected = BooleanProperty(False)
    #: the least height; 0 means the app's button height for the text size
    min_height = NumericProperty(0)
    #: the caption's size relative to the app's button size
    font_scale = NumericProperty(1.0)

    def __init__(self, **kwargs):
        kwargs.setdefault("fit_height", False)
        super().__init__(**kwargs)
        for name in ("caption", "choice", "selected"):
            self.fbind(name, self._compose)
        self._compose()

    def _compose(self, *_args) -> None:
        if self.choice:
            self.source = f"{CHOSEN if self.selected else NOT_CHOSEN} {self.caption}"
        else:
            self.source = self.caption
