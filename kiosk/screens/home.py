"""Home: the four big choices, the language, the text size and speech on/off."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_rules

load_rules(__file__)


class HomeScreen(KioskScreen):
    """What would you like to do? Nothing here needs more than one tap."""

    def choose(self, what: str) -> None:
        from kivy.app import App

        app = App.get_running_app()
        if what == "guides":
            app.show("finder")
        elif what == "faq":
            app.show("faq")
        elif what == "staff":
            app.call_staff()
        elif what == "booking":
            app.start_booking()
        else:
            app.show("notice", message="This is not ready yet. Please ask the staff.")

    def choose_language(self, language: str) -> None:
        from kivy.app import App

        app = App.get_running_app()
        app.language = language
        app.record("language_chosen")

    def choose_text_size(self, text_size: str) -> None:
        from kivy.app import App

        app = App.get_running_app()
        app.text_size = text_size
        app.record("text_size_chosen")
