"""SpeechBar: 読み上げ, 止める, 音量 − / ＋ — the same four buttons in the same place everywhere.

The bar lives in the NavBar (kiosk/widgets/widgets.kv), so every screen that has the
navigation has the speech controls too; the idle warning (続けますか？) carries one of its
own. The bar does not know what to read: it asks its owner — the screen (or the idle
warning) it stands in — for ``speech_text(language)`` and hands that to the app's
``ScreenSpeaker`` (kiosk/services/speech_player.py).

When this kiosk cannot speak here (no sound output, no voice for the language, the audio
folder cannot be written), the four buttons give way to one sentence that says why, in
the resident's language, in the place they look for the buttons; never a quiet gap.

``screen_texts`` is the default of ``speech_text``: the words shown on a screen, top to
bottom (headings, texts, the buttons' captions), leaving out what is hidden or disabled,
the navigation and speech bars, and the keys of the keyboards (their help is said instead).
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

_RULES = str(Path(__file__).with_suffix(".kv"))


def owner_of(widget: Widget):
    """The nearest ancestor that says what to read (has ``speech_text``), or None."""
    node = widget.parent
    while node is not None and node is not node.parent:
        if callable(getattr(node, "speech_text", None)):
            return node
        node = node.parent
    return None


def _hidden(widget: Widget) -> bool:
    """A disabled button (はじめのページで「前のページ」) or a label of no size says nothing."""
    return widget.disabled or widget.width <= 0 or widget.height <= 0


def screen_texts(root: Widget, language: str) -> list[str]:
    """The words ``root`` shows, in reading order, as texts to speak."""
    texts: list[str] = []

    def visit(widget: Widget) -> None:
        # the bars and the keypads say what they do themselves (not read as the screen)
        if getattr(widget, "not_read_with_the_screen", False) or widget.opacity == 0:
            return
        if isinstance(widget, Label) and not _hidden(widget):
            text = getattr(widget, "caption", "") or getattr(widget, "source", "") or widget.text
            fixed = getattr(widget, "fixed_language", "")
            # a label in another language (a language button's own name) is not for this voice
            if text and not (fixed and fixed != language and not text.isascii()):
                texts.append(text.replace("\n", " ") if widget.__class__ is Label else text)
            return
        for child in reversed(widget.children):  # children are kept last-added first
            visit(child)

    visit(root)
    return texts


class SpeechBar(BoxLayout):
    """The four speech buttons, or why this kiosk cannot speak here (``reason``, a msgid)."""

    not_read_with_the_screen = True

    reason = StringProperty("")
    #: the buttons in one row (4), or two by two (2) in the NavBar's rail
    columns = NumericProperty(4)

    def on_kv_post(self, base_widget) -> None:
        app = App.get_running_app()
        app.fbind("language", self._check_soon)
        health = getattr(getattr(app, "visit_clips", None), "health", None)
        if health is not None:
            health.subscribe(self._check_soon)
        # the widgets themselves, not the weak proxies of ``ids`` (they come and go)
        self._buttons = next(c for c in self.children if not isinstance(c, Label))
        self._why = next(c for c in self.children if isinstance(c, Label))
        self.fbind("reason", self._arrange)
        self._arrange()
        Clock.schedule_once(self._settle, 0)

    def _settle(self, _dt) -> None:
        node = self.parent
        while node is not None and node is not node.parent and not isinstance(node, Screen):
            node = node.parent
        if isinstance(node, Screen):
            # after the screen's prepare(): what it shows is known
            node.fbind("on_enter", self._check_soon)
        _when_drawn(self.check)

    def _check_soon(self, *_args) -> None:
        Clock.schedule_once(lambda _dt: self.check(), 0)

    def check(self) -> None:
        """Can this kiosk read the owner aloud now? Shows the buttons or the reason."""
        app = App.get_running_app()
        owner = owner_of(self)
        if app is None or owner is None or not hasattr(app, "speech_reason"):
            return
        self.reason = app.speech_reason(owner)

    def _arrange(self, *_args) -> None:
        buttons, why = self._buttons, self._why
        wanted = why if self.reason else buttons
        unwanted = buttons if self.reason else why
        if unwanted.parent is self:
            self.remove_widget(unwanted)
        if wanted.parent is None:
            self.add_widget(wanted)

    def read(self) -> None:
        owner = owner_of(self)
        if callable(getattr(owner, "read_aloud", None)):
            owner.read_aloud()  # a screen that also counts the reading (guide events)
        else:
            App.get_running_app().read_aloud(owner)

    def stop(self) -> None:
        App.get_running_app().stop_speaking()

    def change_volume(self, step: int) -> None:
        App.get_running_app().change_volume(step)


def _when_drawn(check) -> None:
    """``check()`` now, or, before the kiosk's first frame, just after that frame is drawn.

    Whether the kiosk can speak is asked of the speech cache's library (content.speech,
    which brings the content loader with it: 60-90 ms and a few MiB); Home's first frame
    does not wait for it (issue 21). The answer follows one frame later.
    """
    if Clock.frames_displayed > 0:
        check()
        return
    from kivy.core.window import Window

    def drawn(*_args) -> None:
        Window.unbind(on_flip=drawn)
        Clock.schedule_once(lambda _dt: check(), 0)

    Window.bind(on_flip=drawn)


if _RULES not in Builder.files:
    Builder.load_file(_RULES)
