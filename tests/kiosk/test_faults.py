"""Faults around the kiosk: the server killed mid-booking, speech that cannot be written.

The server runs in its own process (this module run as ``python -m tests.kiosk.test_faults
serve URL PORT SLOW``) so it can be killed with SIGKILL while bookings are in flight: each
booking's answer is held back ``SLOW`` seconds after its transaction committed, the moment
a crash hurts most (booked, but the kiosk never hears so). Two kiosks' outboxes then
resend with the same Idempotency-Keys to the server started again on the same port.

Speech: the kiosk's data dir or audio cache cannot be used (a file where the directory
should be fails even for root; a full or read-only disk is simulated at the one place
clips are written). At the service level, and in the real window under Xvfb (this module
run as ``python -m tests.kiosk.test_faults speech-window step|confirm OUT.json SHOT.png``).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.kiosk.xvfb import run_module

ROOT = Path(__file__).resolve().parents[2]
#: seconds each booking's answer waits after its commit in the first server
SLOW = 3.0


# -- the server process ------------------------------------------------------------------


def _serve(url: str, port: int, slow: float, workdir: str) -> None:
    """Serve ``web.create_app`` on ``url``'s database; answers to bookings wait ``slow`` s."""
    from werkzeug.serving import make_server

    from classroom.db import Database
    from web import create_app

    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "test-secret",
            "DATABASE": Database(url),
            "CONTENT_BUNDLE_DIR": f"{workdir}/bundles",
            "AUDIO_CACHE_DIR": f"{workdir}/audio",
        }
    )
    inner = app.wsgi_app

    def held_back(environ, start_response):
        answer = inner(environ, start_response)  # the booking is committed by now
        if environ["PATH_INFO"].endswith("/registrations") and slow:
            time.sleep(slow)
        return answer

    app.wsgi_app = held_back
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


