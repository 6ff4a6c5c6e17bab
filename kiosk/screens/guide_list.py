"""Guide list: the procedures the kiosk explains, withdrawn ones left out."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ListProperty

from kiosk.screens.base import KioskScreen, load_rules
from kiosk.widgets import BigButton

load_rules(__file__)


def offered_guides(catalog) -> list:
    """The guides a resident may pick: active ones only, in the catalog's order."""
    return [guide for guide in catalog.active_guides if not guide.withdrawn]


class GuideListScreen(KioskScreen):
    """One big button per active guide, its title in the chosen language."""

    guides = ListProperty([])

    def on_kv_post(self, base_widget) -> None:
        app = App.get_running_app()
        app.fbind("language", self._fill)
        self.fbind("guides", self._fill)

    def prepare(self, **params) -> None:
        self.guides = offered_guides(App.get_running_app().catalog)
        self._fill()

    def _fill(self, *_args) -> None:
        app = App.get_running_app()
        box = self.ids.guide_buttons
        box.clear_widgets()
        for guide in self.guides:
            button = BigButton(caption=guide.title.get(app.language), halign="left")
            button.bind(
                on_release=lambda _b, gid=guide.id: app.show("guide_overview", guide_id=gid)
            )
            box.add_widget(button)
