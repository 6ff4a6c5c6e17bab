"""Speech on every screen: the same controls everywhere, and 読み上げ makes real sound.

Under Xvfb (tests/kiosk/walk_speech.py) the real app visits each screen kind the issue
lists, in Japanese and in English, with no clip built ahead: 読み上げ must speak on first
use with the offline engine (pyopenjtalk for ja, espeak-ng for en). Each first clip played
is checked with soxi (length) and sox (level): a real, non-silent recording of that
screen's first text. A second run has no engine at all: the bar says why, in words.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None or shutil.which("soxi") is None,
    reason="needs xvfb-run and sox (make system-deps)",
)
KINDS = [
    "home",
    "finder",
    "guide_list",
    "overview",
    "step",
    "checklist",
    "handoff",
    "faq_topics",
    "faq_questions",
    "faq_answer",
    "class_list",
    "consent",
    "name",
    "phone",
    "birth",
    "confirm",
    "result",
    "waitlisted",
    "please_wait",
    "staff_notice",
    "idle",
    "ask",
    "ask_keys",
    "ask_answers",
]
CONTROLS = {
    "ja": ["読み上げ", "止める", "音量 −", "音量 ＋"],
    "en": ["Read aloud", "Stop", "Volume −", "Volume ＋"],
}
#: where the screenshots are kept (the test run's artifacts), else a temporary directory
SHOTS = os.environ.get("TSUNAGU_KIOSK_SHOTS")


def walk(out: Path, languages: str, *flags: str) -> list[dict]:
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(out / ".kivy"),
    }
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1920x1080x24",
        sys.executable,
        "-m",
        "tests.kiosk.walk_speech",
        str(out),
        languages,
        *flags,
    ]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=1000, cwd=ROOT
    )
    seen = out / "seen.json"
    assert result.returncode == 0 and seen.is_file(), result.stderr[-3000:]
    return json.loads(seen.read_text())


def length_and_peak(path: Path) -> tuple[float, float]:
    """Seconds (soxi -D) and the peak amplitude 0..1 (sox stat) of an audio file."""
    seconds = float(
        subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
    )
    stat = subprocess.run(
        ["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True
    ).stderr
    peak = next(
        float(line.split(":")[1])
        for line in stat.splitlines()
        if line.startswith("Maximum amplitude")
    )
    return seconds, peak


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    out = Path(SHOTS) / "speech" if SHOTS else tmp_path_factory.mktemp("speech")
    out.mkdir(parents=True, exist_ok=True)  # Kivy makes its KIVY_HOME inside, not the parents
    return walk(out, "ja,en")


def test_every_screen_kind_has_the_four_speech_controls(spoken):
    assert sorted({e["kind"] for e in spoken}) == sorted(KINDS)
    for entry in spoken:
        where = f"{entry['kind']} in {entry['language']}"
        assert entry["bars"] == 1, f"{where}: one speech bar, not {entry['bars']}"
        # a bar without its buttons shows a reason instead: the message names it
        assert entry["buttons"] == CONTROLS[entry["language"]], f"{where}: {entry['reason']}"
        assert entry["reason"] == "", f"{where}: speech works on this machine"


def test_read_aloud_makes_a_real_non_silent_clip_of_each_screen(spoken):
    for entry in spoken:
        where = f"{entry['kind']} in {entry['language']}"
        assert entry["texts"], f"{where}: the screen says what to read"
        assert entry["clip"], f"{where}: 読み上げ played nothing"
        assert entry["playing"] and entry["stopped"], f"{where}: 止める silences it"
        seconds, peak = length_and_peak(Path(entry["clip"]))
        # a heading or a short sentence: at least a third of a second, and audible
        assert seconds > 0.3, f"{where}: {seconds:.2f} s"
        assert peak > 0.1, f"{where}: peak {peak:.3f} is silence"


def test_input_screens_read_what_is_typed_so_far_and_what_the_keys_do(spoken):
    by = {(e["kind"], e["language"]): e["texts"] for e in spoken}
    assert "ヤマダ\u3000ハナコ" in by["name", "ja"]
    assert any("゛" in text for text in by["name", "ja"]), "how to type ダ"
    assert "ゼロ キュウ ゼロ、ゼロ ゼロ ゼロ ゼロ、ゼロ ゼロ ゼロ イチ" in by["phone", "ja"]
    assert "zero nine zero, zero zero zero zero, zero zero zero one" in by["phone", "en"]
    assert any("1948" in text for text in by["birth", "ja"])
    assert any("number keys" in text for text in by["phone", "en"])


def test_without_any_engine_the_bar_says_why_in_words(tmp_path):
    seen = walk(tmp_path, "ja,en", "--no-engine")
    for entry in seen:
        where = f"{entry['kind']} in {entry['language']}"
        assert entry["bars"] == 1 and entry["buttons"] == [], f"{where}: no button to tap in vain"
        assert entry["reason_on_screen"], where
        if entry["language"] == "ja":
            assert (
                "pyopenjtalk" in entry["reason_text"]
                and "読み上げが使えません" in entry["reason_text"]
            )
        else:
            assert "espeak-ng" in entry["reason_text"] and "not installed" in entry["reason_text"]
        assert entry["clip"] == ""
