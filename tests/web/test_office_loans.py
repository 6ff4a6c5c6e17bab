"""Loaner phones on the office's class page: lend, refuse with a reason, mark returned."""

from __future__ import annotations

import pytest

from classroom.models import AuditEvent, PhoneLoan, Source, Venue
from classroom.services import registration, residents
from classroom.services.actor import Actor
from tests.web.conftest import count


@pytest.fixture
def seated(database, ward):
    """山田 花子 has a seat in the class; the venue keeps one loaner phone."""
    with database.write() as db:
        db.get(Venue, ward.venue_id).loaner_phones = 1
        registration.register(
            db,
            session_id=ward.session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    return ward.resident_id


def test_the_class_page_offers_a_phone_to_those_taking_part(coordinator, ward, seated):
    html = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert "Loaner phones" in html
    assert (
        "0 of the venue&#39;s 1 phones are out; 1 left." in html
        or "0 of the venue's 1 phones are out; 1 left." in html
    )
    assert f'<option value="{seated}">山田 花子（ヤマダ ハナコ）</option>' in html
    assert 'for="phone_label"' in html


def test_lending_and_returning_a_phone(coordinator, database, ward, seated):
    response = coordinator.post(
        f"/office/sessions/{ward.session_id}/loans",
        data={"participant_id": seated, "phone_label": "貸出-1"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "The phone 貸出-1 was lent to 山田 花子." in html
    assert "1 of the venue" in html and "Mark returned" in html
    assert f'<option value="{seated}">' not in html  # one phone each: not offered again
    with database.read() as db:
        loan_id = db.query(PhoneLoan).one().id
    html = coordinator.post(f"/office/loans/{loan_id}/return", follow_redirects=True).get_data(
        as_text=True
    )
    assert "The phone 貸出-1 is back." in html and "Returned" in html
    assert f'<option value="{seated}">' in html
    assert count(database, PhoneLoan, returned_at=None) == 0
    assert count(database, AuditEvent, action="loan.return") == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"phone_label": ""}, "Please enter the label on the phone."),
        ({"phone_label": "x" * 41}, "Field cannot be longer than 40 characters."),
        # once stored as typed: an ESC or NUL in the label of every list and slip
        ({"phone_label": "貸出\x1b-1"}, "This contains invisible control characters."),
        ({"participant_id": "999", "phone_label": "1"}, "Not a valid choice"),
    ],
)
def test_bad_input_re_renders_with_messages_and_writes_nothing(
    coordinator, database, ward, seated, data, message
):
    before = count(database, PhoneLoan), count(database, AuditEvent)
    response = coordinator.post(
        f"/office/sessions/{ward.session_id}/loans", data={"participant_id": seated, **data}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Please check the highlighted entries." in html
    assert (count(database, PhoneLoan), count(database, AuditEvent)) == before


def test_a_rule_that_says_no_is_shown_next_to_the_field(coordinator, database, ward, seated):
    with database.write() as db:  # a second participant with a seat, and no phone left
        second = residents.create_participant(
            db,
            reading="スズキ",
            phone="03-5555-0000",
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id
        registration.register(
            db,
            session_id=ward.session_id,
            participant_id=second,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    coordinator.post(
        f"/office/sessions/{ward.session_id}/loans",
        data={"participant_id": seated, "phone_label": "貸出-1"},
    )
    response = coordinator.post(
        f"/office/sessions/{ward.session_id}/loans",
        data={"participant_id": second, "phone_label": "貸出-2"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "All 1 loaner phones of 中央図書館 are out." in html
    assert 'id="phone_label-error"' in html
    assert count(database, PhoneLoan) == 1


def test_a_venue_without_phones_offers_no_form(coordinator, database, ward, seated):
    with database.write() as db:
        db.get(Venue, ward.venue_id).loaner_phones = 0
    html = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert "中央図書館 keeps no loaner phones." in html
    assert "/loans" not in html
