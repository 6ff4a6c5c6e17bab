"""Walk-ins at the check-in page: find a resident or add one quickly, then mark them present.

The clock is frozen at 10:00 in Tokyo: `ward.today_session_id` starts at 11:00 the same
day, `ward.session_id` a week later. tests/web/test_walk_in_attacks.py holds the attacks.
"""

from __future__ import annotations

import re

import pytest

from classroom.models import Attendance, AttendanceStatus, AuditEvent, Participant, Source
from classroom.services import registration
from classroom.services.actor import Actor
from tests.conftest import TOKYO_SAME_DAY


@pytest.fixture(autouse=True)
def ten_in_the_morning_in_tokyo(frozen_clock):
    frozen_clock(TOKYO_SAME_DAY)


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


def search(client, session_id, q="やまだ"):
    return client.get(f"/teach/sessions/{session_id}/walk-in", query_string={"q": q})


def attendance_of(database, session_id, participant_id):
    with database.read() as db:
        a = (
            db.query(Attendance)
            .filter_by(session_id=session_id, participant_id=participant_id)
            .one_or_none()
        )
        return a and (a.status, a.walk_in, a.method.value)


def test_a_walk_in_is_found_by_kana_with_birth_year_and_not_the_phone(instructor, ward):
    response = search(instructor, ward.today_session_id, "やまだ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "山田 花子" in html and "ヤマダ ハナコ" in html
    assert "1948 (Showa 23)" in html  # the year of birth, with the era residents say
    assert "78</td>" in html  # the last two digits of the phone, to tell namesakes apart
    assert "090-1234-5678" not in html and "09012345678" not in html and "5678" not in html


@pytest.mark.parametrize(
    "typed",
    [
        "090-1234-5678",
        "09012345678",
        "090−1234−5678",  # minus sign
        "090‐1234‐5678",  # hyphen
        "090ー1234ー5678",  # long vowel mark, as the kana keyboard types it
        "０９０－１２３４－５６７８",  # full width
        "090―1234―5678",  # horizontal bar
        "+81 90-1234-5678",
    ],
)
def test_a_walk_in_is_found_by_the_whole_phone_number_with_any_dash(instructor, ward, typed):
    html = search(instructor, ward.today_session_id, typed).get_data(as_text=True)
    results = html[html.index("<caption>") : html.index("</table>", html.index("<caption>"))]
    assert "山田 花子" in results and "78</td>" in results
    assert "5678" not in results


def test_the_search_is_audited_with_who_was_shown_but_not_what_was_typed(
    instructor, database, ward
):
    search(instructor, ward.today_session_id, "090-1234-5678")
    with database.read() as db:
        event = db.query(AuditEvent).filter_by(action="participant.search").one()
        assert event.details == {"shown": [ward.resident_id], "by": "phone"}
        assert event.subject_id == ward.today_session_id
        assert "1234" not in str(event.details)


def test_an_empty_search_says_what_to_type(instructor, ward):
    response = instructor.get(f"/teach/sessions/{ward.today_session_id}/walk-in?q=")
    assert response.status_code == 422
    assert "Please type the name in kana or a phone number." in response.get_data(as_text=True)


def test_nobody_found_says_so_and_offers_to_add(instructor, ward):
    html = search(instructor, ward.today_session_id, "わたなべ").get_data(as_text=True)
    assert "Nobody found" in html and "Add and check in" in html


def test_a_found_walk_in_is_checked_in_as_a_walk_in(instructor, database, ward):
    search(instructor, ward.today_session_id)
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in",
        data={"participant_id": ward.resident_id},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "山田 花子: checked in." in html
    assert "Walk-in" in html  # the roster shows them, marked as a walk-in
    assert attendance_of(database, ward.today_session_id, ward.resident_id) == (
        AttendanceStatus.PRESENT,
        True,
        "walk_in",
    )


@pytest.mark.parametrize("participant_id", ["99999999999", "0", "-1", "x"])
def test_a_walk_in_with_an_impossible_id_asks_to_search_again(
    instructor, database, ward, participant_id
):
    """An id beyond a database integer was a server error on PostgreSQL."""
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in",
        data={"participant_id": participant_id},
        follow_redirects=True,
    )
    assert "Please search for the resident again." in response.get_data(as_text=True)
    with database.read() as db:
        assert db.query(Attendance).count() == 0


