"""Driven by test_help_call.py under Xvfb: 職員を呼ぶ against the fake server, on a fake clock.

``python -m tests.kiosk.walk_help OUT.json SHOTS_DIR`` presses 職員を呼ぶ on a guide step,
lets the idle reset come and go, has "staff" take and close the call on the fake server,
calls again and lets ten minutes pass; writes what the kiosk showed at each point as JSON
and screenshots of the please-wait screen into SHOTS_DIR.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tests.kiosk.walk_booking import UNTIL

#: seconds before the walk gives up (a loaded machine draws slowly)
GIVE_UP = 200

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("help.json")
SHOTS = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT.parent
seen: dict = {}
#: the kiosk's help clock (seconds), moved on by the walk instead of waiting
clock = [1000.0]


def shoot(name: str) -> None:
    from kivy.core.window import Window

    hidden = SHOTS / f".{name}-shot.png"
    written = Window.screenshot(name=str(hidden))
    if written and os.path.exists(written):
        os.replace(written, SHOTS / f"{name}.png")


def steps(app, api):
    from kivy.clock import Clock

    from kiosk.help_call import WAIT_LIMIT

    app.help_clock = lambda: clock[0]
    app.help_tick_every = 0.1
    notice = lambda: app.root.get_screen("notice")  # noqa: E731

    def call():
        return next(iter(api.help_requests.values()), {}) if api.help_requests else {}

    def idle_far_back():
        app.idle.last_touch -= 10_000  # 続けますか？ and the reset are long overdue

    # 1. a resident on step 3 of a guide presses 職員を呼ぶ
    yield 0.3, lambda: app.show("guide", guide_id="juminhyo", step=3)
    yield 0.1, app.call_staff
    yield UNTIL, lambda: bool(api.help_requests) and app.help_call.state != "sending"
    yield (
        0.0,
        lambda: seen.update(
            screen_sent=call().get("screen"),
            sent_fields=sorted(call()),
            waiting_message=notice().message,
            waiting_detail=notice().detail,
        ),
    )
    yield 0.3, lambda: shoot("please-wait-coming")
    # 2. nobody touches the screen: the idle rules would warn and reset, but not now
    yield 0.0, idle_far_back
    yield (
        2.5,
        lambda: seen.update(
            after_idle=app.root.current, overlay_after_idle=app.idle_overlay is not None
        ),
    )
    # 3. staff take the call on the board; the kiosk learns it at its next poll
    client_id = app.help_call.client_id
    yield 0.0, lambda: api.help_status.__setitem__(client_id, "taken")
    yield 0.0, lambda: clock.__setitem__(0, clock[0] + 11)
    yield UNTIL, lambda: notice().message == "A staff member is on the way."
    yield (
        0.0,
        lambda: seen.update(
            taken_message=notice().message,
            taken_on=app.root.current,
            taken_text=notice().ids.message.text,
        ),
    )
    yield 0.3, lambda: shoot("please-wait-on-the-way")
    # 4. staff close it: the resident's step comes back, and the idle rules again
    yield 0.0, lambda: api.help_status.__setitem__(client_id, "closed")
    yield 0.0, lambda: clock.__setitem__(0, clock[0] + 11)
    yield UNTIL, lambda: app.root.current != "notice"
    yield (
        0.0,
        lambda: seen.update(
            closed_back_to=app.root.current,
            closed_step=app.root.get_screen("guide").index + 1,
            closed_call=app.help_call,
        ),
    )
    # 5. a second call that nobody takes: after ten minutes the screen is given back
    yield 0.3, lambda: app.show("phone")
    yield 0.1, app.call_staff
    yield UNTIL, lambda: len(api.help_requests) == 2 and app.help_call.state != "sending"
    yield 0.0, lambda: seen.update(second_screen=list(api.help_requests.values())[1]["screen"])
    # pressed again while waiting: the same call, not a second one
    yield 0.1, app.call_staff
    yield 0.5, lambda: seen.update(calls_after_second_press=len(api.help_requests))
    yield 0.0, lambda: clock.__setitem__(0, clock[0] + WAIT_LIMIT - 5)
    yield 0.0, idle_far_back
    yield 1.5, lambda: seen.update(before_ten_minutes=app.root.current)
    yield 0.0, lambda: clock.__setitem__(0, clock[0] + 6)
    yield UNTIL, lambda: app.root.current != "notice"
    yield (
        0.0,
        lambda: seen.update(
            after_ten_minutes=app.root.current, call_after_ten_minutes=app.help_call
        ),
    )
    # the idle rules are back: 続けますか？ comes once the resident leaves (what the idle
    # watcher decides is written down at once, before the warning is drawn)
    poll = app.idle.poll

    def watched_poll():
        action = poll()
        if action == "warn":
            seen.update(idle_warns_again=True)
            OUT.write_text(json.dumps(seen))
            Clock.schedule_once(lambda _dt: app.stop(), 0.5)
        return action

    yield 0.0, lambda: setattr(app.idle, "poll", watched_poll)
    yield 0.0, lambda: OUT.write_text(json.dumps(seen))
    yield 0.0, idle_far_back


def run(make_walk, server: str, token: str) -> None:
    """Start the locked-down kiosk on ``server`` and play the walk ``make_walk(app)`` gives."""
    import tempfile

    from kivy.clock import Clock

    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig

    data = Path(tempfile.mkdtemp(prefix="tsunagu-help-"))
    app = KioskApp(config=KioskConfig(server=server, token=token, data_dir=data), locked=True)
    walk = make_walk(app)

    def advance(_dt=None):
        try:
            wait, action = next(walk)
        except StopIteration:
            return
        if wait == UNTIL:
            poll(action, 0)
        else:
            Clock.schedule_once(lambda _dt: (action(), advance()), wait)

    def poll(predicate, waited):
        if predicate() or waited > 30:
            advance()
        else:
            Clock.schedule_once(lambda _dt: poll(predicate, waited + 0.05), 0.05)

    Clock.schedule_once(advance, 0.5)
    Clock.schedule_once(lambda _dt: app.stop(), GIVE_UP)  # never hang a test run
    app.run()


def main() -> None:
    from tests.kiosk.fake_server import FakeApi

    with FakeApi() as api:
        run(lambda app: steps(app, api), server=api.url, token="secret")


if __name__ == "__main__":
    main()
