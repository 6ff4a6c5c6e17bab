"""Driven by test_guides_screens.py under Xvfb: the guide and FAQ screens, shot in one run.

    python -m tests.kiosk.shoot_guides OUT_DIR [LANG:SIZE ...]

Writes guides-SCREEN-LANG-SIZE.png for each screen below; exits 2 when a UX check failed
(the problems on stderr), 0 when all passed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.screenshot import Shot, shoot_then_stop  # noqa: E402

#: (name, screen, params)
SCREENS = [
    ("finder", "finder", {}),
    ("overview", "guide_overview", {"guide_id": "juminhyo"}),
    ("overview-warnings", "guide_overview", {"guide_id": "juminhyo", "page": 9}),
    ("step-furigana", "guide", {"guide_id": "juminhyo", "step": 3, "furigana": True}),
    ("checklist", "guide_checklist", {"guide_id": "juminhyo", "checked": ["card", "pin"]}),
    ("handoff", "guide_handoff", {"guide_id": "juminhyo"}),
    ("handoff-printer", "guide_handoff", {"guide_id": "counter-cashless"}),
    ("faq-topics", "faq", {}),
    ("faq-answer", "faq", {"topic_id": "koseki-juminhyo", "question_id": None}),
]
DEFAULT_CASES = ["ja:large", "ja:extra-large", "en:large", "en:extra-large"]


def overlaps(root) -> list[str]:
    """Text and buttons drawn over each other (a column taller than its room spills over)."""
    from kivy.uix.label import Label

    from kiosk.checks import _shown
    from kiosk.widgets import QRImage, RubyLabel

    boxes = []
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label | RubyLabel | QRImage) and _shown(widget):
            left, bottom = widget.to_window(widget.x, widget.y)
            right, top = widget.to_window(widget.right, widget.top)
            boxes.append((widget, left, bottom, right, top))
    found = []
    for i, (a, al, ab, ar, at) in enumerate(boxes):
        for b, bl, bb, br, bt in boxes[i + 1 :]:
            if min(ar, br) - max(al, bl) > 2 and min(at, bt) - max(ab, bb) > 2:
                names = [f"{type(w).__name__} {getattr(w, 'source', '')[:20]!r}" for w in (a, b)]
                found.append(f"{names[0]} overlaps {names[1]}")
    return found


def set_printer(app, printer: str) -> None:
    app.config_values.printer = printer


def shots(out: Path, cases: list[str], catalog) -> list[Shot]:
    batch = []
    topic = catalog.faq_topic("koseki-juminhyo")
    for case in cases:
        language, size = case.split(":")
        for name, screen, params in SCREENS:
            params = dict(params)
            if name == "faq-answer":
                params["question_id"] = max(
                    topic.questions, key=lambda q: len(q.a.get(language))
                ).id
            printer = "kiosk-printer" if name == "handoff-printer" else "none"
            batch.append(
                Shot(
                    out / f"guides-{name}-{language}-{size}.png",
                    screen,
                    params,
                    language,
                    size,
                    setup=lambda app, p=printer: set_printer(app, p),
                )
            )
    return batch


def main() -> None:
    out = Path(sys.argv[1])
    cases = sys.argv[2:] or DEFAULT_CASES
    from content import load_catalog

    catalog = load_catalog()
    config = KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="tsunagu-guides-shot-")))
    app = KioskApp(config=config, catalog=catalog)
    import kiosk.checks

    plain = kiosk.checks.problems
    kiosk.checks.problems = lambda root, size: plain(root, size) + overlaps(root)
    shoot_then_stop(app, shots(out, cases, catalog))
    app.run()
    for problem in getattr(app, "problems", []):
        print(problem, file=sys.__stderr__)
    sys.exit(getattr(app, "exit_code", 1))


if __name__ == "__main__":
    main()
