"""Login throttling as a person at the login page meets it (issue 13, item 3).

The rules and their concurrency proof are in tests/classroom/test_throttle.py; here:
the real user at her desk is not locked out by an attacker elsewhere, the wait grows and
is said in minutes in the reader's language, with Retry-After.
"""

from __future__ import annotations

from datetime import timedelta

from classroom.services import throttle
from tests.conftest import TOKYO_NEXT_DAY
from tests.web.conftest import english_client, log_in

ATTACKER = "203.0.113.66"
DESK = "192.0.2.10"


def from_address(app, address: str, language: str = "en"):
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def test_an_attacker_cannot_lock_the_coordinator_out(app, staff, frozen_clock):
    frozen_clock(TOKYO_NEXT_DAY)
    attacker = from_address(app, ATTACKER)
    for _ in range(throttle.FREE_PER_PAIR):
        assert log_in(attacker, "coordinator", "guess-guess").status_code == 200
    refused = log_in(attacker, "coordinator")  # even the right password
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] in {"59", "60"}
    assert "Too many attempts. Please try again in 1 minute." in refused.get_data(as_text=True)
    assert attacker.get("/office/residents").status_code == 302
    # the coordinator at her own desk logs in at the same moment
    desk = from_address(app, DESK)
    response = log_in(desk, "coordinator")
    assert response.status_code == 302 and response.location == "/office/residents"
    assert desk.get("/office/residents").status_code == 200


def test_the_wait_grows_and_is_said_in_minutes(app, staff, frozen_clock):
    moment = frozen_clock(TOKYO_NEXT_DAY)
    attacker = from_address(app, ATTACKER)
    for _ in range(throttle.FREE_PER_PAIR):
        log_in(attacker, "coordinator", "guess-guess")
    assert "try again in 1 minute." in log_in(attacker, "coordinator").get_data(as_text=True)
    frozen_clock(moment + timedelta(minutes=1, seconds=1))
    assert log_in(attacker, "coordinator", "guess-again").status_code == 200  # checked, wrong
    refused = log_in(attacker, "coordinator")
    assert refused.status_code == 429
    assert "Please try again in 2 minutes." in refused.get_data(as_text=True)


def test_the_wait_is_said_in_japanese(app, staff, frozen_clock):
    frozen_clock(TOKYO_NEXT_DAY)
    attacker = from_address(app, ATTACKER, language="ja")
    for _ in range(throttle.FREE_PER_PAIR):
        log_in(attacker, "coordinator", "guess-guess")
    html = log_in(attacker, "coordinator").get_data(as_text=True)
    assert "1分後にもう一度お試しください" in html, html
