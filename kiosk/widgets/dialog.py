"""A dialog over any screen: a dimmed backdrop and a framed panel whose height follows its
content. The idle warning (「続けますか？」) and a hard word's explanation are dialogs; each
kv rule only says what its panel holds:

    <MyDialog>:
        height: box.minimum_height
        DialogPanel:
            id: box
            Heading: ...
"""

from __future__ import annotations

from kivy.lang import Builder
from kivy.uix.modalview import ModalView

Builder.load_string("""
#:import theme kiosk.theme
<KioskDialog>:
    auto_dismiss: False
    size_hint: 0.8, None
    background_color: 0, 0, 0, 0.6
    background: ""

<DialogPanel@BoxLayout>:
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
""")


class KioskDialog(ModalView):
    """Closed only by its own buttons (or the app's idle rules), never by a stray tap."""
