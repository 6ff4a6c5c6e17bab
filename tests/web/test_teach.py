"""An instructor with a tablet: today's classes, the roster without phone numbers, check-in."""

from __future__ import annotations

import pytest

from classroom.models import Attendance, AttendanceStatus, Source
from classroom.services import registration
from classroom.services.actor import Actor
from classroom.services.codes import format_code


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


def book(database, session_id, participant_id):
    with database.write() as db:
        r = registration.register(
            db,
            session_id=session_id,
            participant_id=participant_id,
            source=Source.PHONE,
            actor=Actor.system(),
        ).registration
        return r.code, r.qr_token


def attendance(database, session_id, participant_id):
    with database.read() as db:
        a = (
            db.query(Attendance)
            .filter_by(session_id=session_id, participant_id=participant_id)
            .one_or_none()
        )
        return a and (a.status, a.method.value)


def test_an_instructor_sees_only_the_classes_they_teach(instructor, ward):
    html = instructor.get("/teach/").get_data(as_text=True)
    assert f"/teach/sessions/{ward.today_session_id}" in html
    assert f"/teach/sessions/{ward.session_id}" in html
    assert f"/teach/sessions/{ward.other_session_id}" not in html


def test_the_roster_shows_name_kana_device_needs_but_never_the_phone(instructor, database, ward):
    book(database, ward.today_session_id, ward.resident_id)
    html = instructor.get(f"/teach/sessions/{ward.today_session_id}").get_data(as_text=True)
    assert "山田 花子" in html and "ヤマダ ハナコ" in html
    assert "090-1234-5678" not in html and "09012345678" not in html


def test_the_check_in_input_is_focused_for_the_scanner(instructor, ward):
    html = instructor.get(f"/teach/sessions/{ward.today_session_id}").get_data(as_text=True)
    field = html[html.index('id="code"') - 200 : html.index('id="code"') + 200]
    assert "autofocus" in field and 'autocomplete="off"' in field


@pytest.mark.parametrize("how", ["typed", "typed with a dash in lower case", "scanned"])
def test_a_slip_checks_its_holder_in(instructor, database, ward, how):
    code, token = book(database, ward.today_session_id, ward.resident_id)
    typed = {
        "typed": code,
        "typed with a dash in lower case": format_code(code).lower(),
        "scanned": token,
    }[how]
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/check-in",
        data={"code": typed},
        follow_redirects=True,
    )
    assert "山田 花子: checked in." in response.get_data(as_text=True)
    expected_method = "scan" if how == "scanned" else "code"
    assert attendance(database, ward.today_session_id, ward.resident_id) == (
        AttendanceStatus.PRESENT,
        expected_method,
    )
    again = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/check-in",
        data={"code": typed},
        follow_redirects=True,
    )
    assert "was already checked in" in again.get_data(as_text=True)


def test_a_slip_for_another_class_is_refused_with_where_it_belongs(instructor, database, ward):
    code, _ = book(database, ward.session_id, ward.resident_id)
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/check-in", data={"code": code}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This slip is for another class" in html and "中央図書館" in html
    assert attendance(database, ward.today_session_id, ward.resident_id) is None


def test_an_unknown_code_says_so(instructor, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/check-in", data={"code": "ZZZZZZ"}
    )
    assert response.status_code == 422
    assert "No reservation has the code" in response.get_data(as_text=True)


def test_a_tap_on_the_roster_marks_and_undo_removes(instructor, database, ward):
    book(database, ward.today_session_id, ward.resident_id)
    path = f"/teach/sessions/{ward.today_session_id}/attendance"
    instructor.post(path, data={"participant_id": ward.resident_id, "status": "late"})
    assert attendance(database, ward.today_session_id, ward.resident_id) == (
        AttendanceStatus.LATE,
        "roster",
    )
    instructor.post(path, data={"participant_id": ward.resident_id, "status": "undo"})
    assert attendance(database, ward.today_session_id, ward.resident_id) is None


def test_an_instructor_cannot_mark_someone_who_is_not_on_the_roster(instructor, database, ward):
    response = instructor.post(
        f"/teach/sessions/{ward.today_session_id}/attendance",
        data={"participant_id": ward.resident_id, "status": "present"},
        follow_redirects=True,
    )
    assert "not on this class" in response.get_data(as_text=True)
    assert attendance(database, ward.today_session_id, ward.resident_id) is None


def test_another_instructors_roster_is_forbidden(instructor, ward):
    assert instructor.get(f"/teach/sessions/{ward.other_session_id}").status_code == 403
    assert instructor.get("/teach/sessions/999999").status_code == 404


def _speaks(database, login: str, language: str) -> None:
    from classroom.models import User

    with database.write() as db:
        db.query(User).filter_by(login=login).one().language = language


def test_the_mark_buttons_follow_the_instructors_language_page_after_page(
    instructor, database, ward
):
    """The buttons are rendered once per language and kept (issue 21): a roster in
    Japanese after one in English, and back, says each in its own words."""
    book(database, ward.today_session_id, ward.resident_id)
    url = f"/teach/sessions/{ward.today_session_id}"

    def buttons(html: str) -> str:
        row = html[html.index(f'id="p{ward.resident_id}"') :]
        return row[: row.index("</tr>")]

    english = buttons(instructor.get(url).get_data(as_text=True))
    assert ">Present<" in english and "出席" not in english
    _speaks(database, "instructor", "ja")
    japanese = buttons(instructor.get(url).get_data(as_text=True))
    assert ">出席<" in japanese and ">Present<" not in japanese
    _speaks(database, "instructor", "en")
    assert buttons(instructor.get(url).get_data(as_text=True)) == english
