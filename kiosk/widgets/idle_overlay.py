"""「続けますか？」: the idle warning over any screen, with a countdown and one big button."""

from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView

Builder.load_string("""
#:import theme kiosk.theme
<IdleOverlay>:
    auto_dismiss: False
    size_hint: 0.7, None
    height: box.minimum_height
    background_color: 0, 0, 0, 0.6
    background: ""
    BoxLayout:
        id: box
        orientation: "vertical"
        padding: theme.GAP * 3
        spacing: theme.GAP * 2
        size_hint_y: None
        height: self.minimum_height
        canvas.before:
            Color:
                rgba: theme.FRAME
            Rectangle:
                pos: self.pos
                size: self.size
            Color:
                rgba: theme.BACKGROUND
            Rectangle:
                pos: self.x + 6, self.y + 6
                size: self.width - 12, self.height - 12
        Heading:
            source: app.tr("Do you want to continue?", app.language)
            halign: "center"
        PhraseLabel:
            source: app.tr("In %(seconds)d seconds the screen goes back to the start and what you entered is deleted.", app.language) % {"seconds": root.seconds}
            halign: "center"
        BigButton:
            caption: app.tr("Continue", app.language)
            on_release: root.dismiss()
""")


class IdleOverlay(ModalView):
    """Any touch on it answers 続けます (the app's touch hook sees it first)."""

    seconds = NumericProperty(20)
