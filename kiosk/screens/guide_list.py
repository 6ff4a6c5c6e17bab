"""Guide list: the procedures the kiosk explains, withdrawn ones left out."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ListProperty

from kiosk.guide_flow import chunks
from kiosk.screens.base import load_rules
from kiosk.screens.guide_walk import PagedScreen
from kiosk.widgets import BigButton

load_rules(__file__)


def offered_guides(catalog) -> list:
    """The guides a resident may pick: active ones only, in the catalog's order."""
    return [guide for guide in catalog.active_guides if not guide.withdrawn]


class GuideListScreen(PagedScreen):
    """One big button per active guide, its title in the chosen language; all on one page
    where they fit, else in pages (a short panel, a long language at 特大)."""

    guides = ListProperty([])

    def on_kv_post(self, base_widget) -> None:
        app = App.get_running_app()
        app.fbind("language", self.fresh)
        app.fbind("text_size", self.fresh)
        self.fbind("guides", self.fresh)
        self.fbind("page", self._fill)
        self.ids.column.fbind("width", self._fill)
        self.watch_room(self.ids.column)

    def prepare(self, **params) -> None:
        self.page = 0
        self.guides = offered_guides(App.get_running_app().catalog)
        self.fresh()

    def _room_wanted(self) -> int:
        return max(1, len(self.guides))

    def _room_can_help(self) -> bool:
        return len(self.ids.guide_buttons.children) > 1

    def _repage(self, *_args) -> None:
        self.pages = len(chunks(self.guides, self.room_per_page(self._room_wanted())))
        self.page = min(self.page, self.pages - 1)
        self._fill()

    def _columns(self) -> int:
        """Two columns, or one where a title's longest word (こくみんけんこうほけんりょうを)
        would not fit half the width, even at the smallest caption size, or on a portrait panel."""
        from kiosk.layout import phrases
        from kiosk.theme import GAP, MIN_BODY
        from kiosk.widgets.phrase_label import SAFETY, text_width

        app = App.get_running_app()
        if app.portrait:
            return 1
        column = self.ids.column
        half = (column.width - column.padding[0] - column.padding[2] - GAP) / 2
        room = half - 2 * (GAP + 8) - SAFETY
        font = app.font_name
        for guide in self.guides:
            title = guide.title.get(app.language)
            for piece in phrases(title, app.language):
                if text_width(font, MIN_BODY, True, piece.strip(" \u3000")) > room:
                    return 1
        return 2

    def _fill(self, *_args) -> None:
        app = App.get_running_app()
        box = self.ids.guide_buttons
        columns = self._columns()
        page = chunks(self.guides, self.room_per_page(self._room_wanted()))[self.page]
        titles = [(g.id, g.title.get(app.language)) for g in page]
        shown = (columns, app.language, app.text_size, titles)
        if box.children and shown == getattr(self, "_shown", None):
            # the same buttons as the last time (the list shown again on the way to a guide):
            # kept, not built again each time (issue 21: the kiosk's memory grew by about
            # 3 MiB of scattered Python objects over a day of such screen changes)
            return
        self._shown = shown
        box.clear_widgets()
        box.cols = columns
        for guide in page:
            button = BigButton(caption=guide.title.get(app.language), halign="left")
            button.bind(
                on_release=lambda _b, gid=guide.id: app.show("guide_overview", guide_id=gid)
            )
            box.add_widget(button)
