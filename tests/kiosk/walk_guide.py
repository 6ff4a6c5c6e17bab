"""Driven by test_guides_walk.py under Xvfb: one guide walked by touches, in one app run.

home → finder → overview → steps (ふりがな, speech) → checklist → hand-off → stuck → a class;
then the FAQ. Touches go through the window (down and up at a widget's centre), as a
finger's would. What it saw is written as JSON to the path given on the command line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import wave
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from content import load_catalog  # noqa: E402
from kiosk.app import KioskApp  # noqa: E402
from kiosk.checks import problems  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.widgets import BigButton  # noqa: E402
from tests.kiosk.fake_server import FakeApi  # noqa: E402

OUT = Path(sys.argv[1])
SHOTS = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT.parent
GUIDE = "juminhyo"
seen: dict = {"problems": [], "screens": []}


def fake_audio_cache(texts: list[tuple[str, float]]) -> Path:
    """A cache with a silent clip of the given seconds for each text (Japanese)."""
    root = Path(tempfile.mkdtemp(prefix="tsunagu-walk-audio-"))
    clips = {}
    for number, (text, seconds) in enumerate(texts):
        name = f"clip{number}.wav"
        with wave.open(str(root / name), "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(16000)
            clip.writeframes(b"\0\0" * int(16000 * seconds))
        clips[name] = {
            "text": text,
            "language": "ja",
            "speed": "normal",
            "engine": "offline",
            "voice": "mei_normal",
        }
    (root / "manifest.json").write_text(
        json.dumps({"version": 1, "clips": clips}, ensure_ascii=False)
    )
    return root


def buttons(app) -> list[BigButton]:
    return [
        w
        for w in app.root.current_screen.walk(restrict=True)
        if isinstance(w, BigButton) and w.opacity > 0 and not w.disabled
    ]


def button(app, caption_part: str) -> BigButton:
    found = [b for b in buttons(app) if caption_part in b.caption]
    if not found:
        raise LookupError(
            f"{app.root.current}: no button with {caption_part!r}: "
            f"{[b.caption for b in buttons(app)]}"
        )
    return found[0]


def tap(widget) -> None:
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    touch.touch_up()


def shoot(name: str) -> None:
    """A screenshot kept as SHOTS/name (Kivy adds a counter to the name it is given)."""
    written = Window.screenshot(name=str(SHOTS / f".{name}"))
    if written and os.path.exists(written):
        os.replace(written, SHOTS / name)


def check(app) -> None:
    name = app.root.current
    seen["screens"].append(name)
    seen["problems"] += [f"{name}: {p}" for p in problems(app.root, Window.size)]


def steps(app: KioskApp, api: FakeApi, catalog):
    guide = catalog.guide(GUIDE)
    question = guide.finder_question.get("ja")
    yield 0.3, lambda: tap(button(app, "手続きのやり方"))
    yield 0.3, lambda: (check(app), tap(button(app, question)))
    yield 0.3, lambda: seen.update({"overview": app.root.current})
    for _ in range(8):  # the overview's pages, then はじめる前に
        yield (
            0.2,
            lambda: (check(app), app.root.current == "guide_overview" and tap(button(app, "→"))),
        )
    # the checks come before step 1: what the phone will ask for
    yield (
        0.3,
        lambda: (
            check(app),
            seen.update({"checklist": app.root.current, "after_overview": app.root.current}),
        ),
    )
    yield 0.1, lambda: tap(button(app, "読み上げ"))
    # the heading is spoken first (made on the fly), then each item's clip in turn:
    # note what plays, a few times a second, for up to 15 s
    seen["checklist_heard"] = []

    def note_what_plays():
        name = Path(app.sound.source).name if app.sound else ""
        heard = seen["checklist_heard"]
        if name and (not heard or heard[-1] != name):
            heard.append(name)

    for _ in range(60):
        yield 0.25, note_what_plays
    yield 0.1, lambda: tap(buttons(app)[0])
    yield (
        0.2,
        lambda: seen.update(
            {
                "checked": list(app.root.current_screen.checked),
                "first_check_caption": buttons(app)[0].caption,
            }
        ),
    )
    yield 0.1, lambda: tap(button(app, "手順を始める"))
    yield (
        0.3,
        lambda: seen.update(
            {
                "step_screen": app.root.current,
                "step_counter": app.root.current_screen.counter,
                "spoke_on_entering": app.sound is not None,
                # the QR code is on the step that says to scan it
                "step1_qr": app.root.current_screen.ids.qr.data,
            }
        ),
    )
    yield 0.1, lambda: tap(button(app, "ふりがな"))
    yield (
        0.4,
        lambda: (
            check(app),
            seen.update({"furigana": app.root.current_screen.furigana}),
            shoot("guides-walk-step-speech-ja-large.png"),
        ),
    )
    yield 0.1, lambda: tap(button(app, "止める"))
    yield 0.1, lambda: seen.update({"stopped": app.sound is None})
    yield (
        0.1,
        lambda: tap(
            [b for b in buttons(app) if b.caption.startswith("音量") and "＋" in b.caption][0]
        ),
    )
    yield 0.1, lambda: seen.update({"volume": app.volume})
    yield 0.1, lambda: tap(button(app, "読み上げ"))
    yield 0.1, lambda: seen.update({"replayed": app.sound is not None})
    for _ in range(len(guide.steps) - 1):
        yield 0.15, lambda: tap(button(app, "つぎへ"))
    yield (
        0.2,
        lambda: seen.update(
            {
                "last_counter": app.root.current_screen.counter,
                "last_qr": app.root.current_screen.ids.qr.data,
                "speech_after_leaving_step1": app.sound is None,
            }
        ),
    )
    yield 0.1, lambda: tap(button(app, "手順をおえる"))
    yield (
        0.3,
        lambda: (
            check(app),
            seen.update(
                {
                    "handoff": app.root.current,
                    "url": app.root.current_screen.url,
                    "print_button_shown": any("印刷" in b.caption for b in buttons(app)),
                }
            ),
        ),
    )
    yield 0.1, lambda: tap(button(app, "困ったら"))
    yield "until", lambda: app.root.current == "sessions"
    yield (
        0.4,
        lambda: (
            check(app),
            seen.update(
                {
                    "stuck_screen": app.root.current,
                    "stuck_sessions": [
                        s["course"]["kind"] for s in app.root.current_screen.sessions
                    ],
                }
            ),
        ),
    )
    # the FAQ, from a fresh start
    yield 0.1, lambda: tap(button(app, "はじめにもどる"))
    yield 0.2, lambda: tap(button(app, "よくある質問"))
    yield 0.3, lambda: (check(app), tap(buttons(app)[0]))
    yield 0.3, lambda: (check(app), tap(buttons(app)[0]))
    yield (
        0.3,
        lambda: (
            check(app),
            seen.update(
                {
                    "faq_answer": bool(app.root.current_screen.answer_text),
                    "faq_question": app.root.current_screen.question is not None,
                }
            ),
        ),
    )
    # language and text size chosen on Home
    yield 0.1, lambda: tap(button(app, "はじめにもどる"))
    yield 0.2, lambda: tap(button(app, "特大"))
    yield 0.2, lambda: tap(button(app, "English"))
    yield (
        0.3,
        lambda: (
            check(app),
            seen.update({"home_language": app.language, "home_text_size": app.text_size}),
        ),
    )
    yield 0.0, app.heartbeat
    yield "until", lambda: len(app.outbox) == 0
    yield (
        0.2,
        lambda: seen.update(
            {
                "events": [e["kind"] for e in api.events.values()],
                "event_sizes": sorted({e.get("text_size") for e in api.events.values()}),
                "event_fields": sorted({k for e in api.events.values() for k in e}),
                "event_steps": sorted(
                    {e.get("step") for e in api.events.values() if e["kind"] == "step_reached"}
                ),
            }
        ),
    )
    yield 0.0, lambda: (OUT.write_text(json.dumps(seen, ensure_ascii=False)), app.stop())


def main() -> None:
    catalog = load_catalog()
    guide = catalog.guide(GUIDE)
    texts = [(guide.steps[0].text.get("ja"), 2.0)]
    texts += [(item.text.get("ja"), 0.3) for item in guide.checklist[:2]]
    os.environ["TSUNAGU_AUDIO_CACHE"] = str(fake_audio_cache(texts))
    with FakeApi() as api:
        data = Path(tempfile.mkdtemp(prefix="tsunagu-guide-walk-"))
        config = KioskConfig(server=api.url, token="secret", data_dir=data)
        app = KioskApp(config=config, catalog=catalog)
        walk = steps(app, api, catalog)

        def advance(_dt=None):
            try:
                wait, action = next(walk)
            except StopIteration:
                return
            if wait == "until":
                poll(action, 0)
            else:
                Clock.schedule_once(lambda _dt: (action(), advance()), wait)

        def poll(predicate, waited):
            if predicate() or waited > 15:
                advance()
            else:
                Clock.schedule_once(lambda _dt: poll(predicate, waited + 0.05), 0.05)

        def guarded(_dt):
            try:
                advance()
            except Exception as exc:  # say what failed, then stop: never hang
                seen["error"] = repr(exc)
                OUT.write_text(json.dumps(seen, ensure_ascii=False))
                app.stop()

        Clock.schedule_once(guarded, 0.8)
        Clock.schedule_once(lambda _dt: app.stop(), 90)
        app.run()


if __name__ == "__main__":
    main()
