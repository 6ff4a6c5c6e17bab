"""Driven by test_floors.py under Xvfb: every screen kind, in every language and text size,
in one window of one size, checked against UX.md's floors and shot to a PNG.

    python -m tests.kiosk.floors_driver OUT_DIR WIDTHxHEIGHT [LANG ...]

One Kivy process per window size: the language and the text size change in-process,
as a resident changes them. Writes floors-WxH-KIND-LANG-SIZE.png for each case and
OUT_DIR/problems-WxH.json ({case: [problem, ...]}); exits 0 once every case was drawn
(the test reads the problems), 1 when the run itself broke.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)
_OUT, _SIZE = Path(sys.argv[1]), sys.argv[2]
WIDTH, HEIGHT = (int(n) for n in _SIZE.split("x"))
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", str(WIDTH))
Config.set("graphics", "height", str(HEIGHT))

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402

from kiosk import checks, stub  # noqa: E402
from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.i18n import LANGUAGES, gettext_in  # noqa: E402
from kiosk.theme import TEXT_SIZES  # noqa: E402
from tests.kiosk import ask_samples  # noqa: E402

GUIDE = "juminhyo"
FAQ_TOPIC = "koseki-juminhyo"


def _visit(app, session=None) -> None:
    """A visit typed as far as the confirm screen (a made-up person, kiosk.stub)."""
    for name, value in stub.VISIT.items():
        setattr(app.visit, name, value)
    if session is not None:
        app.visit.session = session
    app.booking_with_device = app.visit.needs_device


def _longest_question(app):
    topic = app.catalog.faq_topic(FAQ_TOPIC)
    return max(topic.questions, key=lambda q: len(q.q.get(app.language) + q.a.get(app.language)))


def _printer(app) -> None:
    app.config_values.printer = "kiosk-printer"


#: kind -> how to reach it: a function of the app that shows the screen
KINDS = {
    "home": lambda app: app.show("home", remember=False),
    "finder": lambda app: app.show("finder"),
    "guide-list": lambda app: app.show("guides"),
    "guide-overview": lambda app: app.show("guide_overview", guide_id=GUIDE),
    "guide-step": lambda app: app.show("guide", guide_id=GUIDE, step=3),
    "guide-checklist": lambda app: app.show("guide_checklist", guide_id=GUIDE, checked=["card"]),
    "handoff": lambda app: (_printer(app), app.show("guide_handoff", guide_id=GUIDE)),
    "faq-topics": lambda app: app.show("faq"),
    "faq-questions": lambda app: app.show("faq", topic_id=FAQ_TOPIC),
    "faq-answer": lambda app: app.show(
        "faq", topic_id=FAQ_TOPIC, question_id=_longest_question(app).id
    ),
    "class-list": lambda app: app.show("sessions", sessions=stub.SESSIONS),
    "class-list-offline": lambda app: app.show("sessions", offline=True),
    "consent": lambda app: (_visit(app), app.show("consent")),
    "name": lambda app: (_visit(app), app.show("name")),
    "phone": lambda app: (_visit(app), app.show("phone")),
    "birth-year": lambda app: (_visit(app), app.show("birth")),
    "device": lambda app: (_visit(app, stub.SESSIONS[-1]), app.show("device")),
    "confirm": lambda app: (_visit(app), app.show("confirm")),
    "result": lambda app: (_visit(app), app.show("result", result=stub.RESULTS["confirmed"])),
    "waitlisted": lambda app: (_visit(app), app.show("result", result=stub.RESULTS["waitlisted"])),
    "pending": lambda app: (_visit(app), app.show("result", result=stub.RESULTS["pending"])),
    "please-wait": lambda app: app.call_staff(),
    "staff-notice": lambda app: app.show(
        "notice", message="This is not ready yet. Please ask the staff."
    ),
    "idle-warning": None,  # 続けますか？ over the phone screen: see show_case
    "kinsoku-probe": None,  # FLOORS_BREAK only: a line that starts with 。
    "error": lambda app: app.recover(RuntimeError("a drawn error")),
    # 予約の確認・取り消し (issue 19)
    "lookup-code": lambda app: _lookup_entry(app, "code"),
    "lookup-phone": lambda app: _lookup_entry(app, "phone"),
    "lookup-booked": lambda app: _lookup(app, "found", "booked"),
    "lookup-lottery": lambda app: _lookup(app, "found", "lost"),
    "lookup-confirm": lambda app: (
        _lookup(app, "found", "booked"),
        app.root.get_screen("lookup").cancel_pressed(),
    ),
    "lookup-cancelled": lambda app: _lookup(app, "cancelled", "cancelled"),
    "lookup-not-found": lambda app: _lookup(app, "not_found"),
    "lookup-offline": lambda app: _lookup(app, "offline"),
    # ことばで さがす (issue 20)
    "ask-start": lambda app: app.show("ask", popular=ask_samples.POPULAR),
    "ask-keys": lambda app: _ask_keys(app),
    "ask-answers": lambda app: _ask(app, "classes"),
    "ask-not-sure": lambda app: _ask(app, "not_sure"),
    "ask-offline": lambda app: app.show("ask", question=ASKED, offline=True),
    "ask-detail": lambda app: (
        _ask(app, "classes"),
        app.root.get_screen("ask").choose(ask_samples.ANSWERS["classes"]["answers"][2]),
    ),
}

#: a question as the kana keyboard types it (ことばで さがす: its space is the full-width one)
ASKED = "スマホキョウシツ\u3000ハ\u3000イツ\u3000デスカ"


def _ask_keys(app) -> None:
    app.show("ask_keys")
    app.root.get_screen("ask_keys").typed = ASKED


def _ask(app, answer: str) -> None:
    app.show("ask", question=ASKED, result=ask_samples.ANSWERS[answer], popular=[])


def _lookup_entry(app, step: str) -> None:
    app.show("lookup_entry", step=step)
    screen = app.root.get_screen("lookup_entry")
    screen.code, screen.digits = "K7M4Q2", "09000000001"


def _lookup(app, state: str, booking: str = "") -> None:
    from kiosk.own_booking import Outcome

    found = Outcome(state, booking=stub.BOOKINGS[booking] if booking else {})
    app.show("lookup", outcome=found)


#: screens that hold the kiosk (a call for staff, an error): shown last in a language
STICKY = ("please-wait", "error")


def show_case(app, kind: str) -> None:
    if kind == "idle-warning":
        from kiosk.widgets.idle_overlay import IdleOverlay

        _visit(app)
        app.show("phone")
        app.idle_overlay = IdleOverlay(seconds=12)
        app.idle_overlay.open(animation=False)
        return
    if kind == "kinsoku-probe":
        app.show("notice", message="これは見本です\n。この行は句点から始まります")
        # and a text under the body floor (the kiosk's own labels keep to it by themselves)
        from kivy.uix.label import Label

        app.root.current_screen.add_widget(
            Label(text="小さい字", font_size=20, size_hint=(None, None), size=(400, 100))
        )
        return
    KINDS[kind](app)


def break_the_floors() -> None:
    """FLOORS_BREAK=1: sizes under every floor, to see the checks catch them."""
    from kiosk import theme

    theme.SIZES["large"] = theme.Sizes(
        body=24, heading=40, button=24, button_height=60, bar_height=70
    )


def signature(app) -> tuple:
    """Where everything is and what it says: unchanged for two frames = settled."""
    roots = [app.root] + ([app.idle_overlay] if app.idle_overlay is not None else [])
    roots += [dialog for dialog in _dialogs() if dialog is not app.idle_overlay]
    return tuple(
        (id(w), w.x, w.y, w.width, w.height, getattr(w, "text", None), w.opacity)
        for root in roots
        for w in root.walk(restrict=True)
    )


def _dialogs() -> list:
    """The kiosk's dialogs open over the screen (the idle warning aside)."""
    from kiosk.widgets.dialog import KioskDialog

    return [w for w in Window.children if isinstance(w, KioskDialog)]


