"""Loaner phones on the office's class page: lend, refuse with a reason, mark returned.

Phones are lent on the class's day (issue 16: one lent days ahead blocked it for the
classes in between), so these tests lend for `today_session_id` (11:00 on WARD_NOW).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from classroom.models import AuditEvent, PhoneLoan, Source, Venue
from classroom.services import registration, residents
from classroom.services.actor import Actor
from tests.conftest import TOKYO_MIDNIGHT
from tests.web.conftest import count


def seat(database, session_id: int, participant_id: int | None = None, **person) -> int:
    """A seat in the class for `participant_id`, or for a new resident made of `person`."""
    with database.write() as db:
        if participant_id is None:
            participant_id = residents.create_participant(
                db, consent=True, source=Source.PHONE, actor=Actor.system(), **person
            ).id
        registration.register(
            db,
            session_id=session_id,
            participant_id=participant_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    return participant_id


@pytest.fixture
def seated(database, ward):
    """山田 花子 has a seat in today's class; the venue keeps one loaner phone."""
    with database.write() as db:
        db.get(Venue, ward.venue_id).loaner_phones = 1
    return seat(database, ward.today_session_id, ward.resident_id)


def test_the_class_page_offers_a_phone_to_those_taking_part(coordinator, ward, seated):
    html = coordinator.get(f"/office/sessions/{ward.today_session_id}").get_data(as_text=True)
    assert "Loaner phones" in html
    assert (
        "0 of the venue&#39;s 1 phones are out; 1 left." in html
        or "0 of the venue's 1 phones are out; 1 left." in html
    )
    assert f'<option value="{seated}">山田 花子（ヤマダ ハナコ・1948' in html
    assert 'for="phone_label"' in html


def test_lending_and_returning_a_phone(coordinator, database, ward, seated):
    response = coordinator.post(
        f"/office/sessions/{ward.today_session_id}/loans",
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
        f"/office/sessions/{ward.today_session_id}/loans", data={"participant_id": seated, **data}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Please check the highlighted entries." in html
    assert (count(database, PhoneLoan), count(database, AuditEvent)) == before


def test_a_rule_that_says_no_is_shown_next_to_the_field(coordinator, database, ward, seated):
    # a second participant with a seat, and no phone left
    second = seat(database, ward.today_session_id, reading="スズキ", phone="03-5555-0000")
    coordinator.post(
        f"/office/sessions/{ward.today_session_id}/loans",
        data={"participant_id": seated, "phone_label": "貸出-1"},
    )
    response = coordinator.post(
        f"/office/sessions/{ward.today_session_id}/loans",
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
    html = coordinator.get(f"/office/sessions/{ward.today_session_id}").get_data(as_text=True)
    assert "中央図書館 keeps no loaner phones." in html
    assert "/loans" not in html


def test_the_menu_tells_two_namesakes_apart_by_birth_year_and_phone_end(
    coordinator, database, ward, seated
):
    """Two 山田 花子 in one class: the menu shows 和暦 and the last two digits, as the
    walk-in search does, and never the whole number."""
    twin = seat(
        database,
        ward.today_session_id,
        family_name="山田",
        given_name="花子",
        reading="ヤマダ ハナコ",
        phone="03-5555-0134",
        birth_year=1952,
    )
    html = coordinator.get(f"/office/sessions/{ward.today_session_id}").get_data(as_text=True)
    first = re.search(rf'<option value="{seated}">([^<]*)</option>', html)[1]
    second = re.search(rf'<option value="{twin}">([^<]*)</option>', html)[1]
    assert first == "山田 花子（ヤマダ ハナコ・1948 (Showa 23)・phone …78）"
    assert second == "山田 花子（ヤマダ ハナコ・1952 (Showa 27)・phone …34）"
    assert "090-1234-5678" not in first and "12345678" not in first


def test_a_phone_is_lent_on_the_class_day_only(coordinator, database, ward, seated):
    """A week ahead, the page says when phones are lent and a lend is refused."""
    seat(database, ward.session_id, ward.resident_id)
    html = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert "Loaner phones are lent on the day of the class" in html
    assert f"/office/sessions/{ward.session_id}/loans" not in html
    response = coordinator.post(
        f"/office/sessions/{ward.session_id}/loans",
        data={"participant_id": ward.resident_id, "phone_label": "貸出-1"},
    )
    assert response.status_code == 422
    assert "Loaner phones are lent on the day of the class" in response.get_data(as_text=True)
    assert count(database, PhoneLoan) == 0


def test_lending_times_are_shown_with_their_date(coordinator, ward, seated):
    html = coordinator.post(
        f"/office/sessions/{ward.today_session_id}/loans",
        data={"participant_id": seated, "phone_label": "貸出-1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">貸出-1</th>(.*?)</tr>", html, re.S)[1]
    assert re.search(r"Fri(day)?,? (4 )?Dec(ember)?( 4)?", row), row  # not "10:00" alone


@pytest.mark.parametrize(
    "moment, lent",
    [
        (TOKYO_MIDNIGHT - timedelta(days=1, minutes=10), False),  # 23:50 on 3 December, Tokyo
        (TOKYO_MIDNIGHT - timedelta(days=1) + timedelta(minutes=5), True),  # 00:05 on 4 Dec
    ],
)
def test_the_class_day_is_the_wards_at_its_edges(
    as_role, database, ward, seated, frozen_clock, moment, lent
):
    """Today's class is at 11:00 on 4 December in Tokyo: at 23:50 the night before (14:50
    UTC on 3 December) no phone is lent; five minutes after midnight (still 3 December in
    UTC) it is."""
    frozen_clock(moment)
    coordinator = as_role("coordinator")  # logged in then: a session is not from the future
    response = coordinator.post(
        f"/office/sessions/{ward.today_session_id}/loans",
        data={"participant_id": seated, "phone_label": "貸出-1"},
    )
    assert response.status_code == (302 if lent else 422)
    assert count(database, PhoneLoan) == (1 if lent else 0)
