"""The kiosk's widgets: PhraseLabel, BigButton, NavBar, StepPicture, ... Importing this loads their rules."""

from kiosk.widgets.big_button import BigButton
from kiosk.widgets.keypads import KanaKeyboard, NumberPad
from kiosk.widgets.nav_bar import NavBar
from kiosk.widgets.phrase_label import PhraseLabel
from kiosk.widgets.qr_image import QRImage
from kiosk.widgets.ruby_label import RubyLabel
from kiosk.widgets.step_picture import StepPicture

__all__ = [
    "BigButton",
    "KanaKeyboard",
    "NavBar",
    "NumberPad",
    "PhraseLabel",
    "QRImage",
    "RubyLabel",
    "StepPicture",
]
