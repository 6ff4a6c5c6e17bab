"""The kiosk's own screens: "please wait" after an error, and the staff PIN."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty

from kiosk.lockdown import pin_matches
from kiosk.screens.base import KioskScreen, load_rules

load_rules(__file__)

PIN_MAX = 8


class PleaseWaitScreen(KioskScreen):
    """Calm words while the kiosk recovers from an error; it goes home by itself."""


class StaffPinScreen(KioskScreen):
    """Reached only by the corner sequence: the right PIN closes the kiosk."""

    typed = StringProperty("")
    wrong = BooleanProperty(False)

    def prepare(self, **params) -> None:
        self.typed, self.wrong = "", False

    def key(self, value: str) -> None:
        self.wrong = False
        if value == "delete":
            self.typed = self.typed[:-1]
        elif len(self.typed) < PIN_MAX:
            self.typed += value

    def submit(self) -> None:
        app = App.get_running_app()
        if pin_matches(self.typed, app.config_values.staff_pin):
            app.staff_exit()
        else:
            self.typed, self.wrong = "", True

    def forget(self) -> None:
        self.typed, self.wrong = "", False
