"""Checks of a drawn screen against UX.md's floors, on whatever widgets the screen holds.

Touch targets at least 96 px high and apart from each other, text at least 32 px,
headings at least 48 px, no label overflowing its box or the window, nothing drawn
over something else, no drawn line starting with 。 or 、 (kinsoku). The widget tree is
walked generically, so a new screen is checked without being listed.

Run inside the app before a screenshot; a violation fails ``tsunagu kiosk --screenshot``.
``screen_problems`` adds what every screen must have: the navigation bar and the speech
controls (tests/kiosk/test_floors.py).
"""

from __future__ import annotations

from kivy.uix.behaviors import ButtonBehavior, ToggleButtonBehavior
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.theme import GAP, MIN_BODY, MIN_HEADING, MIN_TOUCH_HEIGHT, side_rail
from kiosk.widgets.phrase_label import PhraseLabel

#: rounding slack in pixels
SLACK = 1.0
#: what no drawn line may start with (the kinsoku check; kiosk.layout avoids more)
CLOSING = frozenset("。、，．）」』】〕〉》！？,.)!?")


def _shown(widget: Widget) -> bool:
    """False when the widget or an ancestor is invisible (opacity 0) or has no size."""
    node: Widget | None = widget
    while node is not None and node is not node.parent:
        if node.opacity == 0 or node.width <= 0 or node.height <= 0:
            return False
        node = node.parent
    return True


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


def is_heading(widget: Widget) -> bool:
    """A heading: a ``Heading`` (kiosk/screens/base.kv) or a label that says it is one."""
    return getattr(widget, "heading", False) or any(
        cls.__name__ == "Heading" for cls in type(widget).__mro__
    )


def is_target(widget: Widget) -> bool:
    return isinstance(widget, ButtonBehavior | ToggleButtonBehavior)


def window_box(widget: Widget) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in window coordinates."""
    left, bottom = widget.to_window(widget.x, widget.y)
    right, top = widget.to_window(widget.right, widget.top)
    return left, bottom, right, top


def drawn_lines(label: Label) -> list[str]:
    """The lines as Kivy drew them (after its own wrapping, if any)."""
    core = getattr(label, "_label", None)
    lines = getattr(core, "_cached_lines", None) if core is not None else None
    if not lines:
        return label.text.split("\n")
    return ["".join(word.text for word in line.words) for line in lines]


def problems(root: Widget, window_size: tuple[float, float]) -> list[str]:
    """What breaks the kiosk's rules in the tree under ``root`` (empty when all is well)."""
    found: list[str] = []
    win_w, win_h = window_size
    targets: list[tuple[Widget, tuple[float, float, float, float]]] = []
    drawn: list[tuple[Widget, tuple[float, float, float, float]]] = []
    for widget in root.walk(restrict=True):
        if not _shown(widget):
            continue
        box = window_box(widget)
        if is_target(widget):
            if widget.height + SLACK < MIN_TOUCH_HEIGHT:
                found.append(
                    f"touch target {_name(widget)} is {widget.height:.0f} px high "
                    f"(at least {MIN_TOUCH_HEIGHT})"
                )
            if not widget.disabled:
                targets.append((widget, box))
        if isinstance(widget, Label):
            found += _label_problems(widget)
            if widget.text.strip():
                drawn.append((widget, box))
        elif type(widget).__name__ in ("QRImage", "RubyLabel", "StepPicture", "Image"):
            drawn.append((widget, box))
        if not _in_scroll(widget):
            left, bottom, right, top = box
            if left < -SLACK or bottom < -SLACK or right > win_w + SLACK or top > win_h + SLACK:
                found.append(
                    f"{_name(widget)} lies outside the window: "
                    f"({left:.0f},{bottom:.0f})-({right:.0f},{top:.0f}) in {win_w:.0f}x{win_h:.0f}"
                )
    found += _too_close(targets)
    found += _drawn_over(drawn)
    return found


def _label_problems(widget: Label) -> list[str]:
    found = []
    widget.texture_update()
    tex_w, tex_h = widget.texture_size
    if isinstance(widget, PhraseLabel):
        tex_w = widget.widest_line + widget.padding[0] + widget.padding[2]
    if tex_w > widget.width + SLACK or tex_h > widget.height + SLACK:
        found.append(
            f"label {_name(widget)} overflows: text {tex_w:.0f}x{tex_h:.0f} "
            f"in a box of {widget.width:.0f}x{widget.height:.0f}"
        )
    if not widget.text.strip():
        return found
    floor = MIN_HEADING if is_heading(widget) else MIN_BODY
    if widget.font_size + 0.01 < floor:
        kind = "heading" if floor == MIN_HEADING else "text"
        found.append(f"{kind} {_name(widget)} is {widget.font_size:.1f} px (at least {floor})")
    lines = drawn_lines(widget)
    for line in lines[1:]:
        if line.lstrip()[:1] in CLOSING:
            found.append(f"a line of {_name(widget)} starts with {line.lstrip()[:1]!r}")
    if isinstance(widget, PhraseLabel) and len(lines) > 1:
        cut = broken_phrase(widget.source, widget.language, lines)
        if cut:
            found.append(f"{_name(widget)} breaks {cut!r} across lines (too narrow)")
    return found