def case_problems(app, kind: str) -> list[str]:
    tr = lambda message: gettext_in(message, app.language)  # noqa: E731
    screen = app.root.current_screen
    found = checks.problems(screen, Window.size)
    found += checks.nav_problems(screen, Window.size, tr)
    if app.idle_overlay is not None:
        found += checks.problems(app.idle_overlay, Window.size)
        found += checks.speech_problems(app.idle_overlay, tr)
    elif dialogs := _dialogs():  # a question over the screen (取り消しますか？)
        for dialog in dialogs:
            found += checks.problems(dialog, Window.size)
            found += checks.speech_problems(dialog, tr)
    else:
        found += checks.speech_problems(screen, tr)
    return [f"[{screen.name}] {problem}" for problem in found]


def settle(app) -> int:
    """Run the clock's pending work (kv rules, re-flows, layouts) until nothing moves.

    Nothing is drawn meanwhile: under Xvfb a drawn frame is the slow part.
    """
    from kivy.lang import Builder

    last = None
    for rounds in range(1, 80):
        Clock._process_events()
        Builder.sync()
        Clock.tick_draw()
        Builder.sync()
        now = signature(app)
        if now == last and rounds >= 3:
            return rounds
        last = now
    return rounds


def dump(root, depth: int = 0, limit: int = 4) -> None:
    """FLOORS_DUMP=1: the boxes of the screen's first levels, to see what takes the room."""
    if depth > limit:
        return
    text = (getattr(root, "source", "") or getattr(root, "text", "") or "")[:24]
    print(
        "  " * depth + f"{type(root).__name__} {root.x:.0f},{root.y:.0f} "
        f"{root.width:.0f}x{root.height:.0f} {text!r}",
        file=sys.__stderr__,
    )
    for child in reversed(root.children):
        dump(child, depth + 1, limit)


