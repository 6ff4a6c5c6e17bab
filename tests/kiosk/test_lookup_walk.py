"""予約の確認・取り消し walked through the real app under Xvfb (tests/kiosk/walk_lookup.py)."""

from __future__ import annotations

import json

import pytest

from tests.kiosk.xvfb import needs_xvfb, run_module

pytestmark = needs_xvfb


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    out = tmp_path_factory.mktemp("lookup") / "seen.json"
    result = run_module("tests.kiosk.walk_lookup", str(out), home=out.parent)
    assert out.is_file(), result.stderr[-3000:]
    return json.loads(out.read_text())


def test_the_home_button_asks_for_the_code(walk):
    assert walk["first_screen"] == "lookup_entry"


def test_a_wrong_phone_shows_nothing_of_the_booking(walk):
    assert walk["wrong_state"] == "not_found" and walk["wrong_rows"] == 0
    assert walk["wrong_again"] and not walk["wrong_cancel"]
    assert walk["again_screen"] == "lookup_entry"


def test_the_code_and_phone_show_the_class_date_time_and_place(walk):
    assert walk["found_state"] == "found"
    rows = dict(walk["found_rows"])
    assert rows["教室"] == "スマホ入門（iPhone）"
    assert rows["日時"] == "2026年（令和8年）12月3日（木）"
    assert rows["時間"] == "10:00〜11:30" and rows["場所"].startswith("中央図書館")
    assert walk["found_heading"] == "この教室の席がとれています。"


def test_cancel_asks_once_then_cancels_once_and_says_so(walk):
    assert walk["found_cancel"]
    assert walk["dialogs"] == 1 and walk["cancels_before"] == 0
    assert walk["cancels"] == 1, "a double tap on 取り消す sent one cancel"
    assert walk["dialogs_after"] == 0
    assert walk["cancelled_state"] == "cancelled"
    assert walk["cancelled_heading"] == "予約を取り消しました。"
    assert "予約を取り消しました。" in walk["spoken"], "the confirmation is read aloud"
    assert walk["sent_keys"] == ["code", "phone"]


def test_with_the_server_down_it_says_so_and_stays_up(walk):
    assert walk["down_screen"] == "lookup" and walk["down_state"] == "offline"
    assert walk["down_heading"] == "This kiosk cannot reach the office right now."
    assert walk["down_again"], "もう一度 is offered"


def test_start_over_forgets_the_code_and_phone(walk):
    assert walk["after_code"] == "" and walk["after_digits"] == ""
    assert walk["after_state"] == "loading"
