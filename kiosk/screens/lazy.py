"""A screen manager that builds each screen the first time it is asked for.

Building every screen at start (and parsing its .kv rules) took about three quarters of
the kiosk's cold start, for screens most visits never open. Here a screen's module is
imported, its rules loaded and the screen built on the first ``get_screen`` — which
``manager.current = name`` calls too, so the rest of the kiosk does not know the difference.
"""

from __future__ import annotations

from importlib import import_module

from kivy.uix.screenmanager import ScreenManager


def screen_class(where: str | type) -> type:
    """The class a registry entry names: a class, or ``"package.module:ClassName"``."""
    if not isinstance(where, str):
        return where
    module, _, name = where.partition(":")
    return getattr(import_module(module), name)


class LazyScreenManager(ScreenManager):
    """A ScreenManager over a registry of name -> class (or "module:Class"), built on demand."""

    def __init__(self, registry: dict[str, str | type], **kwargs) -> None:
        super().__init__(**kwargs)
        self.registry = dict(registry)

    def get_screen(self, name: str):
        if name in self.registry and not super().has_screen(name):
            self.add_widget(screen_class(self.registry[name])(name=name))
        return super().get_screen(name)

    def has_screen(self, name: str) -> bool:
        return name in self.registry or super().has_screen(name)

    def build_all(self) -> None:
        """Every registered screen, now (screenshots and the floors tests walk them all)."""
        for name in self.registry:
            self.get_screen(name)