def shoot(path: Path) -> bool:
    """Draw the window once into its back buffer and save it (no flip: nothing to show).

    Read with a pack alignment of 1 and saved by Pillow: Kivy's own screenshot assumes
    rows padded to 4 bytes, and a 1366 px wide window comes out sheared.
    """
    from kivy.graphics.opengl import (
        GL_PACK_ALIGNMENT,
        GL_RGB,
        GL_UNSIGNED_BYTE,
        glPixelStorei,
        glReadPixels,
    )
    from PIL import Image

    Window.dispatch("on_draw")
    width, height = (int(n) for n in Window.size)
    glPixelStorei(GL_PACK_ALIGNMENT, 1)
    data = glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE)
    image = Image.frombytes("RGB", (width, height), bytes(data))
    hidden = path.with_name(f".{path.stem}-shot.png")
    image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(hidden, compress_level=1)
    os.replace(hidden, path)
    return path.is_file()


def wanted_shot(kind: str, language: str, size: str) -> bool:
    """Which cases are kept as PNGs: FLOORS_SHOTS=all, none, or by default ja at both
    sizes and en at 特大 (every screen kind at every window size)."""
    choice = os.environ.get("FLOORS_SHOTS", "sample")
    if choice in ("all", "none"):
        return choice == "all"
    return language == "ja" or (language == "en" and size == "extra-large")


def main() -> None:
    from kivy.base import EventLoop

    languages = sys.argv[3:] or list(LANGUAGES)
    chosen = os.environ.get("FLOORS_KINDS", "")
    kinds = chosen.split(",") if chosen else [k for k in KINDS if k != "kinsoku-probe"]
    if os.environ.get("FLOORS_BREAK"):
        break_the_floors()
    from content import load_catalog

    config = KioskConfig(data_dir=Path(tempfile.mkdtemp(prefix="tsunagu-floors-")))
    app = KioskApp(config=config, catalog=load_catalog())
    app.recover_after = 3600  # the error screen stays while it is checked
    kinds.sort(key=lambda kind: kind in STICKY)
    cases = [(k, lang, size) for lang in languages for size in TEXT_SIZES for k in kinds]
    results: dict[str, list[str]] = {}
    started = time.monotonic()
    _OUT.mkdir(parents=True, exist_ok=True)
    app._run_prepare()
    EventLoop.idle()
    for kind, language, size in cases:
        began = time.monotonic()
        if app.idle_overlay is not None:
            app.idle_overlay.dismiss(animation=False)
            app.idle_overlay = None
        if (language, size) != (app.language, app.text_size) or kind in STICKY:
            # a new language or size: a new visit, as a resident would start one. Widgets
            # the screens dropped are collected first: a kv binding of one collected while
            # app.language is being dispatched raises ReferenceError (Kivy 2.3)
            gc.collect()
            app.end_visit()
            app.choose("language", language)
            app.choose("text_size", size)
        else:
            # one resident walking on in the same language: what they typed is dropped
            # (the case sets its own), the language switch (slow) is not redone
            app.visit.reset()
            app.history = []
        show_case(app, kind)
        rounds = settle(app)
        name = f"floors-{WIDTH}x{HEIGHT}-{kind}-{language}-{size}"
        checked = time.monotonic()
        if os.environ.get("FLOORS_DUMP"):
            dump(app.root.current_screen)
        try:
            results[name] = case_problems(app, kind)
        except Exception as exc:  # the check itself broke: say so, go on
            results[name] = [f"the check failed: {type(exc).__name__}: {exc}"]
        shot = time.monotonic()
        if wanted_shot(kind, language, size) and not shoot(_OUT / f"{name}.png"):
            results[name].append("the screenshot was not written")
        if os.environ.get("FLOORS_TIMING"):
            print(
                f"{name} rounds {rounds} settle {checked - began:.2f} "
                f"check {shot - checked:.2f} shot {time.monotonic() - shot:.2f}",
                file=sys.__stderr__,
            )
    (_OUT / f"problems-{WIDTH}x{HEIGHT}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1)
    )
    print(f"{len(results)} cases in {time.monotonic() - started:.1f} s", file=sys.__stderr__)
    app.stop()


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        # Kivy has taken sys.stderr over for its (silenced) logger: say it on the real one
        import traceback

        traceback.print_exc(file=sys.__stderr__)
        sys.exit(1)
