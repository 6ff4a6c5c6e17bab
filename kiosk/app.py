"""The kiosk app: fonts, state as Kivy properties, the screens and the way between them.

A thin GUI: what a guide says comes from the content catalog (``content.loader``),
audio from the speech cache (``content.speech``); the kiosk never opens the database.
Import this module only after Kivy is configured (``kiosk.cli`` does that).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk import fonts, i18n, theme

log = logging.getLogger(__name__)
KIOSK_DIR = Path(__file__).resolve().parent


class KioskApp(App):
    """The touch app; its properties are the visit's state that every screen follows."""

    title = "Tsunagu"
    language = OptionProperty("ja", options=list(i18n.LANGUAGES))
    text_size = OptionProperty("large", options=list(theme.TEXT_SIZES))
    speech = BooleanProperty(True)
    #: the registered font that has this language's glyphs
    font_name = StringProperty(fonts.JAPANESE_FONT)
    body_size = NumericProperty(theme.SIZES["large"].body)
    heading_size = NumericProperty(theme.SIZES["large"].heading)
    button_size = NumericProperty(theme.SIZES["large"].button)
    button_height = NumericProperty(theme.SIZES["large"].button_height)
    bar_height = NumericProperty(theme.SIZES["large"].bar_height)
    catalog = ObjectProperty(None, allownone=True)
    #: screen names visited, for もどる
    history = ListProperty([])

    def __init__(self, server: str = "", token: str = "", catalog=None, **kwargs):
        super().__init__(**kwargs)
        self.server = server
        self.token = token
        self.catalog = catalog
        self.sound = None
        self.fbind("language", self._language_changed)
        self.fbind("text_size", self._text_size_changed)
        self._language_changed()
        self._text_size_changed()

    # -- state -----------------------------------------------------------------------
    def _language_changed(self, *_args) -> None:
        i18n.set_language(self.language)
        self.font_name = fonts.font_for(self.language)

    def _text_size_changed(self, *_args) -> None:
        sizes = theme.SIZES[self.text_size]
        self.body_size = sizes.body
        self.heading_size = sizes.heading
        self.button_size = sizes.button
        self.button_height = sizes.button_height
        self.bar_height = sizes.bar_height

    def tr(self, message: str, language: str) -> str:
        """``message`` in ``language``; kv rules pass app.language so they re-run on a switch."""
        return i18n.gettext_in(message, language)

    def font_of(self, language: str) -> str:
        """The font for text written in ``language`` (a language button's own name)."""
        return fonts.font_for(language)

    # -- building --------------------------------------------------------------------
    def build(self) -> ScreenManager:
        fonts.register()
        Window.clearcolor = theme.BACKGROUND
        Builder.load_file(str(KIOSK_DIR / "widgets" / "widgets.kv"))
        if self.catalog is None:
            from content.loader import load_catalog

            self.catalog = load_catalog()
        from kiosk.screens import SCREENS

        manager = ScreenManager(transition=NoTransition())
        for name, screen_class in SCREENS.items():
            manager.add_widget(screen_class(name=name))
        return manager

    # -- moving between screens ------------------------------------------------------
    def show(self, name: str, remember: bool = True, **params) -> None:
        """Go to screen ``name``, handing it ``params`` (e.g. guide_id)."""
        self.stop_speaking()
        manager: ScreenManager = self.root
        screen = manager.get_screen(name)
        if remember and manager.current != name:
            self.history.append(manager.current)
        screen.prepare(**params)
        manager.current = name

    def go_back(self) -> None:
        """もどる: the screen handles it (e.g. the previous step), else the previous screen."""
        self.stop_speaking()
        if self.root.current_screen.back():
            return
        if self.history:
            self.show(self.history.pop(), remember=False)
        else:
            self.go_home()

    def go_home(self) -> None:
        """はじめにもどる: Home, with the way back forgotten."""
        self.history = []
        self.show("home", remember=False)

    def call_staff(self) -> None:
        """職員を呼ぶ: for now a screen that sends the resident to the counter."""
        # The help request to /api/v1/help-requests comes with the API client.
        self.show("notice", message="Please ask at the counter. A staff member will help you.")

    # -- speech ----------------------------------------------------------------------
    def clip_for(self, text: str) -> Path | None:
        """The cached audio of ``text`` in the current language, or None when none was built."""
        from content.speech import audio_path

        try:
            return audio_path(text, self.language)
        except (OSError, ValueError, KeyError) as exc:  # a broken cache must not stop the kiosk
            log.warning("audio cache unreadable: %s", exc)
            return None

    def speak(self, clip: Path) -> None:
        """Play ``clip``, stopping whatever was playing."""
        from kivy.core.audio import SoundLoader

        self.stop_speaking()
        self.sound = SoundLoader.load(str(clip))
        if self.sound is not None:
            self.sound.play()

    def stop_speaking(self) -> None:
        if self.sound is not None:
            self.sound.stop()
            self.sound = None

    # -- screenshots -----------------------------------------------------------------
    def screenshot_then_stop(self, path: Path, screen: str, params: dict) -> None:
        """Draw ``screen``, check it against UX.md, save a 1920x1080 PNG at ``path``, quit.

        ``self.exit_code`` is 0 on success; the problems found are in ``self.problems``.
        """
        self.exit_code = 1
        self.problems: list[str] = []

        def show(_dt):
            self.show(screen, **params)
            Clock.schedule_once(check, 0.4)  # a few frames: layouts and re-flows settle

        def check(_dt):
            from kiosk.checks import problems

            self.problems = problems(self.root, Window.size)
            Clock.schedule_once(shoot, 0.1)

        def shoot(_dt):
            path.parent.mkdir(parents=True, exist_ok=True)
            # Kivy appends a counter to the name (x.png -> x0001.png): shoot, then rename
            written = Window.screenshot(name=str(path.with_name(f".{path.stem}-shot.png")))
            if written and os.path.exists(written):
                os.replace(written, path)
                self.exit_code = 0 if not self.problems else 2
            else:
                self.problems.append(f"the screenshot was not written ({written!r})")
            self.stop()

        Clock.schedule_once(show, 0.2)
