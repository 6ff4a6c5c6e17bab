"""The kiosk's widgets: PhraseLabel, BigButton, NavBar. Importing this loads their rules."""

from kiosk.widgets.big_button import BigButton
from kiosk.widgets.nav_bar import NavBar
from kiosk.widgets.phrase_label import PhraseLabel

__all__ = ["BigButton", "NavBar", "PhraseLabel"]
