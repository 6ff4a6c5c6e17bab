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
    """A screen with hooks: ``prepare`` before it is shown, ``back`` for もどる."""

    def prepare(self, **params) -> None:
        """Take what the screen needs to show (e.g. a guide id) before it is entered."""

    def forget(self) -> None:
        """Drop whatever the resident entered or saw here (idle timeout, はじめにもどる)."""

    def back(self) -> bool:
        """Handle もどる inside the screen; False lets the app go to the previous screen."""
        return False
