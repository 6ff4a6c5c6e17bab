"""予約の確認・取り消し without Kivy: what each answer of the server becomes on screen."""

from __future__ import annotations

import pytest

from kiosk import own_booking, stub
from kiosk.services.api import Rejected, Unreachable


class Api:
    """Answers every request with ``answer`` (raised when it is an exception)."""

    def __init__(self, answer):
        self.answer = answer
        self.sent = []

    def request(self, method, path, body=None, headers=None):
        self.sent.append((method, path, body))
        if isinstance(self.answer, Exception):
            raise self.answer
        return 200, self.answer


def test_the_code_pad_takes_six_of_the_codes_own_characters():
    code = ""
    for key in ("K", "7", "O", "1", "M", "4", "Q", "2", "Z"):  # O and 1 are never in a code
        code = own_booking.type_code(code, key)
    assert code == "K7M4Q2" and own_booking.code_complete(code)
    assert own_booking.type_code(code, "delete") == "K7M4Q"
    assert own_booking.shown_code("K7M") == "K7M-＿＿＿"  # grouped as the slips print it


def test_the_code_and_phone_are_all_that_is_sent():
    api = Api({"booking": stub.BOOKINGS["booked"]})
    found = own_booking.lookup(api, "K7M4Q2", "09000000001")
    assert found.state == "found" and found.booking["code"] == "K7M4Q2"
    assert api.sent == [("POST", "/bookings/lookup", {"code": "K7M4Q2", "phone": "09000000001"})]
    assert own_booking.cancel(api, "K7M4Q2", "09000000001").state == "cancelled"


@pytest.mark.parametrize(
    "answer, state",
    [
        (Rejected(404, "not_found"), "not_found"),
        (Unreachable("URLError"), "offline"),
        (Unreachable("HTTP 503", 30), "offline"),
        ({"unexpected": True}, "offline"),
        (Rejected(409, "not_cancellable", "started"), "refused"),
    ],
)
def test_every_answer_is_a_state_the_screen_shows(answer, state):
    assert own_booking.lookup(Api(answer), "K7M4Q2", "09000000001").state == state


def test_too_many_tries_says_the_minutes_to_wait():
    found = own_booking.lookup(Api(Unreachable("HTTP 429", 61)), "K7M4Q2", "09000000001")
    assert found.state == "throttled" and found.minutes == 2
    assert own_booking.lines(found, "ja") == [
        "2分たってからもう一度ためすか、職員に声をかけてください。"
    ]


@pytest.mark.parametrize(
    "booking, heading",
    [
        ("booked", "この教室の席がとれています。"),
        ("lost", "抽選で席はとれませんでした。キャンセル待ち2番目です。"),
        ("cancelled", "この予約は取り消されています。"),
    ],
)
def test_the_heading_says_the_servers_status(booking, heading):
    found = own_booking.Outcome("found", booking=stub.BOOKINGS[booking])
    assert own_booking.heading(found, "ja") == heading
    assert own_booking.cancellable(found) is stub.BOOKINGS[booking]["cancellable"]
