"""SpeechNotice: one calm sentence where the speech buttons stand, when speech cannot work.

Shown when this screen has no clip to play because the audio cannot be used (the cache
cannot be read, the kiosk's disk cannot be written: ``kiosk.services.visit_speech.
SpeechHealth``). Otherwise it steps out of its layout altogether (even a widget of no
height would add the layout's spacing), so screens look exactly as they always do.

Why a sentence and not only hidden buttons: a resident who relies on 読み上げ and finds
it gone does not know whether to wait, tap elsewhere or leave; a button that does nothing
is worse (they tap again and again and think their finger is wrong). The sentence, in the
place they look for the button, says that the voice is off for now, that the screen's
text is all there, and where help is: 職員を呼ぶ, in the bar below.
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

_RULES = str(Path(__file__).with_suffix(".kv"))


class SpeechNotice(BoxLayout):
    """Visible (``shown``) while speech has a problem and ``clip`` (the screen's) is empty."""

    #: the clip of what the screen would read; with one, speech works here: nothing to say
    clip = StringProperty("")
    #: a speech problem is known now
    unavailable = BooleanProperty(False)
    shown = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        self._health = getattr(getattr(App.get_running_app(), "visit_clips", None), "health", None)
        if self._health is not None:
            self._health.subscribe(self._changed)
        self.fbind("clip", self._clip_changed)
        self.fbind("unavailable", self._update)
        self.fbind("shown", self._take_place)
        #: (layout, index) where the notice stands when shown
        self._place = None
        Clock.schedule_once(self._settle, 0)
        self.check()

    def check(self, *_args) -> None:
        """Look at the audio cache now (a screen is shown, a clip is missing)."""
        if self._health is None:
            return
        from content.speech import cache_root

        self._health.check_cache(cache_root(getattr(App.get_running_app(), "audio_dir", None)))
        self.unavailable = bool(self._health.problem)

    def _clip_changed(self, *_args) -> None:
        if not self.clip:
            self.check()
        self._update()

    def _changed(self) -> None:
        # any thread may report a problem; the widget changes on the GUI thread
        Clock.schedule_once(lambda _dt: setattr(self, "unavailable", bool(self._health.problem)))

    def _update(self, *_args) -> None:
        self.shown = self.unavailable and not self.clip

    def _settle(self, _dt) -> None:
        """Once in the tree: look again whenever the screen is shown; leave if not needed."""
        screen = self.parent
        while screen is not None and not isinstance(screen, Screen):
            screen = screen.parent
        if screen is not None:
            screen.fbind("on_pre_enter", self.check)
        if self.parent is not None:
            self._place = (self.parent, self.parent.children.index(self))
        self._take_place()

    def _take_place(self, *_args) -> None:
        if self._place is None:
            return
        layout, index = self._place
        if self.shown and self.parent is None:
            layout.add_widget(self, index=min(index, len(layout.children)))
        elif not self.shown and self.parent is layout:
            layout.remove_widget(self)


if _RULES not in Builder.files:
    Builder.load_file(_RULES)
