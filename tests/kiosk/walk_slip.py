"""Driven by test_slip_live_server.py under Xvfb: one booking against a live server on a
kiosk with a printer; waits for the slip to go to ``lp`` and writes what it saw as JSON.

``python -m tests.kiosk.walk_slip OUT SERVER TOKEN PRINTER PAPER``
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kivy.clock import Clock  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402

OUT = Path(sys.argv[1])
seen: dict = {}


def walk(app: KioskApp):
    """(seconds to wait or a predicate to wait for, action): a resident's booking."""
    yield 0.3, app.start_booking
    yield (lambda: app.root.current_screen.state != "loading"), None
    yield 0.0, lambda: seen.update({"sessions": app.root.current_screen.sessions})
    yield 0.1, lambda: app.root.current_screen.choose(app.root.current_screen.sessions[0])
    yield 0.1, lambda: app.root.current_screen.agree()
    name = app.root.get_screen("name")
    for key in ("ヤ", "マ", "タ", "゛", "space", "ハ", "ナ", "コ"):
        yield 0.02, lambda k=key: name.key(k)
    yield 0.1, name.next
    phone = app.root.get_screen("phone")
    for digit in "09000000001":
        yield 0.02, lambda d=digit: phone.key(d)
    yield 0.1, phone.next
    birth = app.root.get_screen("birth")
    yield 0.02, lambda: birth.choose_era("昭和")
    for digit in "23":
        yield 0.02, lambda d=digit: birth.key(d)
    yield 0.1, birth.next
    yield 0.1, app.root.get_screen("confirm").book
    yield (lambda: app.root.current == "result"), None
    result = app.root.get_screen("result")
    yield (lambda: result.printing in ("printed", "failed")), None
    yield (
        0.1,
        lambda: seen.update(
            {
                "screen": app.root.current,
                "status": result.status,
                "code": result.code,
                "printing": result.printing,
                "rows": [list(r[:2]) for r in result.all_rows],
                "spoken": [str(t) for t in result.speech_text(app.language)],
            }
        ),
    )
    yield 0.0, lambda: (OUT.write_text(json.dumps(seen, ensure_ascii=False)), app.stop())


def main() -> None:
    server, token, printer, paper = sys.argv[2:6]
    data = Path(tempfile.mkdtemp(prefix="tsunagu-slip-"))
    config = KioskConfig(
        server=server, token=token, data_dir=data, staff_pin="2468", printer=printer, paper=paper
    )
    app = KioskApp(config=config, locked=True)
    steps = walk(app)

    def advance(_dt=None):
        try:
            wait, action = next(steps)
        except StopIteration:
            return
        if callable(wait):
            poll(wait, 0)
        else:
            Clock.schedule_once(lambda _dt: (action(), advance()), wait)

    def poll(predicate, waited):
        if predicate() or waited > 20:
            advance()
        else:
            Clock.schedule_once(lambda _dt: poll(predicate, waited + 0.05), 0.05)

    Clock.schedule_once(advance, 0.5)
    Clock.schedule_once(lambda _dt: app.stop(), 80)  # never hang a test run
    app.run()


if __name__ == "__main__":
    main()
