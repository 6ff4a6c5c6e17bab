"""Driven by test_ask_walk.py under Xvfb: ことばで さがす against a fake server.

    python -m tests.kiosk.walk_ask OUT_DIR WIDTHxHEIGHT LANGUAGE

From Home's button: the questions others asked come from the server, one opens its FAQ
answer; the question typed on the kana keyboard goes to the server in hiragana; an answer
opens its guide; a question without a sure answer gives the counter's phone and hours;
with the server down the screen says so, offers the kiosk's own questions, and the kiosk
stays up. Writes OUT_DIR/seen.json and a PNG of each state (ask-WxH-LANG-STATE.png).
"""

from __future__ import annotations

import json
import sys

# first: the window's size (argv[2]) and Kivy's options, as the floors set them
from tests.kiosk.floors_driver import _OUT as OUT  # noqa: I001
from tests.kiosk.floors_driver import HEIGHT, WIDTH, settle, shoot

LANGUAGE = sys.argv[3]

from kiosk import checks  # noqa: E402
from kiosk.widgets import BigButton  # noqa: E402
from tests.kiosk import ask_samples  # noqa: E402
from tests.kiosk.fake_server import FakeApi  # noqa: E402
from tests.kiosk.walk_booking import UNTIL, run  # noqa: E402

#: スマホキョウシツ　イツ as tapped: キ ヨ 小 makes キョ
KEYS = ("ス", "マ", "ホ", "キ", "ヨ", "小", "ウ", "シ", "ツ", "space", "イ", "ツ")
seen: dict = {"problems": [], "shots": []}


