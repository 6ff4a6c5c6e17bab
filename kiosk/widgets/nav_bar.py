"""NavBar: もどる, はじめにもどる and 職員を呼ぶ, in the same place on every screen."""

from __future__ import annotations

from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout


class NavBar(BoxLayout):
    """The bar at the foot of every screen; ``can_go_back`` is False only on Home."""

    can_go_back = BooleanProperty(True)
