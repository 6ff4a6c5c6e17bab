"""Checks of a drawn screen against UX.md: touch targets high enough, no label overflowing.

Run inside the app before a screenshot; a violation fails ``tsunagu kiosk --screenshot``.
"""

from __future__ import annotations

from kivy.uix.behaviors import ButtonBehavior, ToggleButtonBehavior
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.theme import MIN_TOUCH_HEIGHT
from kiosk.widgets.phrase_label import PhraseLabel

#: rounding slack in pixels
SLACK = 1.0


def _shown(widget: Widget) -> bool:
    """False when the widget or an ancestor is invisible (opacity 0) or has no size."""
    node: Widget | None = widget
    while node is not None and node is not node.parent:
        if node.opacity == 0:
            return False
        node = node.parent
    return widget.width > 0 and widget.height > 0


def _in_scroll(widget: Widget) -> bool:
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            return True
        node = node.parent
    return False


def _name(widget: Widget) -> str:
    text = getattr(widget, "source", "") or getattr(widget, "text", "")
    return f"{type(widget).__name__} {text[:30]!r}"


def problems(root: Widget, window_size: tuple[float, float]) -> list[str]:
    """What breaks the kiosk's rules in the tree under ``root`` (empty when all is well)."""
    found: list[str] = []
    win_w, win_h = window_size
    for widget in root.walk(restrict=True):
        if not _shown(widget):
            continue
        is_target = isinstance(widget, ButtonBehavior | ToggleButtonBehavior)
        if is_target and widget.height + SLACK < MIN_TOUCH_HEIGHT:
            found.append(
                f"touch target {_name(widget)} is {widget.height:.0f} px high "
                f"(at least {MIN_TOUCH_HEIGHT})"
            )
        if isinstance(widget, Label):
            widget.texture_update()
            tex_w, tex_h = widget.texture_size
            if isinstance(widget, PhraseLabel):
                tex_w = widget.widest_line + widget.padding[0] + widget.padding[2]
            if tex_w > widget.width + SLACK or tex_h > widget.height + SLACK:
                found.append(
                    f"label {_name(widget)} overflows: text {tex_w:.0f}x{tex_h:.0f} "
                    f"in a box of {widget.width:.0f}x{widget.height:.0f}"
                )
        if not _in_scroll(widget):
            left, bottom = widget.to_window(widget.x, widget.y)
            right, top = widget.to_window(widget.right, widget.top)
            if left < -SLACK or bottom < -SLACK or right > win_w + SLACK or top > win_h + SLACK:
                found.append(
                    f"{_name(widget)} lies outside the window: "
                    f"({left:.0f},{bottom:.0f})-({right:.0f},{top:.0f}) in {win_w:.0f}x{win_h:.0f}"
                )
    return found
