"""Driven by test_illustrations.py under Xvfb: illustrated guide steps, shot in one run.

    python -m tests.kiosk.shoot_illustrations OUT_DIR [LANG:SIZE ...]

Writes steps-GUIDE-N-LANG-SIZE.png for each step below and OUT_DIR/pictures.json with,
for each shot, what the step's picture widget held when the UX checks ran (the texture's
size, the widget's box and the box the picture was drawn in, in window pixels). Exits 2
when a UX check failed (the problems on stderr), 0 when all passed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.screenshot import Shot, shoot_then_stop  # noqa: E402
from tests.kiosk.shoot_guides import overlaps  # noqa: E402

#: (guide, 1-based step): one or two illustrated steps of each guide, and one without
STEPS = [
    ("juminhyo", 2),
    ("juminhyo", 9),
    ("mynaportal-login", 5),
    ("paypay-tax", 5),
    ("seijinshiki", 4),
    ("counter-cashless", 9),
    ("koseki", 6),
]
DEFAULT_CASES = ["ja:large", "ja:extra-large", "en:large", "en:extra-large"]


def picture_overlaps(root) -> list[str]:
    """The drawn picture lying over a label or a button (it must sit in free room)."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label

    from kiosk.checks import _shown
    from kiosk.widgets import RubyLabel, StepPicture

    pictures = [w for w in root.walk(restrict=True) if isinstance(w, StepPicture)]
    found = []
    for picture in pictures:
        x, y, width, height = picture.drawn
        if not width:
            continue
        left, bottom = picture.to_window(x, y)
        right, top = left + width, bottom + height
        for other in root.walk(restrict=True):
            if not isinstance(other, Label | RubyLabel | ButtonBehavior) or not _shown(other):
                continue
            ol, ob = other.to_window(other.x, other.y)
            orr, ot = other.to_window(other.right, other.top)
            if min(right, orr) - max(left, ol) > 2 and min(top, ot) - max(bottom, ob) > 2:
                found.append(f"the picture overlaps {type(other).__name__}")
    return found


def describe(app) -> dict:
    """What the current screen's picture widget holds, in window pixels."""
    screen = app.root.get_screen("guide")
    picture = screen.ids.picture
    left, bottom = picture.to_window(picture.x, picture.y)
    x, y, width, height = picture.drawn
    drawn_left, drawn_bottom = picture.to_window(x, y)
    texture = picture.texture
    return {
        "source": screen.picture,
        "texture": list(texture.size) if texture is not None else None,
        "box": [left, bottom, picture.width, picture.height],
        "drawn": [drawn_left, drawn_bottom, width, height] if width else None,
    }


def main() -> None:
    out = Path(sys.argv[1])
    cases = sys.argv[2:] or DEFAULT_CASES
    from content import load_catalog

    config = KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="tsunagu-pictures-shot-")))
    app = KioskApp(config=config, catalog=load_catalog())
    shots, names = [], []
    for case in cases:
        language, size = case.split(":")
        for guide_id, step in STEPS:
            name = f"steps-{guide_id}-{step}-{language}-{size}.png"
            names.append(name)
            shots.append(
                Shot(out / name, "guide", {"guide_id": guide_id, "step": step}, language, size)
            )
    import kiosk.checks

    plain = kiosk.checks.problems
    seen: dict[str, dict] = {}

    def checked(root, size):
        if root is app.root:
            seen[names[len(seen)]] = describe(app)
        return plain(root, size) + overlaps(root) + picture_overlaps(root)

    kiosk.checks.problems = checked
    shoot_then_stop(app, shots)
    app.run()
    (out / "pictures.json").write_text(json.dumps(seen, indent=1), encoding="utf-8")
    for problem in getattr(app, "problems", []):
        print(problem, file=sys.__stderr__)
    sys.exit(getattr(app, "exit_code", 1))


if __name__ == "__main__":
    main()
