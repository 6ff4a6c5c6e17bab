"""Driven by test_guides_languages.py under Xvfb: every shipped guide's overview and first
step before the hand-off, in every language, drawn by the real app and checked against UX.md's floors.

    python -m tests.kiosk.guides_languages_driver OUT_DIR WIDTHxHEIGHT

Writes guide-<id>-<lang>-{overview,step}.png and OUT_DIR/guides-languages.json:
{case: {"problems": [...], "title": <the title the screen shows>, "notice": <the overview
opened on the missing-language page>}}.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

# the floors driver sets Kivy up for this window (argv: OUT_DIR WIDTHxHEIGHT) and knows
# how to let a screen settle, check it and shoot it; the kiosk is imported after it
from tests.kiosk.floors_driver import _OUT, case_problems, settle, shoot


def first_step(guide) -> int:
    """The first step (1-based) that is not the hand-off: the QR code is drawn only in a
    real frame, and test_guides_walk.py walks the hand-off step of a guide by touch."""
    return next((n for n, step in enumerate(guide.steps, 1) if not step.handoff), 1)


def shown_title(app) -> str:
    screen = app.root.current_screen
    return next((w.title for w in screen.walk() if type(w).__name__ == "StepTitle"), "")


def main() -> None:
    import gc

    from kivy.base import EventLoop

    from content import load_catalog
    from kiosk import guide_flow
    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig
    from languages import LANGUAGES

    catalog = load_catalog()
    guides = [g for g in catalog.guides.values() if not g.withdrawn]
    app = KioskApp(
        config=KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="tsunagu-guides-"))),
        catalog=catalog,
    )
    app._run_prepare()
    EventLoop.idle()
    results: dict[str, dict] = {}
    started = time.monotonic()
    _OUT.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        gc.collect()
        app.end_visit()
        app.choose("language", language)
        app.choose("text_size", "large")
        for guide in guides:
            for part, show in (
                ("overview", lambda g=guide: app.show("guide_overview", guide_id=g.id)),
                ("step", lambda g=guide: app.show("guide", guide_id=g.id, step=first_step(g))),
            ):
                app.history = []
                show()
                settle(app)
                name = f"guide-{guide.id}-{language}-{part}"
                results[name] = {
                    "problems": case_problems(app, part),
                    "title": shown_title(app),
                    "notice": part == "overview"
                    and guide_flow.overview_pages(guide, 4, language)[0].kind == "language",
                }
                if not shoot(_OUT / f"{name}.png"):
                    results[name]["problems"].append("the screenshot was not written")
    (_OUT / "guides-languages.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"{len(results)} cases in {time.monotonic() - started:.1f} s", file=sys.__stderr__)
    app.stop()


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        import traceback

        traceback.print_exc(file=sys.__stderr__)
        sys.exit(1)
