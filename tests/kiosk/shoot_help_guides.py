"""Driven by test_help_guides_screens.py under Xvfb: the screens of issue 12's kiosk-help-guides
part, shot in one run and checked against UX.md (kiosk.checks).

    python -m tests.kiosk.shoot_help_guides OUT_DIR OUT.json

The please-wait screen (staff on the way, ja and ja-easy), a step with its hand-off QR code
and 「？」 buttons, the glossary's explanation open over a step, the checklist before the
steps, the kana keyboard at 大 and 特大. Writes what each showed to OUT.json.
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

seen: dict = {}


def _waiting(app) -> None:
    app.history = ["guide"]


def _glossary_open(app) -> None:
    from kivy.clock import Clock

    def open_first(_dt):
        bar = app.root.get_screen("guide").ids.glossary
        buttons = list(reversed(bar.children))
        seen["glossary_buttons"] = [b.caption for b in buttons]
        seen["glossary_heights"] = [b.height for b in buttons]
        if buttons:
            buttons[0].dispatch("on_release")
            popup = bar.popup
            seen["popup_name"] = popup.ids.name.source
            seen["popup_explanation"] = popup.ids.explanation.source
            seen["popup_spoken"] = popup.speech_text(app.language)
            seen["popup_close_height"] = popup.ids.close.height
            app.idle_overlay = popup  # checked and dismissed after the shot like 続けますか？

    Clock.schedule_once(open_first, 0.3)


def _kana(app) -> None:
    def record(_dt):
        keyboard = app.root.get_screen("name").ids.keyboard
        keys = [k for k in keyboard.children if hasattr(k, "caption")]
        seen[f"kana_{app.text_size}"] = {
            "key_height": keyboard.key_height,
            "heights": sorted({round(k.height) for k in keys}),
            "hint": [w.text for w in reversed(app.root.get_screen("name").ids.kana_hint.children)],
        }

    from kivy.clock import Clock

    Clock.schedule_once(record, 0.3)


def shots(out: Path) -> list[Shot]:
    wait = {
        "message": "A staff member is on the way.",
        "detail": "This screen stays until a staff member comes. You may sit down.",
    }
    return [
        Shot(out / "please-wait-ja.png", "notice", wait, "ja", "large", _waiting),
        Shot(out / "please-wait-ja-easy.png", "notice", wait, "ja-easy", "large", _waiting),
        Shot(
            out / "step-handoff-qr-ja.png",
            "guide",
            {"guide_id": "juminhyo", "step": 1},
            "ja",
            "large",
        ),
        Shot(
            out / "step-glossary-nfc-ja.png",
            "guide",
            {"guide_id": "mynaportal-login", "step": 2},
            "ja",
            "large",
            _glossary_open,
        ),
        Shot(
            out / "checklist-before-start-ja.png",
            "guide_checklist",
            {"guide_id": "juminhyo"},
            "ja",
            "large",
        ),
        Shot(out / "kana-large.png", "name", {}, "ja", "large", _kana),
        Shot(out / "kana-extra-large.png", "name", {}, "ja", "extra-large", _kana),
    ]


def main() -> None:
    out, report = Path(sys.argv[1]), Path(sys.argv[2])
    data = Path(tempfile.mkdtemp(prefix="tsunagu-help-shots-"))
    app = KioskApp(config=KioskConfig(data_dir=data))
    shoot_then_stop(app, shots(out))
    app.run()
    seen["problems"] = app.problems
    report.write_text(json.dumps(seen, ensure_ascii=False))
    sys.exit(0)


if __name__ == "__main__":
    main()
