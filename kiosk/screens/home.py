"""Home: the four big choices, the language, the text size and speech on/off."""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.screens.base import KioskScreen, load_rules
from kiosk.widgets.big_button import BigButton, same_height


class OptionGroup(BoxLayout):
    """A label and its two option buttons (文字の大きさ 大 特大); the buttons go in a row."""

    label = StringProperty("")

    def add_widget(self, widget, *args, **kwargs):
        row = self.ids.get("buttons")
        if row is not None and isinstance(widget, BigButton):
            return row.add_widget(widget, *args, **kwargs)
        return super().add_widget(widget, *args, **kwargs)


load_rules(__file__)


class HomeScreen(KioskScreen):
    """What would you like to do? Nothing here needs more than one tap."""

    def on_kv_post(self, base_widget) -> None:
        # a row of languages, and the four options, each as high as the highest of them
        ids = self.ids
        same_height(
            [ids[f"lang_{code}"].__self__ for code in ("ja", "ja_easy", "en", "zh_Hans", "ko")]
        )
        same_height(
            [ids[name].__self__ for name in ("large", "extra_large", "speech_on", "speech_off")]
        )
        from kivy.app import App
        from kivy.clock import Clock

        app = App.get_running_app()
        later = Clock.create_trigger(self._option_captions, 0)  # after the kv rules' own
        for name in ("side_rail", "button_height", "text_size"):
            app.fbind(name, later)
        self._option_captions()

    def _option_captions(self, *_args) -> None:
        """Beside a short panel's rail six choices take three rows: their captions a little
        smaller (never under the body floor: BigButton) and the buttons at the touch floor,
        so that the rows fit its height."""
        from kivy.app import App

        from kiosk.theme import MIN_TOUCH_HEIGHT

        app = App.get_running_app()
        for button in self.ids.options.children:
            button.font_scale = 0.85 if app.side_rail else 1.0
            if app.side_rail:
                button.min_height = MIN_TOUCH_HEIGHT

    def choose(self, what: str) -> None:
        from kivy.app import App

        app = App.get_running_app()
        if what == "guides":
            app.show("finder")
        elif what == "faq":
            app.show("faq")
        elif what == "ask":
            app.show("ask", start=True)
        elif what == "staff":
            app.call_staff()
        elif what == "booking":
            app.start_booking()
        elif what == "lookup":
            app.show("lookup_entry", step="code")
        else:
            app.show("notice", message="This is not ready yet. Please ask the staff.")

    def choose_language(self, language: str) -> None:
        from kivy.app import App

        app = App.get_running_app()
        app.choose("language", language)
        app.record("language_chosen")

    def choose_text_size(self, text_size: str) -> None:
        from kivy.app import App

        app = App.get_running_app()
        app.choose("text_size", text_size)
        app.record("text_size_chosen")
