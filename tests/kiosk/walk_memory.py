"""Driven by test_memory.py under Xvfb: a guide step, Home between visits, the step again.

Between visits the screens left behind let go of their text textures (kiosk.memory); the
step shown again must look exactly as before. Writes what it saw as JSON, and the two
screenshots beside it (step-before.png, step-again.png).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.label import Label  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402

OUT = Path(sys.argv[1])
GUIDE, STEP = "juminhyo", 2
seen: dict = {}


def texts(screen) -> list[Label]:
    """The labels of ``screen`` that show some text."""
    return [w for w in screen.walk(restrict=True) if isinstance(w, Label) and w.text.strip()]


def drawn(screen) -> int:
    """How many of them have a texture to draw their text with."""
    return sum(1 for w in texts(screen) if w.texture is not None and w.texture.width > 1)


def shoot(name: str) -> None:
    hidden = OUT.parent / f".{name}-shot.png"
    written = Window.screenshot(name=str(hidden))
    os.replace(written, OUT.parent / f"{name}.png")


def steps(app: KioskApp):
    app.speech = False
    app.show("guide", guide_id=GUIDE, step=STEP)
    yield 0.6
    screen = app.root.get_screen("guide")
    seen["labels"] = len(texts(screen))
    seen["drawn_before"] = drawn(screen)
    seen["surfaces_kept"] = sum(
        1 for w in texts(screen) if getattr(w._label, "_surface", None) is not None
    )
    shoot("step-before")
    labels = [w for name in ("home", "guide") for w in texts(app.root.get_screen(name))]
    seen["fractional_sizes"] = sum(1 for w in labels if float(w.font_size) != int(w.font_size))
    seen["font_ids"] = sorted(FONT_IDS)
    app.end_visit()
    yield 0.1
    app._rest()  # what end_visit has the clock do half a second after Home is drawn
    yield 0.1
    seen["screen_shown_at_rest"] = app.root.current
    seen["drawn_at_rest"] = drawn(screen)
    app.speech = False
    app.show("guide", guide_id=GUIDE, step=STEP)
    seen["drawn_when_shown"] = drawn(screen)  # before any frame: drawn in the first one
    yield 0.6
    seen["drawn_again"] = drawn(screen)
    shoot("step-again")
    # the guide list shown again keeps its buttons; another language gets its own
    app.show("guides")
    yield 0.3
    box = app.root.get_screen("guides").ids.guide_buttons
    first = list(box.children)
    app.show("home", remember=False)
    yield 0.1
    app.show("guides")
    yield 0.3
    seen["guide_buttons"] = len(first)
    seen["guide_buttons_kept"] = bool(first) and list(box.children) == first
    app.choose("language", "en")
    yield 0.3
    seen["captions_in_english"] = [b.caption for b in reversed(box.children)]
    seen["titles_in_english"] = [g.title.get("en") for g in app.root.get_screen("guides").guides][
        : len(box.children)
    ]


#: every key the text provider opened or found a font face by (one open face each)
FONT_IDS: set[str] = set()


class MemoryKiosk(KioskApp):
    def build(self):
        manager = super().build()
        # the kiosk's own key (kiosk.memory), before the first label is drawn
        from kivy.core.text.text_sdl2 import LabelSDL2

        font_id = LabelSDL2._get_font_id

        def recorded(label):
            FONT_IDS.add(font_id(label))
            return font_id(label)

        LabelSDL2._get_font_id = recorded
        return manager


def main() -> None:
    app = MemoryKiosk(config=KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="kiosk-memory-"))))
    walk = None

    def advance(_dt):
        try:
            Clock.schedule_once(advance, next(walk))
        except StopIteration:
            OUT.write_text(json.dumps(seen))
            app.stop()
        except Exception as exc:  # the test reads it from the JSON
            seen["error"] = f"{type(exc).__name__}: {exc}"
            OUT.write_text(json.dumps(seen))
            app.stop()

    def start(_dt):
        nonlocal walk
        walk = steps(app)
        advance(0)

    Clock.schedule_once(start, 0.3)
    app.run()


if __name__ == "__main__":
    main()
