"""Guide finder: 「何をしたいですか？」 — each guide's finder question as a big button, by category."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ListProperty

from kiosk import guide_flow
from kiosk.i18n import gettext_in
from kiosk.screens.base import load_rules
from kiosk.screens.guide_walk import PagedScreen
from kiosk.widgets import BigButton, PhraseLabel

load_rules(__file__)

#: what fits on one page (a category heading costs 1, a row of two buttons 2)
BUDGET = {"large": 9, "extra-large": 6}


class FinderScreen(PagedScreen):
    """Questions grouped by category, in pages; 「すべての案内を見る」 leads to the list."""

    groups = ListProperty([])

    def on_kv_post(self, base_widget) -> None:
        app = App.get_running_app()
        app.fbind("language", self.fresh)
        app.fbind("text_size", self.fresh)
        self.fbind("page", self._fill)
        self.watch_room(self.ids.column)

    def prepare(self, **params) -> None:
        self.groups = guide_flow.finder_groups(App.get_running_app().catalog.guides.values())
        self.page = 0
        self.room_reset()
        self._repage()

    def _room_wanted(self) -> int:
        return BUDGET.get(App.get_running_app().text_size, 6)

    def _room_can_help(self) -> bool:
        # a page of one category and one row of questions is as short as a page gets
        return len(self.ids.groups.children) > 2 or any(
            len(getattr(child, "children", ())) > 2 for child in self.ids.groups.children
        )

    def _pages(self) -> list:
        return guide_flow.paginate_groups(self.groups, self.room_per_page(self._room_wanted()))

    def _repage(self, *_args) -> None:
        self.pages = len(self._pages())
        self.page = min(self.page, self.pages - 1)
        self._fill()

    def _fill(self, *_args) -> None:
        app = App.get_running_app()
        box = self.ids.groups
        box.clear_widgets()
        language = app.language
        from kivy.uix.gridlayout import GridLayout
        from kivy.uix.widget import Widget

        from kiosk.theme import GAP

        for category, guides in self._pages()[self.page]:
            name = guide_flow.CATEGORIES.get(category, category)
            box.add_widget(PhraseLabel(source=gettext_in(name, language), bold=True))
            grid = GridLayout(cols=2, spacing=GAP, size_hint_y=None)
            grid.bind(minimum_height=grid.setter("height"))
            for guide in guides:
                button = BigButton(caption=guide.finder_question.get(language), font_scale=0.9)
                button.bind(on_release=lambda _b, gid=guide.id: self.choose(gid))
                grid.add_widget(button)
            if len(guides) % 2:  # the last button keeps half the width, like the others
                grid.add_widget(Widget(size_hint_y=None, height=1))
            box.add_widget(grid)

    def choose(self, guide_id: str) -> None:
        App.get_running_app().show("guide_overview", guide_id=guide_id)

    def forget(self) -> None:
        self.groups = []
        self.page, self.pages = 0, 1
