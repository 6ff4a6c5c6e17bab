"""Driven by test_booking_walk.py under Xvfb: the kiosk books against a fake server.

Taps the real widgets' handlers (keys, buttons) in the order a resident would, then
writes what it saw as JSON to the path given on the command line.

``python -m tests.kiosk.walk_booking OUT SERVER TOKEN`` walks one booking against a live
server instead (test_booking_live_server.py) and writes what the result screen showed.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.help_call import SENDING  # noqa: E402
from tests.kiosk.fake_server import FakeApi  # noqa: E402

OUT = Path(sys.argv[1])
#: wait until the action (a predicate) holds, at most 15 s
UNTIL = "until"
seen: dict = {}


def steps(app: KioskApp, api: FakeApi):
    """A generator of (seconds to wait, action): a resident's walk, twice."""
    for round_ in ("online", "offline"):
        yield 0.3, app.start_booking
        yield UNTIL, lambda: app.root.current_screen.state != "loading"
        yield 0.0, lambda r=round_: seen.setdefault(f"{r}_sessions", app.root.current_screen.state)
        yield 0.1, lambda: app.root.current_screen.choose(app.root.current_screen.sessions[0])
        yield 0.1, lambda: app.root.current_screen.agree()
        name = app.root.get_screen("name")
        for key in ("ヤ", "マ", "タ", "゛", "space", "ハ", "ナ", "コ"):
            yield 0.02, lambda k=key, s=name: s.key(k)
        yield 0.1, name.next
        phone = app.root.get_screen("phone")
        for digit in "09000000001":
            yield 0.02, lambda d=digit, s=phone: s.key(d)
        yield 0.1, phone.next
        birth = app.root.get_screen("birth")
        yield 0.02, lambda s=birth: s.choose_era("昭和")
        for digit in "23":
            yield 0.02, lambda d=digit, s=birth: s.key(d)
        yield 0.1, birth.next
        if round_ == "offline":
            yield 0.0, lambda: setattr(api, "fail_next", 10_000)
        confirm = app.root.get_screen("confirm")
        # a double tap on 申し込む
        yield 0.0, confirm.book
        yield 0.0, confirm.book
        yield UNTIL, lambda: app.root.current == "result"
        yield (
            0.2,
            lambda r=round_: seen.update(
                {
                    f"{r}_screen": app.root.current,
                    f"{r}_result": dict(app.root.get_screen("result").result),
                    f"{r}_reading_sent": [b.get("reading") for b in api.bookings.values()],
                    f"{r}_registrations": len(api.registrations),
                    f"{r}_outbox": app.outbox.pending("booking"),
                    f"{r}_keys": sorted(
                        {k for _m, p, k in api.requests if p.endswith("registrations")}
                    ),
                }
            ),
        )
    # the server is back: the next heartbeat sends the pending booking, once
    yield 0.0, lambda: setattr(api, "fail_next", 0)
    yield 0.0, app.heartbeat
    yield UNTIL, lambda: app.outbox.pending("booking") == 0
    yield (
        0.2,
        lambda: seen.update(
            {"after_registrations": len(api.registrations), "after_outbox": len(app.outbox)}
        ),
    )
    # 職員を呼ぶ
    yield 0.0, app.call_staff
    yield UNTIL, lambda: len(app.outbox) == 0
    # the server's answer reaches the screen on the GUI thread a moment after it is sent
    yield UNTIL, lambda: app.help_call is not None and app.help_call.state != SENDING
    yield (
        0.2,
        lambda: seen.update(
            {
                "help_requests": len(api.help_requests),
                "help_message": app.root.get_screen("notice").message,
            }
        ),
    )
    # the visit is forgotten on はじめにもどる
    yield 0.0, app.go_home
    yield (
        0.2,
        lambda: seen.update(
            {
                "visit_empty": app.visit.empty,
                "name_after": app.root.get_screen("name").reading,
                "phone_after": app.root.get_screen("phone").digits,
                "result_after": dict(app.root.get_screen("result").result),
                "screen_after": app.root.current,
            }
        ),
    )
    # lock-down: closing, Escape and F1 do nothing
    yield (
        0.0,
        lambda: seen.update(
            {
                "close_refused": bool(Window.dispatch("on_request_close")),
                "escape_swallowed": bool(Window.dispatch("on_keyboard", 27, 0, None, [])),
                "f1_swallowed": bool(Window.dispatch("on_keyboard", 282, 0, None, [])),
            }
        ),
    )
    # an error in a callback: a calm screen, a log without what was typed, then home
    yield 0.0, lambda: setattr(app.visit, "reading", "ヤマダ")
    yield 0.0, lambda: Clock.schedule_once(lambda _dt: int(app.visit.reading))
    yield 0.3, lambda: seen.update({"error_screen": app.root.current})
    yield UNTIL, lambda: app.root.current == "home"
    yield (
        0.1,
        lambda: seen.update(
            {"after_error_screen": app.root.current, "after_error_visit_empty": app.visit.empty}
        ),
    )
    # staff: four corners, then the PIN
    w, h = Window.width, Window.height
    for x, y in ((5, h - 5), (w - 5, h - 5), (w - 5, 5), (5, 5)):
        yield 0.05, lambda x=x, y=y: app._on_any_touch(Window, Touch(x, y))
    yield 0.1, lambda: seen.update({"corner_screen": app.root.current})
    pin = app.root.get_screen("staff_pin")
    for digit in "1111":
        yield 0.0, lambda d=digit: pin.key(d)
    yield 0.0, pin.submit
    yield 0.05, lambda: seen.update({"wrong_pin": pin.wrong, "still_running": True})
    for digit in "2468":
        yield 0.0, lambda d=digit: pin.key(d)
    yield 0.0, lambda: (seen.update({"logs": LOGS}), OUT.write_text(json.dumps(seen)), pin.submit())


