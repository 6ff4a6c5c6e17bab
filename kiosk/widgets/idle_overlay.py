"""「続けますか？」: the idle warning over any screen, with a countdown and one big button."""

from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import NumericProperty

from kiosk.widgets.dialog import KioskDialog

Builder.load_string("""
#:import theme kiosk.theme
#:import speech_bar_module kiosk.widgets.speech_bar
<IdleOverlay>:
    # a portrait panel is narrow: nearly its whole width, so the speech captions stay whole
    size_hint: (0.94 if app.portrait else 0.7), None
    height: box.minimum_height
    DialogPanel:
        id: box
        Heading:
            source: app.tr("Do you want to continue?", app.language)
            halign: "center"
        PhraseLabel:
            source: app.tr("In %(seconds)d seconds the screen goes back to the start and what you entered is deleted.", app.language) % {"seconds": root.seconds}
            halign: "center"
        BigButton:
            caption: app.tr("Continue", app.language)
            on_release: root.dismiss()
        SpeechBar:
            id: speech_bar
""")


class IdleOverlay(KioskDialog):
    """Any touch on it answers 続けます (the app's touch hook sees it first)."""

    seconds = NumericProperty(20)

    def speech_text(self, language: str) -> list[str]:
        """読み上げ on the warning reads the warning."""
        from kiosk.widgets.speech_bar import screen_texts

        return screen_texts(self.ids.box, language)

    def speech_touch(self, touch) -> bool:
        """True when ``touch`` is on the warning's speech controls (it does not answer it)."""
        bar = self.ids.speech_bar
        return bar.collide_point(*bar.parent.to_widget(touch.x, touch.y))

    def on_dismiss(self) -> None:
        from kivy.app import App

        App.get_running_app().stop_speaking()
