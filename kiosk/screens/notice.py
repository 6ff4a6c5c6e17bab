"""Notice: one calm message (a part not built yet, where to find staff, staff are coming).

After 職員を呼ぶ this is the please-wait screen: the app (``KioskApp.call_staff``) keeps
it up until staff take or close the call, and changes its message as the call goes
(「職員を呼んでいます」 → 「職員が来ます」 → 「職員が向かっています」). It has the
navigation bar of every screen: もどる gives the resident's screen back (the call stands).
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen, load_rules

load_rules(__file__)


class NoticeScreen(KioskScreen):
    """Shows ``message`` and ``detail`` (English msgids, translated as the language changes)."""

    message = StringProperty("")
    detail = StringProperty("")

    def prepare(self, message: str = "", detail: str = "", **params) -> None:
        self.message = message
        self.detail = detail

    def back(self) -> bool:
        """もどる: the screen before, as the resident left it (not started afresh)."""
        app = App.get_running_app()
        app.stop_speaking()
        if app.history:
            app.root.current = app.history.pop()
        else:
            app.show("home", remember=False)
        return True

    def forget(self) -> None:
        self.message = self.detail = ""
