"""The screenshot harness: draw screens in the kiosk's window, check them, save PNGs, quit.

``tsunagu kiosk --screenshot`` and the tests' shooting scripts use it; the kiosk in use
never does. Import this module only after Kivy is configured (``kiosk.cli`` does that).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.clock import Clock
from kivy.core.window import Window

if TYPE_CHECKING:
    from kiosk.app import KioskApp


@dataclass
class Shot:
    """One screenshot: the file, the screen and its params; language and a setup if given."""

    path: Path
    screen: str
    params: dict
    language: str = ""
    text_size: str = "large"
    setup: Callable[[KioskApp], None] | None = None


def shoot_then_stop(app: KioskApp, shots: list[Shot]) -> None:
    """Draw, check and save each shot in turn in the app's one window, then quit.

    ``app.exit_code`` is 0 when every shot passed; ``app.problems`` says what did not.
    """
    app.exit_code = 1
    app.problems = []
    queue = list(shots)

    def show(_dt):
        shot = queue[0]
        if shot.language:
            app.end_visit()
            app.choose("language", shot.language)
            app.choose("text_size", shot.text_size)
        if shot.setup is not None:
            shot.setup(app)
        if shot.screen == "idle":  # 続けますか？ over a booking screen
            from kiosk.widgets.idle_overlay import IdleOverlay

            app.show("phone")
            app.idle_overlay = IdleOverlay(seconds=12)
            app.idle_overlay.open(animation=False)
        else:
            app.show(shot.screen, **shot.params)
        Clock.schedule_once(check, 0.4)  # a few frames: layouts and re-flows settle

    def check(_dt):
        from kiosk.checks import problems

        found = problems(app.root, Window.size)
        if app.idle_overlay is not None:
            found += problems(app.idle_overlay, Window.size)
        name = queue[0].path.name
        app.problems += [f"{name}: {p}" if len(shots) > 1 else p for p in found]
        Clock.schedule_once(shoot, 0.1)

    def shoot(_dt):
        shot = queue.pop(0)
        shot.path.parent.mkdir(parents=True, exist_ok=True)
        # Kivy appends a counter to the name (x.png -> x0001.png): shoot, then rename
        hidden = shot.path.with_name(f".{shot.path.stem}-shot.png")
        written = Window.screenshot(name=str(hidden))
        if written and os.path.exists(written):
            os.replace(written, shot.path)
        else:
            app.problems.append(f"the screenshot was not written ({written!r})")
        if app.idle_overlay is not None:
            app.idle_overlay.dismiss(animation=False)
            app.idle_overlay = None
        if queue:
            Clock.schedule_once(show, 0)
            return
        app.exit_code = 2 if app.problems else 0
        app.stop()

    Clock.schedule_once(show, 0.2)
