"""The office's "register a resident for a class" page (issue 16): each class as booking
it would go (classroom/services/availability.py), the classes the resident already holds
marked and not offered again, and a clear message when no class was chosen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from classroom.models import Registration, Source, utcnow
from classroom.services import registration
from classroom.services.actor import Actor
from tests.web.conftest import count
from tests.web.test_office_lottery import lottery_session


def row_of(html: str, session_id: int) -> str:
    """The booking table's row for a class (its radio, or its mark when none)."""
    return re.search(rf'<tr id="class-{session_id}">(.*?)</tr>', html, re.S)[1]


def page(coordinator, ward) -> str:
    return coordinator.get(f"/office/residents/{ward.resident_id}/register").get_data(as_text=True)


def test_a_closed_lottery_is_shown_closed_and_is_not_offered(coordinator, database, ward):
    """Its deadline passed, not drawn yet: nobody can book it (it said "Lottery")."""
    closed = lottery_session(database, ward, deadline=utcnow() - timedelta(hours=1))
    row = row_of(page(coordinator, ward), closed)
    assert "Applications closed" in row and "Lottery" not in row
    assert 'type="radio"' not in row


def test_a_drawn_lottery_is_shown_full_with_its_waitlist(coordinator, database, ward):
    drawn = lottery_session(database, ward, deadline=utcnow() - timedelta(hours=1))
    with database.write() as db:
        registration.draw_lottery(db, drawn, actor=Actor.system())
    row = row_of(page(coordinator, ward), drawn)
    assert "Full: waitlist 1" in row and "Lottery" not in row
    assert 'type="radio"' in row  # a late booking joins the waiting list


def test_an_open_lottery_says_until_when(coordinator, database, ward):
    open_lottery = lottery_session(database, ward, deadline=utcnow() + timedelta(days=1))
    row = row_of(page(coordinator, ward), open_lottery)
    assert "Lottery: apply by" in row and 'type="radio"' in row


def test_a_class_the_resident_already_holds_is_marked_and_not_offered(coordinator, database, ward):
    with database.write() as db:
        registration.register(
            db,
            session_id=ward.session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    html = page(coordinator, ward)
    held = row_of(html, ward.session_id)
    assert "Already booked: Confirmed" in held and 'type="radio"' not in held
    assert 'type="radio"' in row_of(html, ward.other_session_id)


def test_with_no_class_chosen_it_says_so_on_the_field(coordinator, database, ward):
    """It said WTForms' 「選択肢が正しくありません」 (Not a valid choice)."""
    before = count(database, Registration)
    response = coordinator.post(
        f"/office/residents/{ward.resident_id}/register",
        data={"source": "phone", "idempotency_key": "k1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please choose the class." in html and "Not a valid choice" not in html
    assert 'id="session-error"' in html
    assert count(database, Registration) == before


@pytest.mark.parametrize("chosen", ["abc", "999999"])
def test_a_class_that_is_not_on_the_list_is_refused_on_the_field(
    coordinator, database, ward, chosen
):
    response = coordinator.post(
        f"/office/residents/{ward.resident_id}/register",
        data={"session_id": chosen, "source": "phone", "idempotency_key": "k1"},
    )
    assert response.status_code == 422
    assert 'id="session-error"' in response.get_data(as_text=True)
    assert count(database, Registration) == 0
