"""Driven by test_lookup_walk.py under Xvfb: 予約の確認・取り消し against a fake server.

From the home screen's button: the code on the code pad, the phone on the number pad, the
booking shown; 取り消す asks first, then a double tap on the dialog's 取り消す cancels once
and the confirmation is spoken; a wrong phone shows "not found"; with the server down the
screen says so and the kiosk stays up. Writes what it saw as JSON to the path given.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kiosk import stub  # noqa: E402
from kiosk.app import KioskApp  # noqa: E402
from kiosk.widgets.dialog import KioskDialog  # noqa: E402
from tests.kiosk.fake_server import FakeApi  # noqa: E402
from tests.kiosk.walk_booking import UNTIL, run  # noqa: E402

OUT = Path(sys.argv[1])
CODE, PHONE = "K7M4Q2", "09000000001"
seen: dict = {}


class LookupApi(FakeApi):
    """One booking (code K7M4Q2, phone 090-0000-0001); counts the cancels it is sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = dict(stub.BOOKINGS["booked"])
        self.cancels = 0
        self.bodies: list[dict] = []

    def route(self, method, path, body, key):
        if path in ("/api/v1/bookings/lookup", "/api/v1/bookings/cancel"):
            self.bodies.append(body)
            if (body.get("code"), body.get("phone")) != (CODE, PHONE):
                return 404, {"error": "not_found", "message": "No booking matches."}
            if path.endswith("cancel"):
                self.cancels += 1
                self.booking.update(status="cancelled", cancellable=False)
            return 200, {"booking": self.booking}
        return super().route(method, path, body, key)


def dialogs() -> list:
    from kivy.core.window import Window

    return [w for w in Window.children if isinstance(w, KioskDialog)]


def shown(button) -> bool:
    """On screen and taken: not hidden, not greyed, wider than a sliver."""
    return button.opacity == 1 and not button.disabled and button.width > 50


def type_in(app, code: str, phone: str):
    entry = app.root.get_screen("lookup_entry")
    for char in code:
        yield 0.02, lambda c=char: entry.key(c)
    yield 0.05, entry.next
    for digit in phone:
        yield 0.02, lambda d=digit: entry.key(d)
    yield 0.05, entry.next


def steps(app: KioskApp, api: LookupApi):
    spoken: list = []
    app.speaker.read = lambda texts, language: spoken.append(list(texts)) or 0
    yield 0.3, lambda: app.root.get_screen("home").choose("lookup")
    yield 0.1, lambda: seen.update(first_screen=app.root.current)
    # a wrong phone: not found, nothing shown
    yield from type_in(app, CODE, "09000000002")
    lookup = app.root.get_screen("lookup")
    yield UNTIL, lambda: lookup.outcome.state != "loading"
    yield (
        0.1,
        lambda: seen.update(
            wrong_state=lookup.outcome.state,
            wrong_rows=len(lookup.ids.rows.rows),
            wrong_again=shown(lookup.ids.again),
            wrong_cancel=shown(lookup.ids.cancel),
        ),
    )
    # もう一度 (its button, as a finger taps it): the code again (as typed), then the phone
    yield 0.0, lambda: lookup.ids.again.dispatch("on_release")
    yield 0.05, lambda: seen.update(again_screen=app.root.current)
    entry = app.root.get_screen("lookup_entry")
    for _ in range(6):
        yield 0.0, lambda: entry.key("delete")
    yield 0.0, lambda: setattr(entry, "digits", "")
    yield from type_in(app, CODE, PHONE)
    yield UNTIL, lambda: lookup.outcome.state != "loading"
    yield (
        0.2,
        lambda: seen.update(
            found_state=lookup.outcome.state,
            found_rows=[list(r[:2]) for r in lookup.ids.rows.rows],
            found_heading=lookup.speech_text("ja")[0],
        ),
    )
    # 取り消す asks first; nothing is sent before the dialog's 取り消す
    yield 0.0, lambda: seen.update(found_cancel=shown(lookup.ids.cancel))
    yield 0.0, lambda: lookup.ids.cancel.dispatch("on_release")
    yield 0.0, lambda: lookup.ids.cancel.dispatch("on_release")  # a double tap: one dialog
    yield 0.1, lambda: seen.update(dialogs=len(dialogs()), cancels_before=api.cancels)
    tap = lambda: dialogs()[0].ids.confirm.dispatch("on_release") if dialogs() else None  # noqa: E731
    yield 0.0, tap
    yield 0.0, lookup.confirm_cancel  # a second tap on 取り消す, the dialog already gone
    yield UNTIL, lambda: lookup.outcome.state == "cancelled"
    yield (
        0.3,
        lambda: seen.update(
            cancelled_state=lookup.outcome.state,
            cancelled_heading=lookup.speech_text("ja")[0],
            cancels=api.cancels,
            dialogs_after=len(dialogs()),
            spoken=[str(t) for texts in spoken for t in texts],
            sent_keys=sorted({k for b in api.bodies for k in b}),
        ),
    )
    # the server goes down: the screen says so, the kiosk stays up
    yield 0.0, app.go_home
    yield 0.0, lambda: setattr(api, "fail_next", 10_000)
    yield 0.05, lambda: app.root.get_screen("home").choose("lookup")
    yield from type_in(app, CODE, PHONE)
    yield UNTIL, lambda: lookup.outcome.state != "loading"
    yield (
        0.2,
        lambda: seen.update(
            down_state=lookup.outcome.state,
            down_screen=app.root.current,
            down_heading=lookup.speech_text("en")[0],
            down_again=shown(lookup.ids.again),
        ),
    )
    # はじめにもどる forgets what was typed
    yield 0.0, app.go_home
    yield (
        0.1,
        lambda: seen.update(
            after_code=app.root.get_screen("lookup_entry").code,
            after_digits=app.root.get_screen("lookup_entry").digits,
            after_state=lookup.outcome.state,
        ),
    )
    yield 0.0, lambda: (OUT.write_text(json.dumps(seen, ensure_ascii=False)), app.stop())


def main() -> None:
    with LookupApi() as api:
        run(lambda app: steps(app, api), server=api.url, token="secret")


if __name__ == "__main__":
    main()
