"""GlossaryBar: 「？ リンク」 buttons for the hard words a screen shows; each opens its meaning.

Put a ``GlossaryBar`` on a screen and set ``texts`` to what the screen shows: it finds the
words of ``kiosk.glossary`` in them and shows one ≥96 px button per word (none: no room
taken). A tap opens ``GlossaryPopup``: the word, a short explanation, 読み上げ and とじる;
the explanation is read aloud as it opens.
"""

from __future__ import annotations

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import ListProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

from kiosk.glossary import term, terms_in
from kiosk.i18n import N_, gettext_in
from kiosk.widgets.big_button import BigButton
from kiosk.widgets.dialog import KioskDialog

#: the question mark on each button (full width: it reads as one mark in Japanese text)
MARK = "？"
CLOSE = N_("Close")

Builder.load_string("""
#:import theme kiosk.theme
# white with a thick blue frame: not taken for one of the screen's own buttons
<GlossaryButton>:
    color: theme.BUTTON
    canvas.before:
        Color:
            rgba: theme.BUTTON
        Rectangle:
            pos: self.pos
            size: self.size
        Color:
            rgba: theme.BACKGROUND if self.state == "normal" else theme.PANEL
        Rectangle:
            pos: self.x + 6, self.y + 6
            size: self.width - 12, self.height - 12

<GlossaryBar>:
    rows: 1
    spacing: theme.GAP
    size_hint_y: None
    height: self.minimum_height if self.children else 0
    # the buttons keep to the left; the room after them stays empty
    col_force_default: False
    opacity: 1 if self.children else 0

<GlossaryPopup>:
    height: box.minimum_height
    DialogPanel:
        id: box
        Heading:
            id: name
            source: root.mark + " " + app.tr(root.name, app.language) if root.name else ""
        PhraseLabel:
            id: explanation
            source: app.tr(root.explanation, app.language) if root.explanation else ""
        GridLayout:
            rows: 1
            spacing: theme.GAP
            size_hint_y: None
            height: self.minimum_height
            BigButton:
                id: read
                caption: app.tr("Read aloud", app.language)
                on_release: root.read_aloud()
            BigButton:
                id: close
                caption: app.tr("Close", app.language)
                on_release: root.dismiss()
""")


class GlossaryButton(BigButton):
    """「？ NFC」: opens the word's explanation."""

    term_id = StringProperty("")


class GlossaryPopup(KioskDialog):
    """One word's meaning, written and spoken; とじる (or any tap on it) goes back."""

    term_id = StringProperty("")
    name = StringProperty("")
    explanation = StringProperty("")
    mark = StringProperty(MARK)

    def __init__(self, term_id: str, **kwargs):
        found = term(term_id)
        super().__init__(term_id=term_id, name=found.name, explanation=found.explanation, **kwargs)

    def speech_text(self, language: str) -> list[str]:
        """読み上げ reads the word and its meaning."""
        return [gettext_in(self.name, language), gettext_in(self.explanation, language)]

    def on_open(self) -> None:
        app = App.get_running_app()
        if getattr(app, "speech", False):
            self.read_aloud()

    def read_aloud(self) -> None:
        app = App.get_running_app()
        read = getattr(app, "read_aloud", None)
        if callable(read):
            read(self)

    def on_dismiss(self) -> None:
        App.get_running_app().stop_speaking()


class GlossaryBar(GridLayout):
    """A row of 「？ word」 buttons for the hard words in ``texts`` (in the app's language)."""

    texts = ListProperty([])
    language = StringProperty("ja")
    #: the popup open now (tests and screenshots look at it)
    popup = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("texts", self._fill)
        self.fbind("language", self._fill)

    def _fill(self, *_args) -> None:
        self.clear_widgets()
        app = App.get_running_app()
        size = getattr(app, "button_size", 40) * 0.85
        for found in terms_in(self.texts, self.language)[:3]:
            caption = f"{MARK} {gettext_in(found.name, self.language)}"
            # as wide as its words (a full-width character is about one font size wide)
            width = sum(size * (0.6 if c.isascii() else 1.0) for c in caption) + 96
            button = GlossaryButton(
                caption=caption, font_scale=0.85, term_id=found.id, size_hint_x=None, width=width
            )
            button.bind(on_release=lambda _b, t=found.id: self.explain(t))
            self.add_widget(button)

    def explain(self, term_id: str) -> GlossaryPopup:
        GlossaryBar.popup = GlossaryPopup(term_id)
        GlossaryBar.popup.open()
        return GlossaryBar.popup
