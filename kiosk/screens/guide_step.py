"""Guide step: one step of a procedure — counter, what to do, what the screen shows, speech."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import NumericProperty, ObjectProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_rules

load_rules(__file__)


def step_counter(index: int, total: int) -> str:
    """The counter shown for the step at 0-based ``index``: "3 / 9"."""
    return f"{index + 1} / {total}"


class GuideStepScreen(KioskScreen):
    """Walks ``guide`` step by step; もどる goes to the previous step first."""

    guide = ObjectProperty(None, allownone=True)
    index = NumericProperty(0)
    step_text = StringProperty("")
    screen_text = StringProperty("")
    counter = StringProperty("")
    title_text = StringProperty("")
    #: the cached clip of this step, "" when none was built (the button is then hidden)
    clip = StringProperty("")

    def on_kv_post(self, base_widget) -> None:
        App.get_running_app().fbind("language", self.refresh)
        self.fbind("index", self.refresh)
        self.fbind("guide", self.refresh)

    def prepare(self, guide_id: str | None = None, step: int = 1, **params) -> None:
        app = App.get_running_app()
        if guide_id is None:
            guide_id = app.catalog.active_guides[0].id
        self.guide = app.catalog.guide(guide_id)
        self.index = max(0, min(step - 1, len(self.guide.steps) - 1))
        self.refresh()

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
        clip = app.clip_for(self.step_text)
        self.clip = str(clip) if clip else ""

    def next_step(self) -> None:
        if self.index < len(self.guide.steps) - 1:
            App.get_running_app().stop_speaking()
            self.index += 1
        else:
            App.get_running_app().go_home()

    def back(self) -> bool:
        if self.index > 0:
            self.index -= 1
            return True
        return False

    def read_aloud(self) -> None:
        if self.clip:
            from pathlib import Path

            App.get_running_app().speak(Path(self.clip))