def test_a_resident_with_a_seat_checked_in_from_the_search_is_not_a_walk_in(
    instructor, database, ward
):
    with database.write() as db:
        registration.register(
            db,
            session_id=ward.today_session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    search(instructor, ward.today_session_id)
    instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in",
        data={"participant_id": ward.resident_id},
    )
    status, walk_in, _method = attendance_of(database, ward.today_session_id, ward.resident_id)
    assert status == AttendanceStatus.PRESENT and walk_in is False


def test_a_new_walk_in_is_added_with_consent_and_checked_in(instructor, database, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in/new",
        data={
            "reading": "すずき いちろう",
            "phone": "080-2222-3333",
            "device": "android",
            "consent": "y",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "すずき いちろう: checked in." in html
    assert "080-2222-3333" not in html
    with database.read() as db:
        person = db.query(Participant).filter_by(reading="すずき いちろう").one()
        assert person.source == Source.WALK_IN and person.consent_at is not None
        assert person.phone_digits == "08022223333"
        person_id = person.id
    assert attendance_of(database, ward.today_session_id, person_id) == (
        AttendanceStatus.PRESENT,
        True,
        "walk_in",
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"reading": "すずき", "phone": "080-2222-3333", "device": "android"},
            "Please confirm that the resident agreed",
        ),
        (
            {"reading": "Suzuki", "phone": "080-2222-3333", "device": "android", "consent": "y"},
            "must be written in kana",
        ),
        (
            {"reading": "すずき", "phone": "12", "device": "android", "consent": "y"},
            "A phone number has 10 or 11 digits",
        ),
    ],
)
def test_a_wrong_quick_add_says_why_and_writes_nothing(instructor, database, ward, data, message):
    with database.read() as db:
        before = db.query(Participant).count()
    response = instructor.post(f"/teach/sessions/{ward.today_session_id}/walk-in/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with database.read() as db:
        assert db.query(Participant).count() == before
        assert db.query(Attendance).count() == 0


def test_a_likely_duplicate_is_offered_instead_of_a_second_record(instructor, database, ward):
    path = f"/teach/sessions/{ward.today_session_id}/walk-in/new"
    data = {
        "reading": "やまだ はなこ",
        "phone": "090-1234-5678",
        "device": "iphone",
        "consent": "y",
    }
    response = instructor.post(path, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "may already be known" in html and "山田 花子" in html
    assert "090-1234-5678" not in html.split('id="phone"')[0]  # not shown outside the field
    with database.read() as db:
        assert db.query(Participant).count() == 1
        # shown like a search's results: audited, and may be checked in
        shown = db.query(AuditEvent).filter_by(action="participant.search").one()
        assert shown.details == {"shown": [ward.resident_id], "by": "duplicates"}
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in",
        data={"participant_id": ward.resident_id},
        follow_redirects=True,
    )
    assert "山田 花子: checked in." in response.get_data(as_text=True)
    # "a different person": added after all
    response = instructor.post(path, data={**data, "not_a_duplicate": "y"})
    assert response.status_code == 303
    with database.read() as db:
        assert db.query(Participant).count() == 2


def test_the_roster_statuses_late_absent_excused_and_undo_for_a_walk_in(instructor, database, ward):
    sid = ward.today_session_id
    search(instructor, sid)
    instructor.post(f"/teach/sessions/{sid}/walk-in", data={"participant_id": ward.resident_id})
    for status in ("late", "absent", "excused", "present"):
        instructor.post(
            f"/teach/sessions/{sid}/attendance",
            data={"participant_id": ward.resident_id, "status": status},
        )
        assert attendance_of(database, sid, ward.resident_id)[0] == AttendanceStatus(status)
    instructor.post(
        f"/teach/sessions/{sid}/attendance",
        data={"participant_id": ward.resident_id, "status": "undo"},
    )
    assert attendance_of(database, sid, ward.resident_id) is None


def test_a_walk_in_cannot_be_added_to_another_instructors_class(instructor, database, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.other_session_id}/walk-in",
        data={"participant_id": ward.resident_id},
    )
    assert response.status_code == 403
    assert attendance_of(database, ward.other_session_id, ward.resident_id) is None


