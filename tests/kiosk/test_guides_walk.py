"""One guide walked by touches in one app run under Xvfb, against the fake server.

home → finder → overview → checklist → steps (the QR at the scan step; ふりがな, speech) →
the end (hand-off) → stuck → classes,
then the FAQ; the events that reached the server are anonymous.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.kiosk.test_screenshots import ARTIFACTS
from tests.kiosk.xvfb import needs_xvfb, run_module

pytestmark = needs_xvfb


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    out = tmp_path_factory.mktemp("guide-walk") / "seen.json"
    result = run_module(
        "tests.kiosk.walk_guide", str(out), str(out.parent), home=out.parent, timeout=150
    )
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    seen = json.loads(out.read_text())
    shot = out.parent / "guides-walk-step-speech-ja-large.png"
    if shot.is_file():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, ARTIFACTS / shot.name)
    assert "error" not in seen, seen["error"]
    return seen


def test_the_walk_passes_through_every_guide_screen_and_the_checks(walk):
    assert walk["screens"][:2] == ["finder", "guide_overview"]
    for name in ("guide", "guide_checklist", "guide_handoff", "sessions", "faq"):
        assert name in walk["screens"]
    assert walk["problems"] == []


def test_steps_count_up_and_furigana_switches_on(walk):
    assert walk["step_screen"] == "guide" and walk["step_counter"] == "1 / 11"
    assert walk["last_counter"] == "11 / 11"
    assert walk["furigana"] is True


def test_speech_plays_on_entering_stops_replays_and_ends_with_the_step(walk):
    assert walk["spoke_on_entering"] is True
    assert walk["stopped"] is True
    assert walk["volume"] == 1.0
    assert walk["replayed"] is True
    assert walk["speech_after_leaving_step1"] is True


def test_the_checks_come_before_the_steps_and_the_qr_at_the_scan_step(walk):
    assert walk["after_overview"] == "guide_checklist"
    assert walk["step1_qr"] == "https://example.lg.jp/e-shinsei/juminhyo"
    assert walk["last_qr"] == ""


def test_the_checklist_is_read_item_after_item(walk):
    items = [name for name in walk["checklist_heard"] if name.startswith("clip")]
    assert items[:2] == ["clip1.wav", "clip2.wav"], walk["checklist_heard"]


def test_checklist_ticks_with_a_mark_and_the_qr_carries_the_guide_url(walk):
    assert walk["checked"] == ["card"]
    assert walk["first_check_caption"].startswith("✓ ")
    assert walk["url"] == "https://example.lg.jp/e-shinsei/juminhyo"
    assert walk["print_button_shown"] is False  # no printer configured


def test_stuck_leads_into_the_booking_list(walk):
    assert walk["stuck_screen"] == "sessions" and walk["stuck_sessions"]


def test_the_faq_answers_a_question(walk):
    assert walk["faq_question"] and walk["faq_answer"]


def test_events_reach_the_server_and_carry_nothing_personal(walk):
    kinds = walk["events"]
    for kind in (
        "guide_viewed",
        "step_reached",
        "guide_finished",
        "handoff_shown",
        "speech_played",
        "faq_viewed",
        "language_chosen",
        "text_size_chosen",
    ):
        assert kind in kinds
    assert walk["event_steps"] == list(range(1, 12))
    assert walk["home_language"] == "en" and walk["home_text_size"] == "extra-large"
    assert walk["event_sizes"] == ["large", "xlarge"]  # the API's names
    assert walk["event_fields"] == [
        "at",
        "client_id",
        "guide_id",
        "kind",
        "language",
        "step",
        "text_size",
    ]
