"""Screens are built the first time they are shown (kiosk.screens.lazy), not at start."""

from __future__ import annotations

import pytest

pytest.importorskip("kivy")


def test_a_screen_is_built_when_first_asked_for_and_only_once():
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManagerException

    from kiosk.screens.lazy import LazyScreenManager

    manager = LazyScreenManager(
        {"home": Screen, "far": "kivy.uix.screenmanager:Screen"}, transition=NoTransition()
    )
    assert manager.screens == [] and manager.has_screen("far")
    home = manager.get_screen("home")
    assert [s.name for s in manager.screens] == ["home"]
    manager.current = "far"  # as app.show does: built on the way
    assert manager.current_screen.name == "far"
    assert manager.get_screen("home") is home and len(manager.screens) == 2
    with pytest.raises(ScreenManagerException):
        manager.get_screen("nowhere")


def test_the_kiosk_registry_names_importable_screens():
    from kiosk.screens import SCREENS
    from kiosk.screens.base import KioskScreen
    from kiosk.screens.lazy import screen_class

    for name, where in SCREENS.items():
        assert issubclass(screen_class(where), KioskScreen), name
