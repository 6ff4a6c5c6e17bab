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

from content.raster_cache import cached_png

log = logging.getLogger(__name__)

#: below this height (px on a 1080p screen) a picture says nothing to a senior: left out
MIN_HEIGHT = 120


#: a picture is a PNG or JPEG as it is (an upload), or an SVG drawn into a PNG
_RASTERS = (".png", ".jpg", ".jpeg")
#: PNGs a child process could not draw (a broken SVG): not tried again until it changes
_refused: set[Path] = set()
#: the child: content.media.kiosk_picture, which draws with resvg into the cache
_DRAW = (
    "import sys; from pathlib import Path; from content.media import kiosk_picture; "
    "found = kiosk_picture(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])); "
    "print(found or '')"
)


def picture_path(root: Path | None, illustration: str | None, cache_dir: Path) -> str:
    """The PNG to show for a step's ``illustration`` (media/x.svg), "" when there is none.

    A bundle carries the PNG beside the SVG, an upload is its own picture, and a picture
    drawn before (by this kiosk or an earlier run) is in ``cache_dir``: all are found
    here. Otherwise (a kiosk running from the content folder, a picture never drawn) the
    SVG is drawn once into ``cache_dir`` by ``content.media.kiosk_picture`` in a child
    process: resvg and XML parsing would stay in the kiosk for the day (about 4 MiB,
    issue 21) for a picture drawn once.
    """
    if root is None or not illustration:
        return ""
    svg = Path(root) / illustration
    if svg.suffix.lower() in _RASTERS:
        return str(svg) if svg.is_file() else ""
    bundled = svg.with_suffix(".png")
    if bundled.is_file():
        return str(bundled)
    try:
        cached = cached_png(svg, cache_dir)  # named by the SVG's bytes: an edit is new
    except OSError:
        return ""
    if cached.is_file():  # drawn already: no child, no wait on the step
        return str(cached)
    if cached in _refused:
        return ""
    found = _draw_apart(Path(root), illustration, cache_dir)
    if found and Path(found).is_file():
        return found
    _refused.add(cached)
    return ""


def _draw_apart(root: Path, illustration: str, cache_dir: Path) -> str:
    """``content.media.kiosk_picture`` run in a child process: the PNG's path, or ""."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    try:
        done = subprocess.run(
            [sys.executable, "-c", _DRAW, str(root), illustration, str(cache_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("illustration %s cannot be drawn: %s", illustration, type(exc).__name__)
        return ""
    found = done.stdout.strip().splitlines()[-1:] if done.returncode == 0 else []
    if not found or not found[0]:
        reason = (done.stderr.strip().splitlines() or ["no picture"])[-1]
        log.warning("illustration %s cannot be drawn: %s", illustration, reason)
        return ""
    return found[0]


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
