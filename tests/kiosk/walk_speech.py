"""Driven by test_speech_everywhere.py under Xvfb: every screen kind's speech controls.

``python -m tests.kiosk.walk_speech OUT LANGUAGES [--no-engine]``

Visits each screen kind in each language, writes what its speech bar shows, taps 読み上げ
and keeps a copy of the first clip played (what the resident typed is spoken into the
visit's private directory, deleted when the visit ends: hence the copy). With
``--no-engine`` the kiosk has neither pyopenjtalk nor espeak-ng (as on a machine where
they were never installed) and no clip was built ahead. Writes OUT/seen.json and
screenshots OUT/<screen>-<language>.png.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

OUT = Path(sys.argv[1])
LANGUAGES = sys.argv[2].split(",")
NO_ENGINE = "--no-engine" in sys.argv
if NO_ENGINE:
    sys.modules["pyopenjtalk"] = None  # type: ignore[assignment]  # "not installed"
    bare = Path(tempfile.mkdtemp(prefix="no-espeak-"))
    for tool in ("sox", "soxi"):  # only the voices are missing
        if shutil.which(tool):
            os.symlink(shutil.which(tool), bare / tool)
    os.environ["PATH"] = str(bare)

from kiosk.cli import configure_kivy  # noqa: E402

configure_kivy(screenshot=True)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402

from kiosk import stub  # noqa: E402
from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.widgets.speech_bar import SpeechBar  # noqa: E402
from tests.kiosk import ask_samples  # noqa: E402

#: how long (in Kivy clock time) a screen may take to be laid out, and 読み上げ to start
#: playing: bounds so a broken screen fails instead of hanging, not speed checks; a busy
#: CI machine synthesising offline speech for the first time needs the room
LAYOUT_WAIT_S = 30
PLAY_WAIT_S = 90
WORK = Path(tempfile.mkdtemp(prefix="tsunagu-speech-walk-"))
# no clip built ahead: everything is spoken on first use by the offline engine
os.environ["TSUNAGU_AUDIO_CACHE"] = str(WORK / "audio")


def booking(app: KioskApp) -> None:
    for name, value in stub.VISIT.items():
        setattr(app.visit, name, value)


def faq_ids(app: KioskApp) -> tuple[str, str]:
    topic = next(iter(app.catalog.faq.values()))
    return topic.id, topic.questions[0].id


def kinds(app: KioskApp):
    """(kind, screen, params, setup) for every screen kind the issue lists."""
    guide = app.catalog.active_guides[0].id
    topic, question = faq_ids(app)
    return [
        ("home", "home", {}, None),
        ("finder", "finder", {}, None),
        ("guide_list", "guides", {}, None),
        ("overview", "guide_overview", {"guide_id": guide}, None),
        ("step", "guide", {"guide_id": guide, "step": 1}, None),
        ("checklist", "guide_checklist", {"guide_id": guide}, None),
        ("handoff", "guide_handoff", {"guide_id": guide}, None),
        ("faq_topics", "faq", {}, None),
        ("faq_questions", "faq", {"topic_id": topic}, None),
        ("faq_answer", "faq", {"topic_id": topic, "question_id": question}, None),
        ("class_list", "sessions", {"sessions": stub.SESSIONS}, None),
        ("consent", "consent", {}, booking),
        ("name", "name", {}, booking),
        ("phone", "phone", {}, booking),
        ("birth", "birth", {}, booking),
        ("confirm", "confirm", {}, booking),
        ("result", "result", {"result": stub.RESULTS["confirmed"]}, booking),
        ("waitlisted", "result", {"result": stub.RESULTS["waitlisted"]}, booking),
        ("please_wait", "please_wait", {}, None),
        (
            "staff_notice",
            "notice",
            {"message": "A staff member is coming. Please wait here."},
            None,
        ),
        ("idle", "idle", {}, booking),
        ("ask", "ask", {"popular": ask_samples.POPULAR}, None),
        ("ask_keys", "ask_keys", {}, None),
        (
            "ask_answers",
            "ask",
            {"question": "スマホキョウシツ イツ", "result": ask_samples.ANSWERS["not_sure"]},
            None,
        ),
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = KioskApp(config=KioskConfig(data_dir=WORK / "data"))
    app.speech = False  # nothing reads by itself: each reading below is a tap on 読み上げ
    played: list[str] = []
    load = app.speaker.load

    def recording_load(path: str):
        language, kind = queue[0][:2] if queue else ("", "")
        played.append(path)
        copy = OUT / f"clip-{kind}-{language}-{len(played)}{Path(path).suffix}"
        shutil.copyfile(path, copy)
        played[-1] = str(copy)
        return load(path)

    app.speaker.load = recording_load
    seen: list[dict] = []
    queue: list = []

    def start(_dt) -> None:
        for language in LANGUAGES:
            for kind in kinds(app):
                queue.append((language, *kind))
        Clock.schedule_once(show, 0)

    def show(_dt) -> None:
        language, kind, screen, params, setup = queue[0]
        app.end_visit()
        app.choose("language", language)
        app.speech = False
        if setup is not None:
            setup(app)
        if screen == "idle":
            from kiosk.widgets.idle_overlay import IdleOverlay

            app.show("phone")
            app.idle_overlay = IdleOverlay(seconds=12)
            app.idle_overlay.open(animation=False)
        else:
            app.show(screen, **params)
        Clock.schedule_once(lambda _dt: look(_dt, 0.6), 0.6)

    def owner():
        return app.idle_overlay if app.idle_overlay is not None else app.root.current_screen

    def look(_dt, waited: float = 0.0) -> None:
        language, kind = queue[0][:2]
        bars = [w for w in owner().walk(restrict=True) if isinstance(w, SpeechBar)]
        bar = bars[0] if bars else None
        laid_out = bar is None or bar.reason or any(b.width > 0 for b in bar.ids.buttons.children)
        if not laid_out and waited < LAYOUT_WAIT_S:
            # a busy machine: the screen is not laid out yet; look again (what is checked is
            # what the resident sees once it is drawn, not how fast it is drawn)
            Clock.schedule_once(lambda _dt: look(_dt, waited + 0.2), 0.2)
            return
        shown = []
        if bar is not None:
            shown = [
                b.caption
                for b in bar.ids.buttons.children[::-1]
                if bar.ids.buttons.parent is not None and b.opacity > 0 and b.width > 0
            ]
        entry = {
            "language": language,
            "kind": kind,
            "screen": app.root.current,
            "bars": len(bars),
            "buttons": shown,
            "reason": bar.reason if bar else None,
            "reason_text": bar.ids.why.source if bar and bar.reason else "",
            "reason_on_screen": bool(
                bar and bar.reason and bar.ids.why.parent is not None and bar.ids.why.height > 0
            ),
            "texts": [str(t) for t in owner().speech_text(language)],
        }
        seen.append(entry)
        written = Window.screenshot(name=str(OUT / f".{kind}-{language}.png"))
        if written and os.path.exists(written):
            os.replace(written, OUT / f"{kind}-{language}.png")
        played.clear()
        if bar is not None and not bar.reason:
            bar.ids.speak.dispatch("on_release")  # 読み上げ
        wait(0.0)

    def wait(waited: float) -> None:
        entry = seen[-1]
        if not played and waited < PLAY_WAIT_S and not entry["reason"]:
            Clock.schedule_once(lambda _dt: wait(waited + 0.1), 0.1)
            return
        entry["clip"] = played[0] if played else ""
        entry["playing"] = app.sound is not None
        entry["reason_after"] = next(
            (w.reason for w in owner().walk(restrict=True) if isinstance(w, SpeechBar)), None
        )
        app.stop_speaking()
        entry["stopped"] = app.sound is None
        queue.pop(0)
        if queue:
            Clock.schedule_once(show, 0)
        else:
            (OUT / "seen.json").write_text(json.dumps(seen, ensure_ascii=False, indent=1))
            app.stop()

    Clock.schedule_once(start, 0.5)
    Clock.schedule_once(lambda _dt: app.stop(), 900)  # never hang a test run
    app.run()


if __name__ == "__main__":
    main()
