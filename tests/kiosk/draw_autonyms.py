"""Driven by test_autonym_fonts.py under Xvfb: each caption a language button shows in the
cut-down autonym font, drawn with it and with the whole Noto Sans CJK it was cut from, at
the sizes and weights the kiosk uses. Writes what differs as JSON (argv[1])."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kivy.core.text import Label as CoreLabel  # noqa: E402
from kivy.core.window import Window  # noqa: E402, F401 (the GL context the textures need)

from kiosk import fonts  # noqa: E402
from kiosk.i18n import AUTONYMS  # noqa: E402
from kiosk.widgets.big_button import CHOSEN, NOT_CHOSEN  # noqa: E402

OUT = Path(sys.argv[1])


def pixels(font: Path, text: str, size: int, bold: bool) -> tuple:
    label = CoreLabel(text=text, font_name=str(font), font_size=size, bold=bold)
    label.refresh()
    return label.texture.size, bytes(label.texture.pixels)


registered = fonts.register()
names = [name for code, name in AUTONYMS.items() if fonts.font_for(code) == fonts.CJK_FONT]
captions = [f"{mark} {name}" for name in names for mark in (CHOSEN, NOT_CHOSEN)] + names
compared, differ = 0, []
for bold in (False, True):
    whole, cut = fonts.NOTO[bold], fonts.AUTONYM_FILES[bold]
    for size in (28, 32, 36, 44, 48, 56):
        for caption in captions:
            a, b = pixels(whole, caption, size, bold), pixels(cut, caption, size, bold)
            compared += 1
            if a != b:
                differ.append([caption, size, bold, a[0], b[0]])
OUT.write_text(
    json.dumps(
        {
            "compared": compared,
            "differ": differ,
            "registered": registered[fonts.AUTONYM_FONT],
        }
    )
)