class AskApi(FakeApi):
    """Answers 天気 with nothing sure, anything else with the convenience-store answers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[dict] = []

    def route(self, method, path, body, key):
        if method == "GET" and path.startswith("/api/v1/ask/popular"):
            return 200, {"questions": ask_samples.POPULAR}
        if method == "POST" and path == "/api/v1/ask":
            self.asked.append(body)
            sure = "てんき" not in body.get("question", "")
            return 200, ask_samples.ANSWERS["faq" if sure else "not_sure"]
        return super().route(method, path, body, key)


def buttons(app) -> list[BigButton]:
    return [
        w
        for w in app.root.current_screen.walk(restrict=True)
        if isinstance(w, BigButton) and w.opacity > 0 and not w.disabled
    ]


def press(app, caption_part: str) -> None:
    """Tap the button whose caption holds ``caption_part`` (its on_release, as a tap does)."""
    found = [b for b in buttons(app) if caption_part in b.caption]
    if not found:
        raise LookupError(
            f"{app.root.current}: no {caption_part!r} in {[b.caption for b in buttons(app)]}"
        )
    found[0].dispatch("on_release")


def look(app, state: str) -> None:
    """Check the screen against the floors, once laid out, and keep its picture."""
    settle(app)
    screen = app.root.current_screen
    seen["problems"] += [f"{state}: {p}" for p in checks.problems(screen, (WIDTH, HEIGHT))]
    name = f"ask-{WIDTH}x{HEIGHT}-{LANGUAGE}-{state}.png"
    if shoot(OUT / name):
        seen["shots"].append(name)


def tr(app, message: str) -> str:
    return app.tr(message, LANGUAGE)


def steps(app, api: AskApi):
    ask = lambda: app.root.get_screen("ask")  # noqa: E731
    yield 0.2, lambda: app.choose("language", LANGUAGE)
    yield 0.2, lambda: press(app, tr(app, "Search in your own words"))
    yield UNTIL, lambda: ask().popular and ask().popular[0].get("from") == "asked"
    yield 0.1, lambda: (look(app, "start"), seen.update(popular=[q["text"] for q in ask().popular]))
    # a question others asked opens its FAQ answer
    yield 0.0, lambda: press(app, ask_samples.POPULAR[0]["text"])
    yield (
        0.2,
        lambda: seen.update(
            popular_opened=app.root.current,
            popular_question=getattr(app.root.current_screen.question, "id", None),
        ),
    )
    yield 0.0, app.go_back  # もどる once: back to the questions, not to the FAQ's topics
    yield 0.1, lambda: seen.update(back_at=app.root.current)
    # typed on the kana keyboard
    yield 0.0, lambda: press(app, tr(app, "Type a question"))
    keys = app.root.get_screen("ask_keys")
    for key in KEYS:
        yield 0.02, lambda k=key: keys.key(k)
    yield 0.1, lambda: (seen.update(typed=keys.typed), look(app, "keys"))
    yield 0.0, lambda: press(app, tr(app, "Search"))
    yield UNTIL, lambda: ask().state == "answers"
    yield (
        0.1,
        lambda: (
            look(app, "answers"),
            seen.update(sent=list(api.asked), answers=[b.caption for b in buttons(app)]),
        ),
    )
    # the best answer opens its guide
    yield 0.0, lambda: press(app, ask_samples.ANSWERS["faq"]["answers"][0]["title"])
    yield (
        0.2,
        lambda: seen.update(answer_opened=app.root.current, guide=app.root.current_screen.guide.id),
    )
    # もどる: the answers as they were; again: the keys, the question as typed
    yield 0.0, app.go_back
    yield 0.1, lambda: seen.update(back_to_answers=[ask().state, ask().question])
    yield 0.0, app.go_back
    yield 0.1, lambda: seen.update(back_to_keys=[app.root.current, keys.typed])
    # a question the ward has no answer for
    yield 0.0, lambda: setattr(keys, "typed", "")
    for key in ("テ", "ン", "キ"):
        yield 0.02, lambda k=key: keys.key(k)
    yield 0.0, lambda: press(app, tr(app, "Search"))
    yield UNTIL, lambda: ask().state == "answers"
    yield (
        0.1,
        lambda: (
            look(app, "not-sure"),
            seen.update(not_sure=[ask().message_text, ask().counter_text]),
        ),
    )
    # the server goes down: said plainly, the kiosk's own questions, no crash
    yield 0.0, lambda: setattr(api, "fail_next", 10_000)
    yield 0.0, app.go_back
    yield 0.0, lambda: press(app, tr(app, "Search"))
    yield UNTIL, lambda: ask().state == "offline"
    yield (
        0.1,
        lambda: (
            look(app, "offline"),
            seen.update(
                offline=[ask().message_text, ask().counter_text],
                offline_popular=[q["text"] for q in ask().popular],
                offline_screen=app.root.current,
            ),
        ),
    )
    yield 0.0, app.go_home  # a new visit: in Japanese again, as a resident finds it
    yield 0.2, lambda: app.choose("language", LANGUAGE)
    yield 0.2, lambda: press(app, tr(app, "Search in your own words"))
    yield UNTIL, lambda: ask().popular_offline
    yield (
        0.1,
        lambda: (
            look(app, "start-offline"),
            seen.update(
                start_offline=ask().message_text,
                start_offline_popular=[q.get("from", "kiosk") for q in ask().popular],
            ),
        ),
    )
    yield 0.0, lambda: press(app, ask().popular[0]["text"])
    yield 0.2, lambda: seen.update(offline_opened=app.root.current)
    yield (
        0.0,
        lambda: (
            (OUT / "seen.json").write_text(json.dumps(seen, ensure_ascii=False)),
            app.stop(),
        ),
    )


def main() -> None:
    with AskApi() as api:
        run(lambda app: traced(steps(app, api)), server=api.url, token="secret")


def traced(walk):
    """The walk's steps, each failure told on the real stderr (Kivy holds sys.stderr)."""
    for wait, action in walk:
        if wait == UNTIL:
            yield wait, action
            continue

        def step(action=action):
            try:
                action()
            except Exception:
                import traceback

                traceback.print_exc(file=sys.__stderr__)
                raise

        yield wait, step


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        import traceback

        traceback.print_exc(file=sys.__stderr__)
        sys.exit(1)
