"""ことばで さがす (issue 20) walked in the real app under Xvfb against a fake server
(tests/kiosk/walk_ask.py): questions others asked, typing on the kana keyboard, an answer
opening its guide, no sure answer, the server down. In Japanese at 1366x768 with every
check; the same walk in English and on a 1080x1920 panel for its floors and pictures,
kept in test-artifacts/kiosk/ask/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.kiosk.test_screenshots import ARTIFACTS, ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (apt install xvfb)"
)
RUNS = [("1366x768", "ja"), ("1366x768", "en"), ("1080x1920", "ja"), ("1080x1920", "en")]
STATES = ("start", "keys", "answers", "not-sure", "offline", "start-offline")


def walk(tmp_path_factory, window: str, language: str) -> dict:
    out = tmp_path_factory.mktemp(f"ask-{window}-{language}")
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(out / ".kivy"),
    }
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {window}x24", sys.executable]
    command += ["-m", "tests.kiosk.walk_ask", str(out), window, language]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, cwd=ROOT)
    seen_file = out / "seen.json"
    assert result.returncode == 0 and seen_file.is_file(), result.stderr[-3000:]
    kept = ARTIFACTS / "ask"
    kept.mkdir(parents=True, exist_ok=True)
    for shot in out.glob("ask-*.png"):
        shutil.copyfile(shot, kept / shot.name)
    return json.loads(seen_file.read_text())


@pytest.fixture(scope="module")
def walks(tmp_path_factory):
    return {run: walk(tmp_path_factory, *run) for run in RUNS}


@pytest.fixture(scope="module")
def seen(walks):
    return walks[("1366x768", "ja")]


def test_the_questions_others_asked_come_from_the_server_and_open_their_answer(seen):
    assert seen["popular"][:2] == [
        "コンビニで住民票の写しを取れますか？",
        "スマホ教室はいつありますか？",
    ]
    assert seen["popular_opened"] == "faq" and seen["popular_question"] == "convenience-store"
    assert seen["back_at"] == "ask"


def test_a_question_typed_in_kana_is_asked_in_hiragana_and_its_answer_opens_the_guide(seen):
    assert seen["typed"] == "スマホキョウシツ\u3000イツ"
    assert seen["sent"] == [{"question": "すまほきょうしつ いつ", "language": "ja"}]
    assert seen["answers"][:2] == [
        "コンビニで住民票の写しを取る",
        "コンビニで住民票の写しを取れますか？",
    ]
    assert seen["answer_opened"] == "guide_overview" and seen["guide"] == "konbini"
    assert seen["back_to_answers"] == ["answers", "スマホキョウシツ イツ"]
    assert seen["back_to_keys"] == ["ask_keys", "スマホキョウシツ\u3000イツ"]


def test_no_sure_answer_says_so_with_the_counters_phone_and_hours(seen):
    message, counter = seen["not_sure"]
    assert "確かな答えは 見つかりませんでした" in message and "窓口" in message
    assert "03-0000-0000" in counter and "午前8時30分" in counter


def test_with_the_server_down_it_says_so_and_offers_the_kiosks_own_questions(seen):
    message, counter = seen["offline"]
    assert "つながらない" in message and "03-0000-0000" in counter
    assert seen["offline_screen"] == "ask" and seen["offline_popular"]
    assert "つながりません" in seen["start_offline"]
    assert set(seen["start_offline_popular"]) == {"kiosk"}  # the bundle's FAQ questions
    assert seen["offline_opened"] == "faq"  # and they open, offline


@pytest.mark.parametrize("run", RUNS, ids=[f"{w}-{lang}" for w, lang in RUNS])
def test_every_state_holds_the_floors_and_was_drawn(walks, run):
    found = walks[run]
    assert found["problems"] == []
    window, language = run
    assert found["shots"] == [f"ask-{window}-{language}-{state}.png" for state in STATES]
