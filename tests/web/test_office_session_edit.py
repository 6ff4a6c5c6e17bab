"""The office edits a class after scheduling it (issue 16): a prefilled form, messages on
the fields, the waitlist moved up, the call list told of a move, a stale form refused."""

from __future__ import annotations

import re
from datetime import timedelta

from classroom.models import (
    AuditEvent,
    BookingMode,
    CallReason,
    CallTask,
    ClassSession,
    Registration,
    RegistrationStatus,
    Source,
)
from classroom.services import registration, sessions
from classroom.services.actor import Actor
from tests.web.conftest import WARD_NOW, count
from tests.web.test_office import add_resident


def edit_page(client, session_id: int) -> str:
    response = client.get(f"/office/sessions/{session_id}/edit")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no {name} on the page"
    return match.group(1)


def edit_form(html: str, **overrides) -> dict:
    """The edit form as the page fills it (its one-time token and version too), changed."""
    data = {
        name: value(html, name)
        for name in ("form_token", "version", "date", "starts_at", "ends_at", "capacity")
    }
    data["venue_id"] = re.search(r'<option selected value="(\d+)"', html).group(1)
    data["instructor_ids"] = re.findall(
        r'<input checked[^>]*name="instructor_ids"[^>]*value="(\d+)"', html
    )
    data["application_deadline"] = (
        value(html, "application_deadline") if 'name="application_deadline"' in html else ""
    )
    data["note"] = re.search(
        r'<textarea[^>]*name="note"[^>]*>\r?\n?([^<]*)</textarea>', html
    ).group(1)
    data.update(overrides)
    return data


def send(client, session_id: int, html: str, follow: bool = False, **overrides):
    """Post the edit form of `html` (made for the `ward` fixture's class) with changes."""
    data = edit_form(html, **overrides)
    return client.post(f"/office/sessions/{session_id}/edit", data=data, follow_redirects=follow)


def the_class(database, session_id: int) -> ClassSession:
    with database.read() as db:
        s = db.get(ClassSession, session_id)
        db.expunge(s)
        return s


def registered(database, session_id: int, people: int) -> list[int]:
    ids = [
        add_resident(database, f"テスト {kana}", f"090-0000-000{i}")
        for i, kana in enumerate("アイウエオカ"[:people])
    ]
    with database.write() as db:
        for participant in ids:
            registration.register(
                db,
                session_id=session_id,
                participant_id=participant,
                source=Source.PHONE,
                actor=Actor.system(),
            )
    return ids


def calls(database, reason: CallReason) -> list[int]:
    with database.read() as db:
        return [
            c.participant_id
            for c in db.query(CallTask).filter_by(reason=reason).order_by(CallTask.id)
        ]


def test_the_class_page_has_an_edit_button_and_the_form_is_prefilled(coordinator, ward, staff):
    page = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert f'href="/office/sessions/{ward.session_id}/edit"' in page
    html = edit_page(coordinator, ward.session_id)
    assert "<h1>Edit the class</h1>" in html
    assert 'value="2026-12-11"' in html and 'value="10:00"' in html and 'value="11:30"' in html
    assert re.search(r'id="capacity"[^>]*value="2"', html)
    assert f'<option selected value="{ward.venue_id}">中央図書館 (20 seats)</option>' in html
    assert re.search(rf'checked[^>]*value="{staff.instructor}"', html)
    assert 'name="course_id"' not in html and 'name="repeat"' not in html
    assert value(html, "version") == "0" and value(html, "form_token")


def test_changing_the_time_and_seats_saves_and_goes_back_to_the_class(
    coordinator, database, ward, staff
):
    html = edit_page(coordinator, ward.session_id)
    response = send(
        coordinator, ward.session_id, html, starts_at="13:00", ends_at="14:30", capacity="6"
    )
    assert response.status_code == 302
    assert response.location == f"/office/sessions/{ward.session_id}"
    page = coordinator.get(response.location).get_data(as_text=True)
    assert "The class was changed." in page and "13:00–14:30" in page
    s = the_class(database, ward.session_id)
    assert (s.capacity, s.version, s.starts_at) == (6, 1, WARD_NOW + timedelta(days=7, hours=3))
    with database.read() as db:
        event = db.query(AuditEvent).filter_by(action="session.edit").one()
        assert event.details["changes"] == {
            "starts_at": "2026-12-11 10:00 → 2026-12-11 13:00",
            "ends_at": "11:30 → 14:30",
            "capacity": "2 → 6",
        }
    # the same form sent again (a double click): nothing twice, shown the result
    again = send(
        coordinator,
        ward.session_id,
        html,
        starts_at="13:00",
        ends_at="14:30",
        capacity="6",
        follow=True,
    )
    assert "This form was already sent" in again.get_data(as_text=True)
    assert count(database, AuditEvent, action="session.edit") == 1


def test_capacity_below_the_confirmed_seats_is_refused_on_the_field(
    coordinator, database, ward, staff
):
    registered(database, ward.session_id, 2)
    html = edit_page(coordinator, ward.session_id)
    response = send(coordinator, ward.session_id, html, capacity="1", note="変更")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="capacity-error".*Seats already confirmed: 2\.', page)
    s = the_class(database, ward.session_id)
    assert (s.capacity, s.note, s.version) == (2, "", 0)
    assert count(database, AuditEvent, action="session.edit") == 0


