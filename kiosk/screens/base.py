"""The base of every kiosk screen: a white page whose .kv sits beside its module."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.screenmanager import Screen

SCREENS_DIR = Path(__file__).resolve().parent


def load_rules(module_file: str) -> None:
    """Load the .kv file named like ``module_file`` (home.py -> home.kv) once."""
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)


class KioskScreen(Screen):
    """A screen with hooks: ``prepare`` before it is shown, ``back`` for もどる.

    ``speech_text`` says what 読み上げ reads (the NavBar's speech controls ask for it):
    by default the words the screen shows, top to bottom; a screen overrides it to say
    more (what was typed so far, what the keys do) or to match clips built ahead.
    """

    #: True when everything this screen says is the resident's own (a booking's result):
    #: it is spoken for this visit only, never kept in the kiosk's speech cache
    speech_private = False

    def speech_text(self, language: str) -> list[str]:
        """The texts 読み上げ reads on this screen, in ``language``, in order."""
        from kiosk.widgets.speech_bar import screen_texts

        return screen_texts(self, language)

    def prepare(self, **params) -> None:
        """Take what the screen needs to show (e.g. a guide id) before it is entered."""

    def forget(self) -> None:
        """Drop whatever the resident entered or saw here (idle timeout, はじめにもどる)."""

    def back(self) -> bool:
        """Handle もどる inside the screen; False lets the app go to the previous screen."""
        return False
