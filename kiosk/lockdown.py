"""The staff's way out of a locked-down kiosk, without Kivy: four corners in 5 s, then a PIN.

Residents cannot close the kiosk; staff tap the top-left, top-right, bottom-right and
bottom-left corners within 5 seconds and then type the PIN from the config.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

SEQUENCE: tuple[str, ...] = ("top-left", "top-right", "bottom-right", "bottom-left")
WITHIN = 5.0
#: a corner is this many pixels square
CORNER = 120
#: the keys that must do nothing for a resident (Escape, F1 in Kivy's SDL2 key codes)
SWALLOWED_KEYS = frozenset({27, 282})


def corner_of(x: float, y: float, width: float, height: float, size: float = CORNER) -> str | None:
    """Which corner (x, y) lies in, Kivy's origin being bottom-left; None elsewhere."""
    horizontal = "left" if x <= size else ("right" if x >= width - size else None)
    vertical = "bottom" if y <= size else ("top" if y >= height - size else None)
    if horizontal is None or vertical is None:
        return None
    return f"{vertical}-{horizontal}"


class CornerSequence:
    """Counts taps on the corners in order; True when the whole sequence was done in time."""

    def __init__(
        self,
        clock: Callable[[], float],
        sequence: tuple[str, ...] = SEQUENCE,
        within: float = WITHIN,
    ):
        self.clock = clock
        self.sequence = sequence
        self.within = within
        self.progress = 0
        self.started = 0.0

    def tap(self, corner: str | None) -> bool:
        now = self.clock()
        if self.progress and now - self.started > self.within:
            self.progress = 0
        if corner == self.sequence[self.progress]:
            if self.progress == 0:
                self.started = now
            self.progress += 1
            if self.progress == len(self.sequence):
                self.progress = 0
                return True
            return False
        # a wrong tap starts again (it may itself be the first corner)
        self.progress = 0
        if corner == self.sequence[0]:
            self.started = now
            self.progress = 1
        return False


def pin_matches(typed: str, configured: str) -> bool:
    """True when a PIN is configured and ``typed`` is it (compared in constant time)."""
    return bool(configured) and hmac.compare_digest(typed.encode(), configured.encode())
