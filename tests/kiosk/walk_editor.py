"""Driven by tests/browser/test_editor_publish_walk.py under Xvfb: a kiosk takes the content an
editor published on the staff site (issue 18), shows it and speaks it.

``python -m tests.kiosk.walk_editor OUT SERVER TOKEN GUIDE STEP``

The kiosk starts on the shipped content with an empty clip cache, as a new kiosk does. On
Home, idle, it looks for a newer bundle exactly as its idle tick does (``_content_idle``)
until the server's bundle is installed and handed over; then it opens step STEP of GUIDE,
says what the step's text reads on the screen, takes a screenshot and taps 読み上げ with a
finger's touch. Writes OUT/seen.json, OUT/step.png and a copy of the clip played.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

OUT = Path(sys.argv[1])
SERVER, TOKEN, GUIDE, STEP = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
WORK = Path(tempfile.mkdtemp(prefix="tsunagu-editor-walk-"))
# no clip anywhere but in the bundles the kiosk downloads
os.environ["TSUNAGU_AUDIO_CACHE"] = str(WORK / "no-audio")

from kiosk.cli import configure_kivy  # noqa: E402

configure_kivy(screenshot=True)

from kivy.app import App  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.widgets import BigButton, PhraseLabel  # noqa: E402

#: bounds so a broken kiosk fails instead of hanging (not speed checks)
SYNC_WAIT_S = 60
PLAY_WAIT_S = 20
seen: dict = {}


def tap(widget) -> None:
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_up()


def shoot(name: str) -> None:
    written = Window.screenshot(name=str(OUT / f".{name}"))
    if written and os.path.exists(written):
        os.replace(written, OUT / name)


def shown_texts(screen) -> list[str]:
    """What the screen's text labels show (visible ones only)."""
    return [
        w.source
        for w in screen.walk(restrict=True)
        if isinstance(w, PhraseLabel) and w.source and w.opacity > 0 and w.height > 0
    ]


def guarded(step):
    """``step`` as a Clock callback that, when it fails, says how and stops: never hang."""

    def run(*args) -> None:
        try:
            step(*args)
        except Exception:
            seen["error"] = traceback.format_exc()
            (OUT / "seen.json").write_text(json.dumps(seen, ensure_ascii=False, indent=1))
            App.get_running_app().stop()

    return run


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = KioskApp(config=KioskConfig(server=SERVER, token=TOKEN, data_dir=WORK / "data"))
    played: list[str] = []
    load = app.speaker.load

    def recording_load(path: str):
        copy = OUT / f"clip-{len(played) + 1}{Path(path).suffix}"
        shutil.copyfile(path, copy)
        played.append(path)
        return load(path)

    app.speaker.load = recording_load

    def finish(error: str = "") -> None:
        if error:
            seen["error"] = error
        (OUT / "seen.json").write_text(json.dumps(seen, ensure_ascii=False, indent=1))
        app.stop()

    def start(_dt) -> None:
        guide = app.catalog.guide(GUIDE)
        seen["before"] = guide.steps[STEP - 1].text.get("ja")
        seen["version_before"] = app.content_version
        sync(0.0)

    def sync(waited: float) -> None:
        # Home, idle, nothing entered: what the idle tick does between visits
        if app.root.current != "home":
            return finish(f"not on Home but {app.root.current}")
        app._content_idle()
        if getattr(app, "audio_dir", None) is None:
            if waited > SYNC_WAIT_S:
                return finish("no bundle was handed over")
            Clock.schedule_once(guarded(lambda _dt: sync(waited + 0.2)), 0.2)
            return
        seen["version"] = app.content_version
        seen["audio_dir"] = str(app.audio_dir)
        seen["catalog_root"] = str(app.catalog.root)
        app.speech = False  # the reading below is a tap on 読み上げ
        app.show("guide", guide_id=GUIDE, step=STEP)
        Clock.schedule_once(guarded(lambda _dt: look(0.0)), 0.6)

    def look(waited: float) -> None:
        screen = app.root.current_screen
        texts = shown_texts(screen)
        if not any(texts) and waited < 20:
            Clock.schedule_once(guarded(lambda _dt: look(waited + 0.2)), 0.2)
            return
        seen["screen"] = app.root.current
        seen["step_text"] = screen.step_text
        seen["labels"] = texts
        seen["step_clip"] = screen.clip
        shoot("step.png")
        speak = [
            w
            for w in screen.walk(restrict=True)
            if isinstance(w, BigButton) and w.caption == "読み上げ" and w.opacity > 0
        ]
        if not speak:
            return finish("no 読み上げ button on the step")
        tap(speak[0])
        wait(0.0)

    def wait(waited: float) -> None:
        if not played and waited < PLAY_WAIT_S:
            Clock.schedule_once(guarded(lambda _dt: wait(waited + 0.1)), 0.1)
            return
        seen["played"] = played[:1]
        seen["playing"] = app.sound is not None
        if played:
            clip = Path(played[0])
            manifest = clip.parent / "manifest.json"
            if manifest.is_file():
                clips = json.loads(manifest.read_text(encoding="utf-8"))["clips"]
                seen["played_entry"] = clips.get(clip.name)
        app.stop_speaking()
        finish()

    Clock.schedule_once(guarded(start), 0.5)
    Clock.schedule_once(lambda _dt: finish("timed out"), 110)
    app.run()


if __name__ == "__main__":
    main()
