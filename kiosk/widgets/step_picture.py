"""StepPicture: a guide step's illustration, as large as its box allows, top-aligned.

Kivy cannot draw our SVG pictures reliably, so the kiosk shows their PNG
(``content.media.kiosk_picture``: from the bundle, else rendered once into a cache).
The picture is drawn with its aspect kept, centred and pinned to the top of its box;
with no picture, or a box too low to make it out, the widget draws nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.graphics import Color, Rectangle
from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

log = logging.getLogger(__name__)

#: below this height (px on a 1080p screen) a picture says nothing to a senior: left out
MIN_HEIGHT = 120


def picture_path(root: Path | None, illustration: str | None, cache_dir: Path) -> str:
    """The PNG to show for a step's ``illustration`` (media/x.svg), "" when there is none."""
    if root is None or not illustration:
        return ""
    from content.media import kiosk_picture

    found = kiosk_picture(Path(root), illustration, cache_dir)
    return str(found) if found is not None else ""


class StepPicture(Widget):
    """Draws the PNG at ``source`` inside the widget, aspect kept, at the top, centred."""

    source = StringProperty("")
    #: the loaded picture (None when there is none or it cannot be read)
    texture = ObjectProperty(None, allownone=True)
    #: where the picture is drawn: [x, y, width, height] in the widget's coordinates
    drawn = ListProperty([0, 0, 0, 0])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("source", self._load)
        for name in ("texture", "size", "pos"):
            self.fbind(name, self._draw)

    def _load(self, *_args) -> None:
        self.texture = None
        if not self.source:
            return
        from kivy.core.image import Image as CoreImage

        try:
            # nocache: a new bundle may bring a new picture under the same name
            self.texture = CoreImage(self.source, nocache=True).texture
        except Exception as exc:  # noqa: BLE001 — a bad picture must never stop the kiosk
            log.warning("illustration %s cannot be shown: %s", self.source, exc)

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        texture = self.texture
        if texture is None or self.height < MIN_HEIGHT or self.width <= 0:
            self.drawn = [0, 0, 0, 0]
            return
        scale = min(self.width / texture.width, self.height / texture.height)
        width, height = int(texture.width * scale), int(texture.height * scale)
        x = int(self.x + (self.width - width) / 2)
        y = int(self.top - height)
        self.drawn = [x, y, width, height]
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(texture=texture, pos=(x, y), size=(width, height))
