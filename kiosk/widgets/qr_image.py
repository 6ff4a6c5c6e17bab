"""QRImage: a QR code drawn crisp (nearest filtering), its quiet zone kept white."""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from kiosk.qr import luminance_bytes, matrix


class QRImage(Widget):
    """Draws ``data`` as a square QR code as large as the widget allows."""

    data = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._texture = None
        for name in ("data", "size", "pos"):
            self.fbind(name, self._draw)

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        if not self.data:
            return
        if self._texture is None or getattr(self, "_texture_data", None) != self.data:
            rows = matrix(self.data)
            texture = Texture.create(size=(len(rows), len(rows)), colorfmt="luminance")
            texture.blit_buffer(luminance_bytes(rows), colorfmt="luminance", bufferfmt="ubyte")
            texture.mag_filter = "nearest"
            texture.min_filter = "nearest"
            self._texture, self._texture_data = texture, self.data
        modules = self._texture.width
        # whole pixels per module, so every module is drawn the same size
        side = (int(min(self.width, self.height)) // modules) * modules
        x = self.x + (self.width - side) / 2
        y = self.y + (self.height - side) / 2
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(texture=self._texture, pos=(int(x), int(y)), size=(side, side))
