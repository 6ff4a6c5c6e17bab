"""Guide step: one step of a procedure — counter, what to do, what the screen shows, speech.

A step with an illustration shows it in the room left between the text and the buttons,
as large as that room allows: the text is laid out exactly as without a picture, so it
can never be pushed into the buttons. Where a long text leaves too little room (some
steps at 特大), the picture is left out rather than shrunk to a stamp.

With speech on, the step is read on entering it; 読み上げ (in the NavBar, as on every
screen) reads it again, 止める stops, 音量 − / ＋ change the volume. ふりがな shows
readings over kanji.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk.guide_flow import GuideEvents
from kiosk.screens.base import KioskScreen, load_rules
from kiosk.widgets.step_picture import picture_path

load_rules(__file__)

#: languages written with kanji, where ふりがな is offered
RUBY_LANGUAGES = ("ja", "ja-easy")


def step_counter(index: int, total: int) -> str:
    """The counter shown for the step at 0-based ``index``: "3 / 9"."""
    return f"{index + 1} / {total}"


class GuideStepScreen(KioskScreen):
    """Walks ``guide`` step by step; もどる goes to the previous step first."""

    guide = ObjectProperty(None, allownone=True)
    index = NumericProperty(0)
    step_text = StringProperty("")
    screen_text = StringProperty("")
    #: the PNG of this step's illustration, "" when the step has none
    picture = StringProperty("")
    counter = StringProperty("")
    title_text = StringProperty("")
    #: the clip of this step built ahead of time, "" when none was (it is then spoken on first use)
    clip = StringProperty("")
    furigana = BooleanProperty(False)
    overrides = ObjectProperty({})
    #: the hand-off URL at the step that says to scan the screen's QR code, else ""
    handoff_url = StringProperty("")
    handoff_label = StringProperty("")

    def on_kv_post(self, base_widget) -> None:
        App.get_running_app().fbind("language", self.refresh)
        self.fbind("index", self._step_changed)
        self.fbind("guide", self.refresh)

    def prepare(
        self, guide_id: str | None = None, step: int = 1, furigana: bool | None = None, **params
    ) -> None:
        app = App.get_running_app()
        if guide_id is None:
            guide_id = app.catalog.active_guides[0].id
        if furigana is not None:
            self.furigana = furigana
        self.guide = app.catalog.guide(guide_id)
        self.overrides = dict(self.guide.furigana)
        index = max(0, min(step - 1, len(self.guide.steps) - 1))
        if index == self.index:
            self._step_changed()
        else:
            self.index = index  # _step_changed follows

    def _step_changed(self, *_args) -> None:
        self.refresh()
        if self.guide is None:
            return
        app = App.get_running_app()
        GuideEvents(app.record).step(self.guide.id, self.index)
        if self.handoff_url:
            GuideEvents(app.record).handoff(self.guide.id)
        if app.speech:
            self.read_aloud()

    def refresh(self, *_args) -> None:
        if self.guide is None:
            return
        app = App.get_running_app()
        language = app.language
        step = self.guide.steps[self.index]
        self.title_text = self.guide.title.get(language)
        self.step_text = step.text.get(language)
        self.screen_text = step.screen.get(language) if step.screen is not None else ""
        self.counter = step_counter(self.index, len(self.guide.steps))
        # the QR code is shown where the step says to scan it, in the picture's place
        self.handoff_url = self.guide.handoff.url if getattr(step, "handoff", False) else ""
        self.handoff_label = self.guide.handoff.label.get(language)
        self.picture = (
            ""
            if self.handoff_url
            else picture_path(
                app.catalog.root, step.illustration, app.config_values.data_dir / "pictures"
            )
        )
        clip = app.clip_for(self.step_text)
        self.clip = str(clip) if clip else ""

    def next_step(self) -> None:
        app = App.get_running_app()
        app.stop_speaking()
        if self.index < len(self.guide.steps) - 1:
            self.index += 1
            return
        GuideEvents(app.record).finished(self.guide.id)
        # the checks came before the steps (guide_walk): the end is the hand-off screen
        app.show("guide_handoff", guide_id=self.guide.id)

    def back(self) -> bool:
        if self.index > 0:
            App.get_running_app().stop_speaking()
            self.index -= 1
            return True
        return False

    def speech_text(self, language: str) -> list[str]:
        """The step as written (its clip is built ahead), then what the phone's screen shows."""
        if self.guide is None:
            return []
        step = self.guide.steps[self.index]
        texts = [step.text.get(language)]
        if step.screen is not None:
            texts += [
                App.get_running_app().tr("The screen shows", language),
                step.screen.get(language),
            ]
        return texts

    def read_aloud(self) -> None:
        """Read this step aloud (the NavBar's 読み上げ does the same)."""
        app = App.get_running_app()
        app.read_aloud(self)
        GuideEvents(app.record).speech(self.guide.id if self.guide else "", self.index + 1)

    def toggle_furigana(self) -> None:
        self.furigana = not self.furigana

    def forget(self) -> None:
        self.furigana = False
        self.guide = None
        self.index = 0
        self.picture = ""
        self.handoff_url = ""
