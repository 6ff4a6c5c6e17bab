"""The offline engine in its own process: it speaks, leaves when idle, comes back, and its
failures reach the kiosk as the in-process engine's would (kiosk.services.speech_process)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from content.speech import EngineUnavailable, Utterance
from kiosk.services.speech_process import EngineProcess
from kiosk.services.visit_speech import VisitClips

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)


def seconds_of(path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True).stdout)


@pytest.fixture
def engine():
    made = EngineProcess(idle_seconds=30)
    yield made
    made.close()


def test_it_speaks_japanese_and_english_into_real_audio_files(engine, tmp_path):
    ja, en = tmp_path / "ja.ogg", tmp_path / "en.ogg"
    engine.synthesise(Utterance("住民票の写しを取ります。", "ja"), ja)
    engine.synthesise(Utterance("Take a copy of your resident record.", "en"), en)
    assert 1.0 < seconds_of(ja) < 10 and 1.0 < seconds_of(en) < 10
    assert engine.running and engine.pid != os.getpid()  # the engine is not in this process


def test_the_process_leaves_when_idle_and_the_next_clip_starts_a_new_one(tmp_path):
    engine = EngineProcess(idle_seconds=0.5)
    try:
        engine.synthesise(Utterance("One.", "en"), tmp_path / "1.ogg")
        first = engine.pid
        deadline = time.monotonic() + 20
        while engine.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not engine.running, "an idle speech process stayed"
        engine.synthesise(Utterance("Two.", "en"), tmp_path / "2.ogg")
        assert engine.running and engine.pid != first
        assert seconds_of(tmp_path / "2.ogg") > 0.2
    finally:
        engine.close()


def test_a_killed_process_is_replaced_at_the_next_clip(engine, tmp_path):
    engine.synthesise(Utterance("One.", "en"), tmp_path / "1.ogg")
    os.kill(engine.pid, signal.SIGKILL)
    time.sleep(0.2)
    engine.synthesise(Utterance("Two.", "en"), tmp_path / "2.ogg")
    assert (tmp_path / "2.ogg").stat().st_size > 0


def test_a_disk_error_in_the_process_is_an_os_error_here(engine, tmp_path):
    in_the_way = tmp_path / "data"
    in_the_way.write_text("")  # a file where the clip's directory should be
    with pytest.raises(OSError) as raised:
        engine.synthesise(Utterance("One.", "en"), in_the_way / "clip.ogg")
    assert raised.value.strerror  # e.g. "Not a directory": the speech notice names it


def test_an_engine_error_is_engine_unavailable(engine, tmp_path):
    with pytest.raises(EngineUnavailable):
        engine.synthesise(Utterance("x", "xx"), tmp_path / "clip.ogg")  # no voice for "xx"


def test_a_visit_and_the_screen_reading_share_one_process(tmp_path):
    clips = VisitClips(tmp_path / "data")
    try:
        path = clips.request("Yamada Hanako", "en")()
        assert path is not None and seconds_of(path) > 0.3
        assert clips.shared_engine() is clips.engine and clips.engine.running
    finally:
        clips.clear()
        clips.close()
    assert not clips.engine.running