def test_after_a_check_in_the_scanner_input_has_the_focus_again(instructor, database, ward):
    with database.write() as db:
        code = registration.register(
            db,
            session_id=ward.today_session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        ).registration.code
    html = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/check-in",
        data={"code": code},
        follow_redirects=True,
    ).get_data(as_text=True)
    tag = html[html.rindex("<input", 0, html.index('id="code"')) : html.index('id="code"') + 200]
    assert "autofocus" in tag
    assert html.count("autofocus") == 1
    assert "js/checkin.js" in html


def test_a_new_walk_in_sent_twice_is_added_and_checked_in_once(instructor, database, ward):
    """A double tap on 追加して受付 (the same form, the same one-time token) adds one resident."""
    data = {
        "reading": "すずき じろう",
        "phone": "080-4444-5555",
        "device": "android",
        "consent": "y",
        "not_a_duplicate": "y",
        "form_token": "a" * 32,
    }
    path = f"/teach/sessions/{ward.today_session_id}/walk-in/new"
    first = instructor.post(path, data=data)
    again = instructor.post(path, data=data)
    assert first.status_code == 303 and again.status_code in (302, 303)
    assert again.headers["Location"].endswith(f"/teach/sessions/{ward.today_session_id}")
    with database.read() as db:
        assert db.query(Participant).filter_by(reading="すずき じろう").count() == 1
        assert db.query(Attendance).filter_by(session_id=ward.today_session_id).count() == 1


def test_the_new_walk_in_form_asks_for_exactly_what_the_consent_names(instructor, ward):
    html = instructor.get(f"/teach/sessions/{ward.today_session_id}").get_data(as_text=True)
    form = html[html.index('class="stack quick-add"') :]
    form = form[: form.index("</form>")]
    asked = set(re.findall(r'<input[^>]* name="([a-z_]+)"', form)) - {"csrf_token", "form_token"}
    asked |= set(re.findall(r'<select[^>]* name="([a-z_]+)"', form))
    named = ["birth_year", "consent", "device", "family_name", "given_name", "phone", "reading"]
    assert sorted(asked) == named
    consent = re.search(r'<label for="consent">(.*?)</label>', form, re.S).group(1)
    for what in ("name", "reading", "phone number", "year of birth", "to call them"):
        assert what in consent, what


def test_a_new_walk_ins_name_and_year_of_birth_are_stored_as_typed(instructor, database, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in/new",
        data={
            "family_name": " 髙橋 ",
            "given_name": "ﾐﾂｺ",  # half-width, as typed: not widened nor made katakana
            "reading": "たかはし みつこ",
            "phone": "",
            "birth_year": "1950",
            "device": "iphone",
            "consent": "y",
        },
        follow_redirects=True,
    )
    assert "髙橋 ﾐﾂｺ: checked in." in response.get_data(as_text=True)
    with database.read() as db:
        person = db.query(Participant).filter_by(reading="たかはし みつこ").one()
        assert (person.family_name, person.given_name, person.birth_year) == ("髙橋", "ﾐﾂｺ", 1950)


def test_a_wrong_year_of_birth_on_a_new_walk_in_is_explained_on_the_field(
    instructor, database, ward
):
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/walk-in/new",
        data={"reading": "すずき", "birth_year": "19x8", "device": "android", "consent": "y"},
    )
    assert response.status_code == 422
    assert 'id="birth_year-error"' in response.get_data(as_text=True)
    with database.read() as db:
        assert db.query(Participant).filter_by(reading="すずき").count() == 0
