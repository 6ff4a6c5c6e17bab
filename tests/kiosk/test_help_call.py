"""職員を呼ぶ is not undone: the please-wait screen stays through the idle reset until staff
take and close the call (fake server, real window under Xvfb), or ten minutes pass."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.help_call import CLOSED, EXPIRED, TAKEN, WAIT_LIMIT, WAITING, HelpCall, where

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "kiosk-help"


class Clock:
    def __init__(self):
        self.now = 500.0

    def __call__(self):
        return self.now


def test_a_call_holds_the_kiosk_until_staff_close_it():
    clock = Clock()
    call = HelpCall("guide:juminhyo:3/11", clock, came_from="guide")
    call.delivered(True)
    assert call.state == WAITING and call.holds_the_kiosk
    clock.now += WAIT_LIMIT - 1
    assert call.holds_the_kiosk and not call.tick()
    assert call.heard("taken") and call.state == TAKEN
    assert call.message == "A staff member is on the way."
    assert call.heard("closed") and call.state == CLOSED and not call.holds_the_kiosk


def test_a_call_nobody_takes_ends_after_ten_minutes():
    clock = Clock()
    call = HelpCall("phone", clock)
    call.delivered(True)
    clock.now += WAIT_LIMIT
    assert call.tick() and call.state == EXPIRED and not call.holds_the_kiosk
    assert not call.tick()  # once


def test_a_call_the_server_never_got_sends_the_resident_to_the_counter():
    call = HelpCall("home", Clock())
    call.delivered(False)
    assert call.over and call.message.startswith("Please ask at the counter")


def test_where_names_the_guide_and_its_step_and_nothing_typed():
    class Guide:
        id, steps = "juminhyo", [1] * 7

    class Step:
        name, guide, index = "guide", Guide(), 2

    class Checklist:
        name, guide = "guide_checklist", Guide()

    class Phone:
        name, typed = "phone", "09012345678"

    assert where(Step()) == "guide:juminhyo:3/7"
    assert where(Checklist()) == "guide_checklist:juminhyo"
    assert where(Phone()) == "phone"


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt install xvfb)")
    out = tmp_path_factory.mktemp("help") / "seen.json"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(out.parent / ".kivy"),
    }
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1920x1080x24",
        sys.executable,
        "-m",
        "tests.kiosk.walk_help",
        str(out),
        str(ARTIFACTS),
    ]
    # what the kiosk showed is written as it goes; the asserts say what is missing
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(command, env=env, capture_output=True, timeout=260, cwd=ROOT)
    assert out.is_file(), "the walk wrote nothing"
    return json.loads(out.read_text())


def test_the_board_learns_the_screen_and_step_and_nothing_personal(walk):
    assert walk["screen_sent"] == "guide:juminhyo:3/11"
    assert walk["sent_fields"] == ["client_id", "language", "screen"]
    assert walk["second_screen"] == "phone"


def test_the_please_wait_screen_survives_the_idle_reset(walk):
    assert walk["waiting_message"] == "A staff member is coming. Please wait here."
    assert walk["waiting_detail"]
    assert walk["after_idle"] == "notice" and walk["overlay_after_idle"] is False


def test_taken_on_the_board_says_staff_are_on_the_way(walk):
    assert walk["taken_on"] == "notice"
    assert walk["taken_text"].replace("\n", "") == "職員が向かっています。"


def test_closed_on_the_board_gives_the_step_back(walk):
    assert walk["closed_back_to"] == "guide" and walk["closed_step"] == 3
    assert walk["closed_call"] is None


def test_pressing_again_while_waiting_is_the_same_call(walk):
    assert walk["calls_after_second_press"] == 2


def test_ten_minutes_without_staff_give_the_screen_back_and_idle_resumes(walk):
    assert walk["before_ten_minutes"] == "notice"
    assert walk["after_ten_minutes"] == "phone" and walk["call_after_ten_minutes"] is None
    assert walk["idle_warns_again"] is True