def test_more_seats_move_the_waitlist_up_in_order_onto_the_call_list(
    coordinator, database, ward, staff
):
    people = registered(database, ward.session_id, 5)  # 2 seated, 3 waiting
    html = edit_page(coordinator, ward.session_id)
    response = send(coordinator, ward.session_id, html, capacity="4", follow=True)
    assert "2 people moved up from the waitlist" in response.get_data(as_text=True)
    assert calls(database, CallReason.PROMOTED) == people[2:4]
    with database.read() as db:
        s = db.get(ClassSession, ward.session_id)
        waiting = db.query(Registration).filter_by(
            session_id=ward.session_id, status=RegistrationStatus.WAITLISTED
        )
        assert (s.seats_taken, [r.participant_id for r in waiting]) == (4, people[4:])
    listing = coordinator.get("/office/calls").get_data(as_text=True)
    assert listing.count("Got a seat from the waitlist") >= 2


def test_moving_the_class_puts_everyone_registered_on_the_call_list(
    coordinator, database, ward, staff
):
    people = registered(database, ward.session_id, 3)  # 2 seated, 1 waiting
    html = edit_page(coordinator, ward.session_id)
    response = send(coordinator, ward.session_id, html, date="2026-12-14", follow=True)
    assert "3 people registered were added to the list to call" in response.get_data(as_text=True)
    assert sorted(calls(database, CallReason.SESSION_MOVED)) == sorted(people)
    listing = coordinator.get("/office/calls").get_data(as_text=True)
    assert listing.count("Class moved") == 3


def test_a_closed_lottery_cannot_get_a_later_deadline(coordinator, database, ward, staff):
    with database.write() as db:
        lottery = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=WARD_NOW + timedelta(days=7),
            ends_at=WARD_NOW + timedelta(days=7, hours=1),
            capacity=2,
            booking_mode=BookingMode.LOTTERY,
            application_deadline=WARD_NOW - timedelta(hours=1),  # closed at 09:00 today
            instructor_ids=[staff.instructor],
            actor=Actor.system(),
            now=WARD_NOW - timedelta(days=1),
        ).id
    html = edit_page(coordinator, lottery)
    assert 'name="application_deadline"' in html
    assert 'value="2026-12-04T09:00"' in html
    response = send(coordinator, lottery, html, application_deadline="2026-12-08T17:00")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="application_deadline-error".*open the lottery again', page)
    assert the_class(database, lottery).application_deadline == WARD_NOW - timedelta(hours=1)


def test_the_second_edit_from_the_same_old_form_is_refused_with_a_clear_message(
    coordinator, as_role, database, ward, staff
):
    other = as_role("admin")
    mine = edit_page(coordinator, ward.session_id)
    theirs = edit_page(other, ward.session_id)
    first = send(other, ward.session_id, theirs, capacity="5")
    assert first.status_code == 302
    response = send(coordinator, ward.session_id, mine, note="会議室B")
    assert response.status_code == 303
    assert response.location.endswith(f"/office/sessions/{ward.session_id}/edit")
    page = coordinator.get(response.location).get_data(as_text=True)
    assert "Someone else changed this class after this form was opened" in page
    assert re.search(r'id="capacity"[^>]*value="5"', page)  # shown as it is now
    s = the_class(database, ward.session_id)
    assert (s.capacity, s.note, s.version) == (5, "", 1)
    # the same token once more, with the class's new version: it goes through
    again = send(coordinator, ward.session_id, mine, note="会議室B", capacity="5", version="1")
    assert again.status_code == 302
    assert the_class(database, ward.session_id).note == "会議室B"


def test_a_cancelled_class_has_no_edit_button_and_cannot_be_edited(
    coordinator, database, ward, staff
):
    html = edit_page(coordinator, ward.session_id)
    with database.write() as db:
        sessions.cancel_session(db, ward.session_id, actor=Actor.system())
    page = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert f'href="/office/sessions/{ward.session_id}/edit"' not in page
    response = send(coordinator, ward.session_id, html, note="変更", follow=True)
    assert "This class was cancelled; it cannot be edited." in response.get_data(as_text=True)
    assert the_class(database, ward.session_id).note == ""


def test_nonsense_is_a_form_error_and_changes_nothing(coordinator, database, ward, staff):
    html = edit_page(coordinator, ward.session_id)
    for bad in (
        {"capacity": "たくさん"},
        {"capacity": "0"},
        {"capacity": "99"},
        {"date": "9999-12-31"},
        {"ends_at": "09:00"},
        {"version": "x"},
        {"venue_id": "999999"},
    ):
        response = coordinator.post(
            f"/office/sessions/{ward.session_id}/edit", data=edit_form(html, **bad)
        )
        assert response.status_code in (303, 422), bad
    s = the_class(database, ward.session_id)
    assert (s.capacity, s.version) == (2, 0)
    assert count(database, AuditEvent, action="session.edit") == 0
    with database.read() as db:
        assert db.query(CallTask).count() == 0


def test_an_instructor_cannot_edit_a_class(as_role, ward, staff):
    instructor = as_role("instructor")
    assert instructor.get(f"/office/sessions/{ward.session_id}/edit").status_code == 403


def test_the_menu_marks_where_the_coordinator_is(coordinator, ward):
    """The edit form is under 教室 and the unanswered questions under コンテンツ: the menu
    says so (aria-current), as on the pages they are reached from."""
    html = edit_page(coordinator, ward.session_id)
    assert 'href="/office/sessions" aria-current="page"' in html
    html = coordinator.get("/office/unanswered").get_data(as_text=True)
    assert 'href="/office/content" aria-current="page"' in html
