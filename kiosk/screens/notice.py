"""Notice: one calm message (a part not built yet, or where to find staff)."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen, load_rules

load_rules(__file__)


class NoticeScreen(KioskScreen):
    """Shows ``message`` (an English msgid, translated as the language changes)."""

    message = StringProperty("")

    def prepare(self, message: str = "", **params) -> None:
        self.message = message
