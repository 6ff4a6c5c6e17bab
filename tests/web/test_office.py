"""A coordinator at the desk: finds residents, adds them, registers them on the phone."""

from __future__ import annotations

import pytest
from markupsafe import escape

from classroom.models import (
    AuditEvent,
    CallTask,
    Participant,
    Registration,
    RegistrationStatus,
    Source,
)
from classroom.services import residents
from classroom.services.actor import Actor
from tests.web.conftest import count


@pytest.mark.parametrize(
    "typed", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだ はな", "1234-5678", "０９０１２３４"]
)
def test_residents_are_found_by_kana_or_phone_however_typed(coordinator, typed):
    html = coordinator.get("/office/residents", query_string={"q": typed}).get_data(as_text=True)
    assert "山田 花子" in html, typed
    data = coordinator.get("/office/residents/search.json", query_string={"q": typed}).get_json()
    assert [r["name"] for r in data["results"]] == ["山田 花子"]
    assert data["results"][0]["url"].startswith("/office/residents/")


@pytest.mark.parametrize("dash", ["-", "\u2212", "\u2010", "ー", "－", "\u2015", "ｰ"])
def test_the_phone_search_folds_every_dash_a_japanese_keyboard_types(coordinator, dash):
    """−, ‐, ー, －, ― (issue 16): today only - ー － found anyone."""
    typed = f"090{dash}1234{dash}5678"
    data = coordinator.get("/office/residents/search.json", query_string={"q": typed}).get_json()
    assert [r["name"] for r in data["results"]] == ["山田 花子"], typed
    html = coordinator.get("/office/residents", query_string={"q": typed}).get_data(as_text=True)
    assert "山田 花子" in html


def test_the_search_page_works_without_javascript_and_says_when_nothing_matched(coordinator):
    html = coordinator.get("/office/residents?q=すずき").get_data(as_text=True)
    assert "0 residents found." in html
    assert 'src="/static/js/residents.js"' in html


def new_resident(**overrides):
    data = {
        "reading": "すずき いちろう",
        "family_name": "鈴木",
        "given_name": "一郎",
        "phone": "03-5555-1234",
        "birth_year": "1950",
        "device": "android",
        "needs": ["hearing_aid"],
        "consent": "y",
    }
    data.update(overrides)
    return data


def test_adding_a_resident_shows_the_purpose_of_collection_first(coordinator):
    html = coordinator.get("/office/residents/new").get_data(as_text=True)
    assert "Purpose of collection" in html
    assert str(escape(residents.PURPOSE_OF_COLLECTION)) in html