def fill_in(app: KioskApp):
    """From the sessions list to the confirm screen: the first session, consent, name, phone, year."""
    yield 0.1, lambda: app.root.current_screen.choose(app.root.current_screen.sessions[0])
    yield 0.1, lambda: app.root.current_screen.agree()
    name = app.root.get_screen("name")
    for key in ("ヤ", "マ", "タ", "゛", "space", "ハ", "ナ", "コ"):
        yield 0.02, lambda k=key, s=name: s.key(k)
    yield 0.1, name.next
    phone = app.root.get_screen("phone")
    for digit in "09000000001":
        yield 0.02, lambda d=digit, s=phone: s.key(d)
    yield 0.1, phone.next
    birth = app.root.get_screen("birth")
    yield 0.02, lambda s=birth: s.choose_era("昭和")
    for digit in "23":
        yield 0.02, lambda d=digit, s=birth: s.key(d)
    yield 0.1, birth.next


def visit_clip(app: KioskApp) -> str:
    """The first clip of what the resident typed, spoken into this visit's directory ("" yet)."""
    directory = app.visit_clips.directory
    clips = sorted(directory.glob("clip-*")) if directory is not None else []
    return str(clips[0]) if clips else ""


def live_steps(app: KioskApp):
    """One booking against a live server; the result screen's code goes to OUT."""
    yield 0.3, app.start_booking
    yield UNTIL, lambda: app.root.current_screen.state != "loading"
    yield (
        0.0,
        lambda: seen.update(
            {
                "sessions_state": app.root.current_screen.state,
                "sessions": len(app.root.current_screen.sessions),
            }
        ),
    )
    yield from fill_in(app)
    confirm = app.root.get_screen("confirm")
    # no clip was built for what the resident typed: it is spoken on the fly, then played
    yield UNTIL, lambda: visit_clip(app)
    yield (
        0.0,
        lambda: seen.update(
            {
                "confirm_clip": visit_clip(app),
                "clip_dir_mode": oct(Path(visit_clip(app)).parent.stat().st_mode & 0o777)
                if visit_clip(app)
                else "",
                "playing": app.sound is not None,
            }
        ),
    )
    # a double tap on 申し込む
    yield 0.0, confirm.book
    yield 0.0, confirm.book
    yield UNTIL, lambda: app.root.current == "result"
    yield (
        0.2,
        lambda: seen.update(
            {
                "screen": app.root.current,
                "result": dict(app.root.get_screen("result").result),
                "shown_code": app.root.get_screen("result").code,
                "outbox": app.outbox.pending("booking"),
                "clip_left": bool(seen.get("confirm_clip")) and Path(seen["confirm_clip"]).exists(),
                "visit_dirs_left": [
                    p.name for p in app.config_values.data_dir.glob("visit-speech-*")
                ],
            }
        ),
    )
    yield 0.0, lambda: (OUT.write_text(json.dumps(seen)), app.stop())


class Touch:
    def __init__(self, x, y):
        self.x, self.y = x, y


class Collect(logging.Handler):
    def emit(self, record):
        LOGS.append(record.getMessage())


LOGS: list[str] = []
logging.getLogger("kiosk").addHandler(Collect())


def main() -> None:
    if len(sys.argv) > 3:  # a live server: OUT SERVER TOKEN
        run(live_steps, server=sys.argv[2], token=sys.argv[3])
        return
    with FakeApi() as api:
        run(lambda app: steps(app, api), server=api.url, token="secret")


def run(make_walk, server: str, token: str) -> None:
    """Start the locked-down kiosk on ``server`` and play the walk ``make_walk(app)`` gives."""
    data = Path(tempfile.mkdtemp(prefix="tsunagu-walk-"))
    config = KioskConfig(server=server, token=token, data_dir=data, staff_pin="2468")
    app = KioskApp(config=config, locked=True)
    app.recover_after = 0.5
    walk = make_walk(app)

    def advance(_dt=None):
        try:
            wait, action = next(walk)
        except StopIteration:
            return  # the staff PIN has closed the app
        if wait == UNTIL:
            poll(action, 0)
        else:
            Clock.schedule_once(lambda _dt: (action(), advance()), wait)

    def poll(predicate, waited):
        if predicate() or waited > 15:
            advance()
        else:
            Clock.schedule_once(lambda _dt: poll(predicate, waited + 0.05), 0.05)

    Clock.schedule_once(advance, 0.5)
    Clock.schedule_once(lambda _dt: app.stop(), 75)  # never hang a test run
    app.run()


if __name__ == "__main__":
    main()
