"""The kiosk's widgets: PhraseLabel, BigButton, NavBar, StepPicture, ...

Home needs only the first three. The others (the keypads with the booking's wording and
the Japanese calendar, the QR code with qrcode and Pillow, ruby, pictures) are imported
the first time a screen's rules or code asks for them, not at start (issue 21): their
names are registered with Kivy's Factory by module, and ``from kiosk.widgets import X``
imports X's module then.
"""

from importlib import import_module

from kivy.factory import Factory

#: class name -> the module that defines it (and loads its rules)
_MODULES = {
    "BigButton": "kiosk.widgets.big_button",
    "NavBar": "kiosk.widgets.nav_bar",
    "PhraseLabel": "kiosk.widgets.phrase_label",
    "KanaKeyboard": "kiosk.widgets.keypads",
    "NumberPad": "kiosk.widgets.keypads",
    "CodePad": "kiosk.widgets.keypads",
    "KanaHint": "kiosk.widgets.keypads",
    "QRImage": "kiosk.widgets.qr_image",
    "RubyLabel": "kiosk.widgets.ruby_label",
    "StepPicture": "kiosk.widgets.step_picture",
}

for _name, _module in _MODULES.items():
    Factory.register(_name, module=_module)


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