def test_a_coordinator_adds_a_resident(coordinator, database):
    response = coordinator.post("/office/residents/new", data=new_resident())
    assert response.status_code == 302
    with database.read() as db:
        person = db.query(Participant).filter_by(reading="すずき いちろう").one()
        assert (person.phone_digits, person.birth_year, person.needs) == (
            "0355551234",
            1950,
            ["hearing_aid"],
        )
        assert person.consent_at is not None
    page = coordinator.get(response.location).get_data(as_text=True)
    assert "鈴木 一郎" in page
    assert "1950 (Showa 25)" in page  # the coordinator here reads English


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"reading": ""}, "reading", "Please enter the name in kana."),
        ({"reading": "Suzuki"}, "reading", "The reading must be written in kana"),
        ({"phone": "12"}, "phone", "A phone number has 10 or 11 digits"),
        ({"birth_year": "1850"}, "birth_year", "The year of birth must be between"),
        ({"consent": ""}, "consent", "Please confirm that the resident agreed"),
        ({"device": "pager"}, "device", "Not a valid choice"),  # WTForms' own message
    ],
)
def test_bad_input_re_renders_with_messages_and_writes_nothing(
    coordinator, database, overrides, field, message
):
    before = count(database, Participant), count(database, AuditEvent)
    response = coordinator.post("/office/residents/new", data=new_resident(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert f'id="{field}-error"' in html and 'aria-invalid="true"' in html
    assert "Please check the highlighted entries." in html
    assert (count(database, Participant), count(database, AuditEvent)) == before


def test_a_form_posted_without_the_reading_says_what_is_missing(coordinator, database):
    """Not a browser's doing (it sends every field), but a server error once."""
    before = count(database, Participant), count(database, AuditEvent)
    data = {k: v for k, v in new_resident().items() if k != "reading"}
    response = coordinator.post("/office/residents/new", data=data)
    assert response.status_code == 422
    assert "Please enter the name in kana." in response.get_data(as_text=True)
    assert (count(database, Participant), count(database, AuditEvent)) == before


def test_a_likely_duplicate_is_shown_before_anything_is_created(coordinator, database):
    twin = new_resident(reading="やまだ はなこ", phone="090-1234-5678", family_name="山田")
    response = coordinator.post("/office/residents/new", data=twin)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This may be someone already registered" in html and "山田 花子" in html
    assert count(database, Participant) == 1
    response = coordinator.post("/office/residents/new", data={**twin, "not_a_duplicate": "y"})
    assert response.status_code == 302
    assert count(database, Participant) == 2


def test_editing_a_resident_keeps_what_was_not_touched(coordinator, database, ward):
    path = f"/office/residents/{ward.resident_id}/edit"
    assert "ヤマダ ハナコ" in coordinator.get(path).get_data(as_text=True)
    response = coordinator.post(
        path,
        data={
            "reading": "ヤマダ ハナコ",
            "family_name": "山田",
            "given_name": "花子",
            "phone": "090-9999-0000",
            "birth_year": "1948",
            "device": "iphone",
        },
    )
    assert response.status_code == 302
    with database.read() as db:
        assert db.get(Participant, ward.resident_id).phone == "090-9999-0000"


def test_viewing_a_resident_is_audited(coordinator, database, ward):
    coordinator.get(f"/office/residents/{ward.resident_id}")
    assert (
        count(database, AuditEvent, action="participant.view", participant_id=ward.resident_id) == 1
    )


def test_the_session_list_shows_the_seats_left(coordinator, ward):
    html = coordinator.get("/office/sessions").get_data(as_text=True)
    assert "スマホ入門（iPhone）" in html and "中央図書館" in html
    assert "Seats left" in html


def add_resident(database, reading, phone):
    with database.write() as db:
        return residents.create_participant(
            db,
            reading=reading,
            phone=phone,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id


def register(client, resident_id, session_id, key):
    return client.post(
        f"/office/residents/{resident_id}/register",
        data={"session_id": session_id, "source": "phone", "idempotency_key": key},
    )


def test_registering_on_the_phone_answers_in_plain_words(coordinator, database, ward):
    page = coordinator.get(f"/office/residents/{ward.resident_id}/register").get_data(as_text=True)
    assert "Seats left" in page and 'name="idempotency_key"' in page
    response = register(coordinator, ward.resident_id, ward.session_id, "k1")
    assert response.status_code == 302
    assert "Confirmed." in coordinator.get(response.location).get_data(as_text=True)

    others = [
        add_resident(database, f"テスト {kana}", f"090-0000-000{i}")
        for i, kana in enumerate("アイウ")
    ]
    register(coordinator, others[0], ward.session_id, "k2")  # the last seat
    register(coordinator, others[1], ward.session_id, "k3")  # waitlist 1
    response = register(coordinator, others[2], ward.session_id, "k4")
    assert "Waitlist number 2." in coordinator.get(response.location).get_data(as_text=True)


def test_a_double_click_books_once(coordinator, database, ward):
    register(coordinator, ward.resident_id, ward.session_id, "same-key")
    response = register(coordinator, ward.resident_id, ward.session_id, "same-key")
    assert response.status_code == 302
    assert count(database, Registration, participant_id=ward.resident_id) == 1


def test_registering_twice_says_why_and_writes_nothing(coordinator, database, ward):
    register(coordinator, ward.resident_id, ward.session_id, "k1")
    response = register(coordinator, ward.resident_id, ward.session_id, "k2")
    assert response.status_code == 422
    assert "already registered for this class" in response.get_data(as_text=True)
    assert count(database, Registration) == 1


def test_cancelling_promotes_the_next_person_onto_the_call_list(coordinator, database, ward):
    first = register(coordinator, ward.resident_id, ward.session_id, "k1").location
    a = add_resident(database, "テスト ア", "090-0000-0001")
    b = add_resident(database, "テスト イ", "090-0000-0002")
    register(coordinator, a, ward.session_id, "k2")
    register(coordinator, b, ward.session_id, "k3")  # waitlisted
    registration_id = int(first.rsplit("/", 1)[1])
    response = coordinator.post(
        f"/office/registrations/{registration_id}/cancel", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "The registration was cancelled." in html
    assert "moved up from the waitlist" in html
    with database.read() as db:
        assert db.get(Registration, registration_id).status == RegistrationStatus.CANCELLED
    calls = coordinator.get("/office/calls").get_data(as_text=True)
    assert "テスト イ" in calls and "090-0000-0002" in calls
    call_id = 1
    coordinator.post(f"/office/calls/{call_id}/informed")
    assert count(database, CallTask, informed_at=None) == 0
