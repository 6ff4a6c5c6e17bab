"""A booking walked through the real app under Xvfb against a fake server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kiosk.xvfb import needs_xvfb, run_module

pytestmark = needs_xvfb
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    out = tmp_path_factory.mktemp("walk") / "seen.json"
    result = run_module("tests.kiosk.walk_booking", str(out), home=out.parent, timeout=90)
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    return json.loads(out.read_text())


def test_a_double_tap_books_once_and_shows_the_code(walk):
    assert walk["online_sessions"] == "list"
    assert walk["online_screen"] == "result"
    assert walk["online_result"]["status"] == "confirmed" and walk["online_result"]["code"]
    assert walk["online_registrations"] == 1
    assert walk["online_reading_sent"] == ["ヤマダ ハナコ"]
    assert len(walk["online_keys"]) == 1
    assert walk["online_outbox"] == 0


def test_with_the_server_down_the_booking_is_pending_then_sent_exactly_once(walk):
    assert walk["offline_screen"] == "result"
    assert walk["offline_result"] == {"status": "pending"}
    assert walk["offline_registrations"] == 1 and walk["offline_outbox"] == 1
    assert walk["after_registrations"] == 2 and walk["after_outbox"] == 0


def test_call_staff_sends_a_help_request(walk):
    assert walk["help_requests"] == 1
    assert walk["help_message"] == "A staff member is coming. Please wait here."


def test_start_over_forgets_the_visit(walk):
    assert walk["visit_empty"] is True
    assert walk["name_after"] == "" and walk["phone_after"] == "" and walk["result_after"] == {}
    assert walk["screen_after"] == "home"


def test_lock_down_refuses_close_escape_and_f1(walk):
    assert walk["close_refused"] and walk["escape_swallowed"] and walk["f1_swallowed"]


def test_an_error_shows_please_wait_logs_nothing_personal_and_returns_home(walk):
    assert walk["error_screen"] == "please_wait"
    assert walk["after_error_screen"] == "home" and walk["after_error_visit_empty"]
    errors = [line for line in walk["logs"] if line.startswith("kiosk error")]
    assert errors and "ValueError" in errors[0]
    assert not any("ヤマダ" in line for line in walk["logs"])


def test_the_corner_sequence_and_the_pin_let_staff_out(walk):
    assert walk["corner_screen"] == "staff_pin"
    assert walk["wrong_pin"] is True and walk["still_running"]
    # the right PIN stopped the app: the walk's process ended by itself (returncode 0)
