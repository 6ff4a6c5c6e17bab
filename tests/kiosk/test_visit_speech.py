"""The per-visit clip store: what a resident typed is spoken into a private directory that goes."""

from __future__ import annotations

import errno
import os
import stat
import threading

import pytest

from content.speech import EngineUnavailable
from kiosk.services.visit_speech import PREFIX, VisitClips


class FakeEngine:
    name = "fake"

    def __init__(self, fail: bool = False, gate: threading.Event | None = None):
        self.fail, self.gate, self.spoken = fail, gate, []

    def extension(self, language: str) -> str:
        return ".wav"

    def synthesise(self, utterance, target) -> None:
        if self.gate is not None:
            self.gate.wait(5)
        if self.fail:
            raise EngineUnavailable("no voice")
        self.spoken.append((utterance.text, utterance.language))
        target.write_bytes(b"RIFF")


def store(tmp_path, engine) -> VisitClips:
    return VisitClips(tmp_path / "data", engine_factory=lambda: engine)


def test_a_clip_is_made_in_a_private_directory_and_deleted_when_the_visit_ends(tmp_path):
    engine = FakeEngine()
    clips = store(tmp_path, engine)
    assert clips.directory is None, "nothing on disk before anything is spoken"
    path = clips.request("ヤマダ ハナコ 090-0000-0001", "ja")()
    assert path is not None and path.is_file() and path.parent == clips.directory
    assert path.parent.parent == tmp_path / "data" and path.parent.name.startswith(PREFIX)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert engine.spoken == [("ヤマダ ハナコ 090-0000-0001", "ja")]
    second = clips.request("ヤマダ ハナコ", "en")()
    assert second is not None and second != path and second.parent == path.parent
    clips.clear()
    assert not path.parent.exists() and clips.directory is None
    assert list((tmp_path / "data").iterdir()) == []


def test_the_next_visit_gets_a_new_directory(tmp_path):
    clips = store(tmp_path, FakeEngine())
    first = clips.request("ヤマダ", "ja")()
    clips.clear()
    second = clips.request("サトウ", "ja")()
    assert second is not None and second.parent != first.parent and not first.parent.exists()


def test_a_clip_finished_after_the_visit_ended_is_thrown_away(tmp_path):
    gate = threading.Event()
    clips = store(tmp_path, FakeEngine(gate=gate))
    job = clips.request("ヤマダ ハナコ", "ja")
    generation = clips.generation
    result = []
    thread = threading.Thread(target=lambda: result.append(job()))
    thread.start()
    clips.clear()  # the resident walked away while the engine spoke
    gate.set()
    thread.join(5)
    assert result == [None] and not clips.current(generation)
    assert list((tmp_path / "data").iterdir()) == []


class LosingEngine(FakeEngine):
    """Its half-written file is deleted under it: ``os.replace`` finds nothing to move."""

    def synthesise(self, utterance, target) -> None:
        self.gate.wait(5)
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(target))


def test_a_visit_ended_under_the_engine_does_not_silence_the_next_residents(
    tmp_path, caplog, monkeypatch
):
    # The walk of every screen met this on CI: the resident leaves while a clip
    # of the confirmation is being made; ending the visit deletes its directory, the engine
    # fails on the file that went, and that failure was taken for a broken disk, so the
    # next screens showed "Speech is not available right now" instead of 読み上げ.
    gate = threading.Event()
    clips = store(tmp_path, LosingEngine(gate=gate))
    heard: list[str] = []
    clips.health.subscribe(lambda: heard.append(clips.health.problem))
    job = clips.request("ヤマダ ハナコ", "ja")
    result = []
    thread = threading.Thread(target=lambda: result.append(job()))
    thread.start()
    deleting = []
    # the engine answers while the deletion is still under way (the directory still there)
    monkeypatch.setattr(
        "kiosk.services.visit_speech.shutil.rmtree",
        lambda path, ignore_errors=False: deleting.append(path),
    )
    clips.clear()
    gate.set()
    thread.join(5)
    assert result == [None] and deleting
    assert clips.health.problem == "" and heard == []
    assert not any("speech unavailable" in r.getMessage() for r in caplog.records)


def test_the_same_failure_during_the_visit_is_the_disk_and_is_said(tmp_path):
    gate = threading.Event()
    gate.set()
    clips = store(tmp_path, LosingEngine(gate=gate))
    assert clips.request("ヤマダ ハナコ", "ja")() is None
    assert clips.health.problem == os.strerror(errno.ENOENT)
    clips.clear()


def test_without_an_engine_there_is_silently_no_clip(tmp_path, caplog):
    clips = store(tmp_path, FakeEngine(fail=True))
    assert clips.request("ヤマダ ハナコ", "ja")() is None

    def missing():
        raise ImportError("no pyopenjtalk")

    assert VisitClips(tmp_path / "data", engine_factory=missing).request("ヤマダ", "ja")() is None
    assert not any("ヤマダ" in record.getMessage() for record in caplog.records)
    clips.clear()


def test_directories_left_by_a_crash_are_purged(tmp_path):
    data = tmp_path / "data"
    (data / f"{PREFIX}old").mkdir(parents=True)
    (data / f"{PREFIX}old" / "clip-1.wav").write_bytes(b"RIFF")
    (data / "outbox").mkdir()
    VisitClips(data).purge()
    assert sorted(p.name for p in data.iterdir()) == ["outbox"]


def test_the_offline_engine_speaks_the_confirmation_when_it_is_installed(tmp_path):
    clips = VisitClips(tmp_path / "data")
    path = clips.request("ヤマダ ハナコ", "ja")()
    if path is None:
        pytest.skip("the offline engine (pyopenjtalk) cannot speak here")
    assert path.stat().st_size > 0
    clips.clear()
    assert not path.exists()
