"""The next class to suggest on the kiosk (issue 17): asked only once the resident has
typed their reading and phone and booked, with nothing else sent; shown under the booking
and spoken; forgotten at はじめにもどる."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.kiosk.xvfb import needs_xvfb, run_module

pytestmark = needs_xvfb
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    out = tmp_path_factory.mktemp("suggest") / "seen.json"
    shots = Path(os.environ.get("TSUNAGU_SHOTS", out.parent))
    shots.mkdir(parents=True, exist_ok=True)
    result = run_module(
        "tests.kiosk.walk_suggestion",
        str(out),
        str(shots / "kiosk-suggestion.png"),
        home=out.parent,
        timeout=90,
    )
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    return json.loads(out.read_text())


def test_nothing_is_asked_before_the_reading_and_phone_are_typed(walk):
    assert walk["asked_before_booking"] == 0
    # asked once, after the booking, with the reading and phone and nothing else
    assert walk["asked"] == [{"reading": "ヤマダ ハナコ", "phone": "090-0000-0001"}]
    order = walk["order"]
    assert order.index("/api/v1/registrations") < order.index("/api/v1/suggestions")


def test_the_suggestion_shows_under_the_booking_and_is_spoken(walk):
    # the class just booked is left out
    assert [s["session_id"] for s in walk["suggestions"]] == [31]
    assert walk["shown"].startswith("次は、")
    assert "LINEの使い方" in walk["shown"] and "12月10日（木） 10:00〜11:30" in walk["shown"]
    assert walk["shown_height"] > 0
    assert walk["rows"] == 5 and not walk["split"]  # the booking's own rows all stay
    assert any("LINEの使い方" in text for text in walk["spoken"] if isinstance(text, str))


def test_the_suggestion_is_forgotten_at_home(walk):
    assert walk["after_home"] == []