def broken_phrase(source: str, language: str, lines: list[str]) -> str:
    """A phrase (a word, 「ください。」) of ``source`` that the drawn ``lines`` cut, or ""."""
    from kiosk.layout import phrases

    whole = [line.strip(" \u3000") for line in lines]
    for paragraph in source.split("\n"):
        for phrase in phrases(paragraph, language):
            piece = phrase.strip(" \u3000\t")
            if piece and not any(piece in line for line in whole):
                return piece
    return ""


def _too_close(targets) -> list[str]:
    """Touch targets that overlap or stand closer than the gap (UX.md: 16 px gaps)."""
    found = []
    for i, (a, (al, ab, ar, at)) in enumerate(targets):
        for b, (bl, bb, br, bt) in targets[i + 1 :]:
            if _contains(a, b) or _contains(b, a):
                continue
            apart_x = max(bl - ar, al - br)
            apart_y = max(bb - at, ab - bt)
            if apart_x < GAP - SLACK and apart_y < GAP - SLACK:
                found.append(
                    f"touch targets {_name(a)} and {_name(b)} are "
                    f"{max(apart_x, apart_y):.0f} px apart (at least {GAP})"
                )
    return found


def _drawn_over(drawn) -> list[str]:
    """Text, pictures and buttons drawn over each other (a column taller than its room)."""
    found = []
    for i, (a, (al, ab, ar, at)) in enumerate(drawn):
        for b, (bl, bb, br, bt) in drawn[i + 1 :]:
            if min(ar, br) - max(al, bl) > 2 and min(at, bt) - max(ab, bb) > 2:
                if _contains(a, b) or _contains(b, a):
                    continue
                found.append(f"{_name(a)} is drawn over {_name(b)}")
    return found


def _contains(outer: Widget, inner: Widget) -> bool:
    node = inner.parent
    while node is not None and node is not node.parent:
        if node is outer:
            return True
        node = node.parent
    return False


#: the speech controls every screen has (UX.md 4): read this screen, stop, volume − and ＋
SPEECH_CAPTIONS = ("Read aloud", "Stop", "Volume")
#: the navigation bar's buttons (UX.md 7), in the same place on every screen
NAV_CAPTIONS = ("Back", "Start over", "Call staff")


def _captions(root: Widget) -> list[tuple[Widget, str]]:
    return [
        (w, (getattr(w, "caption", "") or getattr(w, "text", "")).strip())
        for w in root.walk(restrict=True)
        if is_target(w) and _shown(w)
    ]


def _has_caption(buttons, wanted: str) -> list[Widget]:
    return [w for w, caption in buttons if wanted and wanted in caption]


def speech_problems(root: Widget, tr) -> list[str]:
    """The speech controls, or a sentence saying why this kiosk cannot speak, where they stand.

    Looks for the shared widget (a shown widget whose class name starts with ``Speech``)
    and, in it, the buttons 読み上げ, 止める, 音量 − and 音量 ＋ (by caption, in the
    current language ``tr``); a Speech* widget that shows a sentence instead of buttons is
    the "cannot speak, here is why" notice.
    """
    shared = [
        w for w in root.walk(restrict=True) if type(w).__name__.startswith("Speech") and _shown(w)
    ]
    if not shared:
        return ["no speech controls (読み上げ / 止める / 音量): no shown Speech* widget"]
    buttons = [b for w in shared for b in _captions(w)]
    read, stop, volume = (tr(m) for m in SPEECH_CAPTIONS)
    volumes = _has_caption(buttons, volume)
    missing = [
        name
        for name, found in (
            ("読み上げ", _has_caption(buttons, read)),
            ("止める", _has_caption(buttons, stop)),
            ("音量 −", [b for b in volumes if b.caption.rstrip().endswith(("−", "-"))]),
            ("音量 ＋", [b for b in volumes if b.caption.rstrip().endswith(("＋", "+"))]),
        )
        if not found
    ]
    if not missing:
        return []
    says_why = any(
        isinstance(w, Label) and w.text.strip() and not is_target(w) and _shown(w)
        for s in shared
        for w in s.walk(restrict=True)
    )
    if says_why and len(missing) == 4:
        return []  # a kiosk that cannot speak says why, where the buttons would be
    return [f"speech controls lack {', '.join(missing)}"]


def nav_problems(root: Widget, window_size: tuple[float, float], tr) -> list[str]:
    """The bar with もどる, はじめにもどる and 職員を呼ぶ, where it stands on every screen of
    this window: across the foot, or on a short landscape panel (kiosk.theme.side_rail)
    down the whole right-hand side."""
    bars = [w for w in root.walk(restrict=True) if type(w).__name__ == "NavBar" and _shown(w)]
    if not bars:
        return ["no navigation bar (もどる / はじめにもどる / 職員を呼ぶ)"]
    found = []
    bar = bars[0]
    buttons = _captions(bar)
    for message in NAV_CAPTIONS:
        if not _has_caption(buttons, tr(message)):
            found.append(f"the navigation bar lacks {tr(message)!r}")
    left, bottom, right, top = window_box(bar)
    win_w, win_h = window_size
    if side_rail(window_size):
        if bottom > SLACK or top < win_h - SLACK or right < win_w - SLACK or left < win_w / 2:
            found.append(
                "the navigation bar is not down the right-hand side of the window "
                f"({left:.0f},{bottom:.0f})-({right:.0f},{top:.0f})"
            )
    elif bottom > SLACK or left > SLACK or right < win_w - SLACK:
        found.append(
            f"the navigation bar is not across the foot of the window ({left:.0f},{bottom:.0f})"
        )
    return found