def _speech_window(mode: str, out: Path, shot: Path) -> None:
    """The real window with speech that cannot work; what it shows, written to ``out``.

    ``step``: a guide step while the audio cache is a file. ``confirm``: the booking's
    confirmation while the disk is full (the one place clips are written says ENOSPC).
    """
    import json
    import tempfile

    from kiosk.cli import configure_kivy

    configure_kivy(screenshot=True)
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    from content import load_catalog
    from content import speech as content_speech
    from kiosk.app import KioskApp
    from kiosk.checks import problems
    from kiosk.cli import screenshot_setup
    from kiosk.config import KioskConfig
    from kiosk.widgets.big_button import BigButton
    from kiosk.widgets.speech_bar import SpeechBar
    from tests.kiosk.fake_server import FakeApi

    work = Path(tempfile.mkdtemp(prefix="tsunagu-speech-fault-"))
    if mode == "step":
        (work / "audio").write_text("not a directory")  # where the audio cache should be
    else:

        def full(target):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

        content_speech._atomic = full
    os.environ["TSUNAGU_AUDIO_CACHE"] = str(work / "audio")
    lines: list[str] = []

    class Count(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logging.getLogger("kiosk.services.visit_speech").addHandler(Count(logging.WARNING))
    seen: dict = {}

    def tap(widget) -> None:
        touch = UnitTestTouch(*widget.to_window(*widget.center))
        touch.touch_down()
        touch.touch_up()

    with FakeApi() as api:
        app = KioskApp(
            config=KioskConfig(server=api.url, token="secret", data_dir=work / "data"),
            catalog=load_catalog(),
        )
        # the engine in this process, where the full disk above reaches it (the kiosk's
        # own runs in a process of its own: test_speech_process.py checks its disk errors)
        app.visit_clips.engine_factory = content_speech.OfflineEngine

        def widgets(kind):
            return [w for w in app.root.current_screen.walk(restrict=True) if isinstance(w, kind)]

        def open_screen(_dt):
            name, params, setup = screenshot_setup(
                "guide" if mode == "step" else "confirm", guide_id="juminhyo"
            )
            if setup is not None:
                setup(app)
            app.show(name, **params)
            settle(time.monotonic())

        def settle(started, *_dt):
            # the confirmation's engine runs off the GUI thread (its first start loads a voice)
            waiting = mode == "confirm" and not app.visit_clips.health.problem
            if waiting and time.monotonic() - started < 20:
                Clock.schedule_once(lambda _dt: settle(started), 0.1)
                return
            Clock.schedule_once(look, 0.5)

        def look(_dt):
            screen = app.root.current_screen
            # the speech bar (in the NavBar) says why, where 読み上げ would stand
            notice = widgets(SpeechBar)[0]
            why = notice.ids.why
            seen.update(
                screen=app.root.current,
                counter=getattr(screen, "counter", ""),
                text=getattr(screen, "step_text", "") or repr(getattr(screen, "rows", "")),
                notice_shown=bool(notice.reason) and why.parent is not None and why.height > 0,
                notice_text=why.source,
                notice_on_screen=why.y >= 0 and why.top <= Window.height,
                problems=problems(app.root, Window.size),
            )
            shot.parent.mkdir(parents=True, exist_ok=True)
            written = Window.screenshot(name=str(shot.with_name(f".{shot.stem}-x.png")))
            if written and os.path.exists(written):
                os.replace(written, shot)
            tap(notice)  # where 読み上げ stands when speech works
            notice.ids.speak.dispatch("on_release")  # even a press that reached it
            Clock.schedule_once(lambda _dt: go_on(time.monotonic()), 0.3)

        def go_on(started, *_dt):
            # the step is spoken on the fly by the offline engine (slow on a busy machine)
            if mode == "step" and app.sound is None and time.monotonic() - started < 30:
                Clock.schedule_once(lambda _dt: go_on(started), 0.1)
                return
            seen["sound_after_tap"] = app.sound is not None
            caption = "つぎへ" if mode == "step" else "申し込む"
            before = (app.root.current, getattr(app.root.current_screen, "counter", ""))
            tap(next(b for b in widgets(BigButton) if b.caption.startswith(caption)))
            Clock.schedule_once(lambda _dt: done(before, time.monotonic()), 0.5)

        def done(before, started, *_dt):
            now = (app.root.current, getattr(app.root.current_screen, "counter", ""))
            if now == before and time.monotonic() - started < 30:  # the booking is on its way
                Clock.schedule_once(lambda _dt: done(before, started), 0.2)
                return
            screen = app.root.current_screen
            seen.update(
                counter_after=getattr(screen, "counter", ""),
                screen_after=app.root.current,
                notice_after=bool(widgets(SpeechBar)) and bool(widgets(SpeechBar)[0].reason),
                booked=len(api.registrations),
                log_lines=lines,
            )
            out.write_text(json.dumps(seen, ensure_ascii=False))
            app.stop()

        Clock.schedule_once(open_screen, 0.8)
        Clock.schedule_once(lambda _dt: app.stop(), 100)
        app.run()


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    logging.basicConfig(level=logging.WARNING)
    _serve(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    sys.exit(0)
if __name__ == "__main__" and sys.argv[1:2] == ["speech-window"]:
    _speech_window(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    sys.exit(0)

# -- the tests ---------------------------------------------------------------------------

pytest.importorskip("flask")

from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from classroom.models import ClassSession, Participant, Registration  # noqa: E402
from classroom.services import kiosks as kiosk_service  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from kiosk.services.api import ApiClient  # noqa: E402
from kiosk.services.outbox import Outbox  # noqa: E402
from kiosk.visit import Visit  # noqa: E402
from tests.conftest import PG_URL  # noqa: E402
from tests.web.conftest import (  # noqa: E402, F401 - fixtures used by name
    fast_password_hashing,
    staff,
    ward,
)

#: five residents, booking at two kiosks: (kiosk, reading, phone, birth year)
RESIDENTS = [
    ("lib-1", "サトウ\u3000ユウコ", "09011110001", 1950),
    ("lib-2", "タナカ\u3000ミノル", "09011110002", 1945),
    ("lib-1", "スズキ\u3000ハナ", "09011110003", 1948),
    ("lib-2", "イトウ\u3000ケン", "09011110004", 1952),
    ("lib-1", "ワタナベ\u3000トシ", "09011110005", 1940),
]


def server_url(database, request) -> str:
    """The URL another process opens to reach this test's database."""
    if database.dialect == "sqlite":
        return database.url
    schema = request.getfixturevalue("pg_schema")
    return (
        make_url(PG_URL)
        .update_query_dict({"options": f"-csearch_path={schema.name}"})
        .render_as_string(hide_password=False)
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, slow: float, workdir: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.kiosk.test_faults",
            "serve",
            url,
            str(port),
            str(slow),
            str(workdir),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not start")


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def registrations_by_reading(database) -> dict[str, list[str]]:
    with database.read() as db:
        rows = db.execute(
            select(Participant.reading, Registration.code).join(
                Registration, Registration.participant_id == Participant.id
            )
        )
        found: dict[str, list[str]] = {}
        for reading, code in rows:
            found.setdefault(reading, []).append(code)
        return found


def test_the_server_killed_during_five_bookings_from_two_kiosks_books_each_once(
    database, tmp_path, request
):
    town = request.getfixturevalue("ward")
    with database.write() as db:
        tokens = {
            name: kiosk_service.create_kiosk(
                db, name=name, location="中央図書館", actor=Actor.cli()
            )[1]
            for name in ("lib-1", "lib-2")
        }
        db.get(ClassSession, town.session_id).capacity = 10  # a seat for each of the five
    url, port = server_url(database, request), free_port()
    base = f"http://127.0.0.1:{port}"
    clients = {name: ApiClient(base, token, timeout=10) for name, token in tokens.items()}
    boxes = {name: Outbox(tmp_path / name / "outbox") for name in tokens}

    first = start_server(url, port, SLOW, tmp_path)
    try:
        session = next(s for s in clients["lib-1"].sessions() if s["id"] == town.session_id)
        keys: dict[str, str] = {}  # reading -> Idempotency-Key
        for kiosk, reading, phone, year in RESIDENTS:
            visit = Visit(
                session=session,
                reading=reading,
                phone_digits=phone,
                era="西暦",
                year_digits=str(year),
                birth_year=year,
            )
            keys[reading] = visit.confirm()
            boxes[kiosk].put("booking", visit.booking(), key=keys[reading])

        with ThreadPoolExecutor(2) as pool:
            flushes = {name: pool.submit(boxes[name].flush, clients[name], True) for name in boxes}
            # both kiosks' first bookings are committed and their answers on the way: kill
            in_flight = wait_for(
                lambda: sum(map(len, registrations_by_reading(database).values())) >= 2, SLOW - 0.5
            )
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
            outcomes = {name: [d.outcome for d in f.result()] for name, f in flushes.items()}
        assert in_flight, "two bookings were committed while their answers were held back"
        assert outcomes == {"lib-1": ["pending"], "lib-2": ["pending"]}, "nobody heard back"
        assert len(boxes["lib-1"]) == 3 and len(boxes["lib-2"]) == 2, "nothing was lost"
    finally:
        if first.poll() is None:
            first.kill()
        first.wait(10)

    again = start_server(url, port, 0, tmp_path)  # the same port, the same database
    shown: dict[str, str] = {}  # reading -> the code the kiosk shows
    try:
        for name, box in boxes.items():
            for _round in range(3):
                for delivery in box.flush(clients[name], force=True):
                    assert delivery.outcome in ("delivered", "pending"), delivery
                    if delivery.outcome == "delivered":
                        reading = next(r for r, k in keys.items() if k == delivery.key)
                        shown[reading] = delivery.answer["code"]
                if not len(box):
                    break
            assert len(box) == 0, f"{name}'s outbox is empty"
            assert box.flush(clients[name], force=True) == []
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(10)

    booked = registrations_by_reading(database)
    assert {reading: len(codes) for reading, codes in booked.items()} == {
        reading.replace("\u3000", " "): 1 for _k, reading, _p, _y in RESIDENTS
    }
    for reading, code in shown.items():
        assert booked[reading.replace("\u3000", " ")] == [code], "the kiosk shows the booked code"
    assert len(shown) == 5


# -- speech that cannot be written or read ----------------------------------------------

from content import speech as content_speech  # noqa: E402
from kiosk.services.visit_speech import SpeechHealth, VisitClips  # noqa: E402

#: where the window tests leave their screenshots to be looked at (else in tmp_path)
SHOTS = os.environ.get("TSUNAGU_SHOTS", "")
#: what a resident typed: it must never reach a log
TYPED = "ヤマダ ハナコ 090-0000-0001 昭和23年"


class WritingEngine:
    """Writes through content.speech's atomic writer, the one place clips reach the disk."""

    name = "offline"

    def extension(self, language: str) -> str:
        return ".wav"

    def synthesise(self, utterance, target) -> None:
        content_speech._write_wav(target, b"\0\0" * 1600, 16000)


def speech_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "speech unavailable" in r.getMessage()]


def test_a_file_where_the_data_dir_should_be_gives_one_clear_line_and_no_crash(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.services.visit_speech")
    data = tmp_path / "kiosk-data"
    data.write_text("")  # fails even for root, unlike chmod
    clips = VisitClips(data, engine_factory=WritingEngine)
    for _attempt in range(3):  # the confirmation, 読み上げ again, another language
        assert clips.request(TYPED, "ja")() is None
    assert clips.health.problem == "a file, not a directory"
    assert speech_lines(caplog) == [
        f"speech unavailable: the audio directory {data} cannot be used: a file, not a directory"
    ]
    assert not any("ヤマダ" in r.getMessage() or "090" in r.getMessage() for r in caplog.records)
    clips.clear()  # the visit ends as usual


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_says_so_once_and_speech_comes_back(
    tmp_path, caplog, monkeypatch, code
):
    caplog.set_level(logging.INFO, logger="kiosk.services.visit_speech")

    def refuse(target):
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(content_speech, "_atomic", refuse)
    clips = VisitClips(tmp_path / "data", engine_factory=WritingEngine)
    heard: list[str] = []
    clips.health.subscribe(lambda: heard.append(clips.health.problem))
    assert clips.request(TYPED, "ja")() is None
    assert clips.request(TYPED, "en")() is None
    assert clips.health.problem == os.strerror(code)
    assert speech_lines(caplog) == [
        f"speech unavailable: the audio directory {tmp_path / 'data'} "
        f"cannot be used: {os.strerror(code)}"
    ]
    assert not any("ヤマダ" in r.getMessage() for r in caplog.records)

    monkeypatch.undo()  # room again: the next clip is made and the notice goes
    path = clips.request(TYPED, "ja")()
    assert path is not None and path.is_file()
    assert clips.health.problem == "" and heard == [os.strerror(code), ""]
    clips.clear()
    assert not path.exists()


def test_the_real_offline_engine_on_a_full_disk_gives_no_clip_and_one_line(
    tmp_path, caplog, monkeypatch
):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    caplog.set_level(logging.INFO, logger="kiosk.services.visit_speech")

    def full(target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(content_speech, "_atomic", full)
    # the real engine in this process (monkeypatch reaches it here, not in the kiosk's
    # speech process: tests/kiosk/test_speech_process.py checks that the process's disk
    # errors come back as OSError the same way)
    clips = VisitClips(tmp_path / "data", engine_factory=content_speech.OfflineEngine)
    assert clips.request("Yamada Hanako, 090 0000 0001", "en")() is None
    assert len(speech_lines(caplog)) == 1 and "No space left on device" in speech_lines(caplog)[0]


def test_an_audio_cache_that_is_a_file_is_reported_once_and_steps_stay_silent(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.services.visit_speech")
    cache = tmp_path / "audio"
    cache.write_text("")
    health = SpeechHealth()
    assert content_speech.audio_path("住民票の写しを取ります。", "ja", cache_dir=cache) is None
    assert not health.check_cache(cache) and not health.check_cache(cache)
    assert speech_lines(caplog) == [
        f"speech unavailable: the audio directory {cache} cannot be used: a file, not a directory"
    ]
    # a cache that was never built is no fault: nothing is said
    assert SpeechHealth().check_cache(tmp_path / "never-built")
    cache.unlink()
    cache.mkdir()
    assert health.check_cache(cache) and health.problem == ""


def run_window(mode: str, tmp_path: Path, name: str) -> dict:
    import json

    out, shot = tmp_path / "seen.json", Path(SHOTS or tmp_path) / name
    result = run_module(
        "tests.kiosk.test_faults",
        "speech-window",
        mode,
        str(out),
        str(shot),
        home=tmp_path,
        timeout=150,
    )
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    assert shot.is_file()
    return json.loads(out.read_text())


NOTICE_JA = "いまは読み上げが使えません。"
needs_xvfb = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed"
)


@needs_xvfb
def test_a_broken_audio_cache_is_logged_once_and_the_step_is_still_read_aloud(tmp_path):
    # the clips built ahead cannot be read: the offline engine speaks the step instead
    seen = run_window("step", tmp_path, "guide-step-audio-cache-broken.png")
    assert seen["screen"] == "guide" and seen["text"] and seen["counter"].startswith("1 / ")
    assert not seen["notice_shown"] and seen["problems"] == []
    assert seen["sound_after_tap"] is True, "読み上げ still speaks"
    assert seen["screen_after"] == "guide" and seen["counter_after"].startswith("2 / ")
    assert not seen["notice_after"]
    assert len(seen["log_lines"]) == 1 and "a file, not a directory" in seen["log_lines"][0]


@needs_xvfb
def test_a_confirmation_on_a_full_disk_is_shown_noticed_and_still_books(tmp_path):
    seen = run_window("confirm", tmp_path, "confirm-speech-unavailable.png")
    assert seen["screen"] == "confirm" and "ヤマダ" in seen["text"]
    assert seen["notice_shown"] and seen["notice_on_screen"] and seen["problems"] == []
    assert seen["notice_text"].startswith(NOTICE_JA)
    assert seen["sound_after_tap"] is False
    assert seen["screen_after"] == "result" and seen["booked"] == 1, "the booking went through"
    assert len(seen["log_lines"]) == 1 and "No space left on device" in seen["log_lines"][0]
    assert not any("ヤマダ" in line for line in seen["log_lines"])
