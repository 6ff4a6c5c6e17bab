"""Driven by test_booking_suggestion.py under Xvfb: a booking, then the next class to
suggest (issue 17) on the result screen, against a fake server.

``python -m tests.kiosk.walk_suggestion OUT SHOT`` writes what it saw as JSON to OUT and
a screenshot of the result screen to SHOT (Window.screenshot adds a number)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.cli import configure_kivy

configure_kivy(screenshot=True)

from kivy.core.window import Window  # noqa: E402

from tests.kiosk.fake_server import FakeApi  # noqa: E402
from tests.kiosk.walk_booking import UNTIL, fill_in, run  # noqa: E402

OUT, SHOT = Path(sys.argv[1]), sys.argv[2]
SUGGESTED = {
    "session_id": 31,
    "title": "LINEの使い方",
    "titles": {"en": "Using LINE"},
    "starts_at": "2026-12-10T01:00:00Z",
    "ends_at": "2026-12-10T02:30:00Z",
}
seen: dict = {}


class SuggestingApi(FakeApi):
    """The fake server, also answering /suggestions (and keeping what was asked)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[dict] = []

    def route(self, method, path, body, key):
        if path == "/api/v1/suggestions":
            self.asked.append(body)
            # the class just booked comes back too: the kiosk leaves it out
            return 200, {"suggestions": [{**SUGGESTED, "session_id": 12}, SUGGESTED]}
        return super().route(method, path, body, key)


def steps(app, api: SuggestingApi):
    result = app.root.get_screen("result")
    yield 0.3, app.start_booking
    yield UNTIL, lambda: app.root.current_screen.state != "loading"
    yield from fill_in(app)
    yield 0.0, lambda: seen.update({"asked_before_booking": len(api.asked)})
    yield 0.0, app.root.get_screen("confirm").book
    yield UNTIL, lambda: app.root.current == "result" and result.suggestions
    yield (
        0.6,
        lambda: seen.update(
            {
                "asked": api.asked,
                "suggestions": list(result.suggestions),
                "shown": result.ids.next_classes.source,
                "shown_height": result.ids.next_classes.height,
                "rows": len(result.rows),
                "split": result.split,
                "spoken": result.speech_text("ja"),
                "order": [p for _m, p, _k in api.requests if "sessions" not in p],
            }
        ),
    )
    yield 0.1, lambda: Window.screenshot(name=SHOT)
    yield 0.3, app.go_home
    yield (
        0.2,
        lambda: (
            seen.update({"after_home": list(result.suggestions)}),
            OUT.write_text(json.dumps(seen, ensure_ascii=False)),
            app.stop(),
        ),
    )


def main() -> None:
    with SuggestingApi() as api:
        run(lambda app: steps(app, api), server=api.url, token="secret")


if __name__ == "__main__":
    main()
