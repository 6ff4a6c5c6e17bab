"""A resident's own booking at the kiosk (issue 19): POST /api/v1/bookings/lookup and
/bookings/cancel with the code and phone, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from classroom.models import CallTask, Registration, RegistrationStatus
from classroom.services import self_service
from tests.web.test_api import PHONE, KioskClient, add_kiosk, api_app, session_with  # noqa: F401

LOOKUP, CANCEL = "/api/v1/bookings/lookup", "/api/v1/bookings/cancel"
OTHER_PHONE = "080-1111-2222"


@pytest.fixture
def kiosk(api_app, database):  # noqa: F811
    return KioskClient(api_app, add_kiosk(database), language="en")


def book(kiosk, session_id, phone=PHONE, reading="ヤマダ タロウ") -> dict:
    response = kiosk.books(session_id, phone=phone, reading=reading)
    assert response.status_code == 201, response.json
    return response.json


def status_of(database, code) -> RegistrationStatus:
    with database.read() as db:
        return db.scalar(select(Registration.status).where(Registration.code == code))


def test_the_code_and_phone_show_the_booking_and_nothing_personal(kiosk, database, ward):
    booked = book(kiosk, ward.session_id)
    # as a resident types: the phone without dashes, the code as the slip groups it
    response = kiosk.post(
        LOOKUP, {"code": booked["code"][:4] + "-" + booked["code"][4:], "phone": "09043218765"}
    )
    assert response.status_code == 200, response.json
    found = response.json["booking"]
    assert found["code"] == booked["code"] and found["status"] == "booked"
    assert found["position"] is None and found["cancellable"] is True
    assert found["session"]["id"] == ward.session_id and found["session"]["starts_at"]
    text = response.get_data(as_text=True)
    for personal in ("ヤマダ", "タロウ", "4321", "8765", "1951", "090"):
        assert personal not in text
    assert response.headers["Cache-Control"] == "no-store"


def test_a_wrong_phone_answers_as_an_unknown_code(kiosk, database, ward):
    booked = book(kiosk, ward.session_id)
    wrong_phone = kiosk.post(LOOKUP, {"code": booked["code"], "phone": OTHER_PHONE})
    unknown = kiosk.post(LOOKUP, {"code": "ZZZZZZ", "phone": PHONE})
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json == unknown.json
    assert wrong_phone.json["error"] == "not_found"
    # nor can it be cancelled with the wrong phone
    refused = kiosk.post(CANCEL, {"code": booked["code"], "phone": OTHER_PHONE})
    assert refused.status_code == 404 and refused.json == unknown.json
    assert status_of(database, booked["code"]) == RegistrationStatus.CONFIRMED


def test_cancel_frees_the_seat_for_the_first_on_the_waitlist(kiosk, database, ward):
    session_id = session_with(database, ward, capacity=1)
    first = book(kiosk, session_id)
    second = book(kiosk, session_id, phone=OTHER_PHONE, reading="スズキ イチロウ")
    assert second["status"] == "waitlisted" and second["position"] == 1
    waiting = kiosk.post(LOOKUP, {"code": second["code"], "phone": OTHER_PHONE}).json["booking"]
    assert waiting["status"] == "waitlisted" and waiting["position"] == 1

    response = kiosk.post(CANCEL, {"code": first["code"], "phone": PHONE})
    assert response.status_code == 200, response.json
    assert response.json["booking"]["status"] == "cancelled"
    assert response.json["booking"]["cancellable"] is False
    assert status_of(database, first["code"]) == RegistrationStatus.CANCELLED
    assert status_of(database, second["code"]) == RegistrationStatus.CONFIRMED
    promoted = kiosk.post(LOOKUP, {"code": second["code"], "phone": OTHER_PHONE})
    assert promoted.json["booking"]["status"] == "booked"
    with database.read() as db:
        assert db.scalars(select(CallTask)).all(), "the promoted resident is on the call list"

    # a double tap: the second cancel answers the same and changes nothing
    again = kiosk.post(CANCEL, {"code": first["code"], "phone": PHONE})
    assert again.status_code == 200 and again.json == response.json
    assert status_of(database, second["code"]) == RegistrationStatus.CONFIRMED


def test_guessing_codes_is_throttled_per_kiosk(kiosk, database, ward):
    booked = book(kiosk, ward.session_id)
    answers = [
        kiosk.post(LOOKUP, {"code": f"ZZZZ{a}{b}", "phone": PHONE}).status_code
        for a in "23456789"
        for b in "23"
    ][: self_service.FREE_PER_CLIENT + 2]
    assert answers[: self_service.FREE_PER_CLIENT] == [404] * self_service.FREE_PER_CLIENT
    assert answers[-1] == 429
    # now even the right pair waits: the answer does not tell whether a code exists
    throttled = kiosk.post(LOOKUP, {"code": booked["code"], "phone": PHONE})
    assert throttled.status_code == 429
    assert throttled.json["error"] == "too_many_attempts"
    # the first wait is a minute (what is left of it)
    assert 1 <= throttled.json["retry_after"] <= 60
    assert int(throttled.headers["Retry-After"]) == throttled.json["retry_after"]
    assert "minutes" in throttled.json["message"]
    # nothing was cancelled by a throttled cancel either
    assert kiosk.post(CANCEL, {"code": booked["code"], "phone": PHONE}).status_code == 429
    assert status_of(database, booked["code"]) == RegistrationStatus.CONFIRMED


def test_one_code_tried_with_many_phones_is_throttled_from_every_kiosk(
    api_app,  # noqa: F811
    kiosk,
    database,
    ward,
):
    booked = book(kiosk, ward.session_id)
    other = KioskClient(api_app, add_kiosk(database, "lib-2"), language="en")
    for n in range(self_service.FREE_PER_CODE):
        client = kiosk if n % 2 else other
        assert (
            client.post(LOOKUP, {"code": booked["code"], "phone": f"0801111{n:04d}"}).status_code
            == 404
        )
    assert other.post(LOOKUP, {"code": booked["code"], "phone": PHONE}).status_code == 429


@pytest.mark.parametrize(
    "body, field",
    [
        ({"phone": PHONE}, "code"),
        ({"code": "ABCDEF"}, "phone"),
        ({"code": 123456, "phone": PHONE}, "code"),
        ({"code": "ABCDEF", "phone": 9012345678}, "phone"),
        ({"code": "A" * 40, "phone": PHONE}, "code"),
        ({"code": "ABCDEF", "phone": PHONE, "name": "ヤマダ"}, "name"),
    ],
)
def test_bad_bodies_are_422_with_a_message_per_field(kiosk, ward, body, field):
    for path in (LOOKUP, CANCEL):
        response = kiosk.post(path, body)
        assert response.status_code == 422 and response.json["errors"][field]


def test_a_class_that_has_started_cannot_be_cancelled_here(kiosk, database, ward, frozen_clock):
    from datetime import timedelta

    from classroom.models import utcnow

    booked = book(kiosk, ward.session_id)
    frozen_clock(utcnow() + timedelta(days=30))
    found = kiosk.post(LOOKUP, {"code": booked["code"], "phone": PHONE}).json["booking"]
    assert found["cancellable"] is False
    response = kiosk.post(CANCEL, {"code": booked["code"], "phone": PHONE})
    assert response.status_code == 409 and response.json["error"] == "not_cancellable"
    assert status_of(database, booked["code"]) == RegistrationStatus.CONFIRMED


def test_the_answers_come_in_the_kiosks_language(api_app, database, ward):  # noqa: F811
    kiosk = KioskClient(api_app, add_kiosk(database), language="ja")
    response = kiosk.post(LOOKUP, {"code": "ZZZZZZ", "phone": PHONE})
    assert response.status_code == 404
    assert not response.json["message"].isascii()
