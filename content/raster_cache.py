"""Where a step's SVG picture is kept once drawn as a PNG (``content.media.kiosk_picture``
draws it): named by the SVG's own bytes, so an edited picture is drawn again.

Nothing here parses or draws: the kiosk asks it whether a picture is drawn already before
it starts a child process to draw one (kiosk/widgets/step_picture.py), without loading
resvg or an XML parser for the day (issue 21).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: width in pixels of the kiosk's PNG: sharp at the largest size the step screen draws it
RASTER_WIDTH = 720


def cached_png(svg: Path, cache_dir: Path) -> Path:
    """The PNG ``svg`` is (or will be) drawn into in ``cache_dir``; OSError when the SVG
    cannot be read."""
    digest = hashlib.sha256(svg.read_bytes()).hexdigest()[:20]
    return cache_dir / f"{digest}-{RASTER_WIDTH}.png"
