"""The base of every kiosk screen: a white page whose .kv sits beside its module."""

from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import NumericProperty
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

    def on_pre_enter(self, *_args) -> None:
        """Texts whose textures were let go between visits (kiosk.memory) are drawn again,
        before the frame that shows the screen."""
        from kiosk.memory import restore_textures

        restore_textures(self)

    def forget(self) -> None:
        """Drop whatever the resident entered or saw here (idle timeout, はじめにもどる)."""

    def back(self) -> bool:
        """Handle もどる inside the screen; False lets the app go to the previous screen."""
        return False


class RoomPaging:
    """For a screen that shows its items in pages of a number by text size (classes, FAQ
    questions, checks): one fewer a page while its column is taller than the room
    (``fewer``), so that a short panel or a long language pages instead of running off the
    window. ``watch_room(column)`` once; ``room_per_page(n)`` where the number is used;
    ``room_reset()`` when what is shown starts afresh (a new list, language or text size);
    ``_repage()`` is the screen's own."""

    fewer = NumericProperty(0)

    def watch_room(self, column) -> None:
        self._room_column = column
        self._room_check = Clock.create_trigger(self._check_room, 0)
        column.fbind("minimum_height", self._room_check)
        column.fbind("height", self._room_check)

    def room_per_page(self, wanted: int) -> int:
        return max(1, int(wanted) - int(self.fewer))

    def room_reset(self) -> None:
        self.fewer = 0

    def _check_room(self, *_args) -> None:
        column = self._room_column
        if column.minimum_height <= column.height + 1 or not self._room_can_help():
            return
        if not _settled(column):
            self._room_check()  # texts still being laid out: a new label is 100 px high
            return
        if self.room_per_page(self._room_wanted()) > 1:
            self.fewer += 1
            self._repage()

    def _room_can_help(self) -> bool:
        """Whether fewer a page would make the page shown now shorter."""
        return True

    def _room_wanted(self) -> int:
        """The number a page holds before the room is asked (the text size's)."""
        raise NotImplementedError


def _settled(root) -> bool:
    """True when everything under ``root`` is laid out: no layout waiting to place its
    children, every label drawn for its text and sized to it (a height read before that is
    not the one it will have: a new label is 100 px high)."""
    from kivy.uix.label import Label
    from kivy.uix.layout import Layout

    from kiosk.widgets.phrase_label import PhraseLabel

    for widget in root.walk(restrict=True):
        if isinstance(widget, Layout) and _waiting(getattr(widget, "_trigger_layout", None)):
            return False
        if isinstance(widget, Label) and _waiting(getattr(widget, "_trigger_texture", None)):
            return False
        if not isinstance(widget, PhraseLabel) or not widget.source:
            continue
        core = getattr(widget, "_label", None)
        if not widget._laid_out or (core is not None and core.text != widget.text):
            return False
        if _waiting(getattr(widget, "_reflow_trigger", None)):
            return False
        if widget.fit_height and abs(widget.height - widget.texture_size[1]) > 1:
            return False
    return True


def _waiting(event) -> bool:
    """A Clock trigger that has been called and not yet run."""
    return bool(event is not None and getattr(event, "is_triggered", 0))
