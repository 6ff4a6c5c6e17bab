"""Sizes and colours of the kiosk, from the UX requirements (UX.md, "The kiosk").

Numbers are pixels on a 1920x1080 screen. They are floors, not targets: body text
at least 32 px, headings at least 48 px, touch targets at least 96 px high with
16 px gaps, text contrast at least 7:1.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_TOUCH_HEIGHT = 96
#: UX.md 1: body text and headings, in pixels
MIN_BODY = 32
MIN_HEADING = 48
GAP = 16
MIN_CONTRAST = 7.0
TEXT_SIZES: tuple[str, ...] = ("large", "extra-large")


@dataclass(frozen=True)
class Sizes:
    """Font sizes and heights for one text size."""

    body: int
    heading: int
    button: int
    button_height: int
    bar_height: int


SIZES: dict[str, Sizes] = {
    # 大: the floor of UX.md with a margin
    "large": Sizes(body=36, heading=56, button=40, button_height=112, bar_height=120),
    # 特大: a fifth larger again (a third larger left no room on a 1080-line panel once every
    # screen had its speech controls: the booking screens ran off the top)
    "extra-large": Sizes(body=44, heading=64, button=48, button_height=128, bar_height=136),
}

#: a short landscape panel (1366x768, usually 18.5-21.5"): its pixels are larger (about
#: 0.3 mm against 0.25 mm at 1080p), so the same floors in pixels are as large or larger on
#: the glass; sizes step down towards the floors, never under them, so a screen still fits
COMPACT_SIZES: dict[str, Sizes] = {
    "large": Sizes(body=32, heading=48, button=36, button_height=96, bar_height=112),
    "extra-large": Sizes(body=40, heading=60, button=44, button_height=112, bar_height=120),
}
#: windows less tall than this use COMPACT_SIZES
COMPACT_BELOW_HEIGHT = 900


#: a short landscape panel (1366x768) keeps its navigation and speech controls in a rail
#: down the right-hand side: two bars across the foot left the screens too little height
RAIL_WIDTH = 392


def side_rail(window_size: tuple[float, float]) -> bool:
    """True for a short landscape window: the NavBar is a rail down its right-hand side."""
    width, height = window_size
    return 0 < height < COMPACT_BELOW_HEIGHT and width > height


def sizes_for(text_size: str, window_size: tuple[float, float]) -> Sizes:
    """The sizes for ``text_size`` (大 / 特大) in a window of ``window_size`` pixels."""
    _width, height = window_size
    table = COMPACT_SIZES if 0 < height < COMPACT_BELOW_HEIGHT else SIZES
    return table[text_size]


#: RGBA, 0..1. Black on white and white on a deep blue: both far above 7:1.
BACKGROUND = (1.0, 1.0, 1.0, 1.0)
TEXT = (0.0, 0.0, 0.0, 1.0)
BUTTON = (0.043, 0.180, 0.392, 1.0)  # #0B2E64
BUTTON_TEXT = (1.0, 1.0, 1.0, 1.0)
BUTTON_PRESSED = (0.0, 0.0, 0.0, 1.0)
#: a chosen option: dark text on pale yellow with a thick black frame and a ● mark
SELECTED = (1.0, 0.925, 0.549, 1.0)  # #FFEC8C
SELECTED_TEXT = (0.0, 0.0, 0.0, 1.0)
DISABLED = (0.85, 0.85, 0.85, 1.0)
DISABLED_TEXT = (0.25, 0.25, 0.25, 1.0)
FRAME = (0.0, 0.0, 0.0, 1.0)
PANEL = (0.93, 0.95, 0.98, 1.0)


def relative_luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as 0..1 floats."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: every (text, background) pair the kiosk draws
COLOUR_PAIRS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "body": (TEXT, BACKGROUND),
    "panel": (TEXT, PANEL),
    "button": (BUTTON_TEXT, BUTTON),
    "pressed": (BUTTON_TEXT, BUTTON_PRESSED),
    "selected": (SELECTED_TEXT, SELECTED),
    "disabled": (DISABLED_TEXT, DISABLED),
}
