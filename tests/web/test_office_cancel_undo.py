"""Cancelling a registration asks first, by name and class; a cancel can be undone (issue 16)."""

from __future__ import annotations

from classroom.models import AuditEvent, Registration, RegistrationStatus
from tests.web.conftest import PASSWORD, build_app, csrf_token
from tests.web.test_office import add_resident, register


def book(coordinator, resident_id, session_id, key) -> int:
    return int(register(coordinator, resident_id, session_id, key).location.rsplit("/", 1)[1])


def status(database, registration_id):
    with database.read() as db:
        reg = db.get(Registration, registration_id)
        return reg.status, reg.code, reg.waitlist_seq


def test_the_class_page_links_to_a_confirmation_that_names_the_person_and_class(
    coordinator, database, ward
):
    seat = book(coordinator, ward.resident_id, ward.session_id, "k1")
    page = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert f'href="/office/registrations/{seat}/cancel"' in page
    assert f'action="/office/registrations/{seat}/cancel"' not in page  # no one-click cancel
    response = coordinator.get(f"/office/registrations/{seat}/cancel")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for shown in ("山田 花子", "ヤマダ ハナコ", "スマホ入門（iPhone）", "中央図書館"):
        assert shown in html
    assert "Cancel this registration?" in html and "<h1>" in html
    assert "Yes, cancel this registration" in html and "No, go back without cancelling" in html
    assert f'href="/office/sessions/{ward.session_id}"' in html
    assert status(database, seat)[0] == RegistrationStatus.CONFIRMED  # GET cancels nothing
    back = coordinator.get(f"/office/registrations/{seat}/cancel?back=registration")
    assert f'href="/office/registrations/{seat}"' in back.get_data(as_text=True)


def test_posting_the_confirmation_cancels_and_offers_undo_that_restores_seat_and_code(
    coordinator, database, ward
):
    seat = book(coordinator, ward.resident_id, ward.session_id, "k1")
    _status, code, _seq = status(database, seat)
    response = coordinator.post(f"/office/registrations/{seat}/cancel")
    assert response.status_code == 302
    assert response.location == f"/office/sessions/{ward.session_id}?undo={seat}"
    html = coordinator.get(response.location).get_data(as_text=True)
    assert "The registration was cancelled." in html
    assert f'action="/office/registrations/{seat}/undo"' in html
    assert "Undo the cancellation" in html
    assert status(database, seat)[0] == RegistrationStatus.CANCELLED

    response = coordinator.post(f"/office/registrations/{seat}/undo", follow_redirects=True)
    assert "is back as before" in response.get_data(as_text=True)
    assert status(database, seat)[:2] == (RegistrationStatus.CONFIRMED, code)
    with database.read() as db:
        assert db.query(AuditEvent).filter_by(action="registration.undo_cancel").count() == 1
    # once undone, the offer is gone
    again = coordinator.get(f"/office/sessions/{ward.session_id}?undo={seat}")
    assert "Undo the cancellation" not in again.get_data(as_text=True)


def test_undo_is_refused_once_someone_booked_the_seat_and_changes_nothing(
    coordinator, database, ward
):
    a = add_resident(database, "テスト ア", "090-0000-0001")
    b = add_resident(database, "テスト イ", "090-0000-0002")
    seat = book(coordinator, ward.resident_id, ward.session_id, "k1")
    book(coordinator, a, ward.session_id, "k2")  # the class (2 seats) is full
    coordinator.post(f"/office/registrations/{seat}/cancel")
    book(coordinator, b, ward.session_id, "k3")  # b takes the freed seat
    with database.read() as db:
        events = db.query(AuditEvent).count()
    response = coordinator.post(f"/office/registrations/{seat}/undo", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "cannot be undone" in html and "register the person again" in html
    assert status(database, seat)[0] == RegistrationStatus.CANCELLED
    with database.read() as db:
        assert db.query(AuditEvent).count() == events


def test_undo_is_refused_once_the_cancel_promoted_the_next_person(coordinator, database, ward):
    a = add_resident(database, "テスト ア", "090-0000-0001")
    b = add_resident(database, "テスト イ", "090-0000-0002")
    seat = book(coordinator, ward.resident_id, ward.session_id, "k1")
    book(coordinator, a, ward.session_id, "k2")
    waiting = book(coordinator, b, ward.session_id, "k3")
    coordinator.post(f"/office/registrations/{seat}/cancel")
    response = coordinator.post(f"/office/registrations/{seat}/undo", follow_redirects=True)
    assert "the seat went to the next person on the waitlist" in response.get_data(as_text=True)
    assert status(database, seat)[0] == RegistrationStatus.CANCELLED
    assert status(database, waiting)[0] == RegistrationStatus.CONFIRMED


def test_undo_of_a_waitlisted_registration_gives_back_its_place(coordinator, database, ward):
    others = [
        add_resident(database, f"テスト {kana}", f"090-0000-000{i}")
        for i, kana in enumerate("アイウ")
    ]
    book(coordinator, others[0], ward.session_id, "k1")
    book(coordinator, others[1], ward.session_id, "k2")
    first_waiting = book(coordinator, ward.resident_id, ward.session_id, "k3")
    book(coordinator, others[2], ward.session_id, "k4")
    seq = status(database, first_waiting)[2]
    coordinator.post(f"/office/registrations/{first_waiting}/cancel")
    coordinator.post(f"/office/registrations/{first_waiting}/undo")
    assert status(database, first_waiting)[0::2] == (RegistrationStatus.WAITLISTED, seq)
    page = coordinator.get(f"/office/registrations/{first_waiting}").get_data(as_text=True)
    assert "Waitlist number 1." in page


def test_an_instructor_can_neither_cancel_nor_undo(as_role, coordinator, database, ward):
    seat = book(coordinator, ward.resident_id, ward.session_id, "k1")
    teacher = as_role("instructor")
    assert teacher.get(f"/office/registrations/{seat}/cancel").status_code == 403
    assert teacher.post(f"/office/registrations/{seat}/cancel").status_code == 403
    assert status(database, seat)[0] == RegistrationStatus.CONFIRMED
    coordinator.post(f"/office/registrations/{seat}/cancel")
    assert teacher.post(f"/office/registrations/{seat}/undo").status_code == 403
    assert status(database, seat)[0] == RegistrationStatus.CANCELLED


def test_without_the_csrf_token_neither_cancel_nor_undo_happens(database, tmp_path, ward):
    app = build_app(database, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    log_in_with = {"login": "coordinator", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=log_in_with).status_code == 302
    page = client.get(f"/office/residents/{ward.resident_id}/register").get_data(as_text=True)
    response = client.post(
        f"/office/residents/{ward.resident_id}/register",
        data={
            "session_id": ward.session_id,
            "source": "phone",
            "idempotency_key": "k1",
            "csrf_token": csrf_token(page),
        },
    )
    seat = int(response.location.rsplit("/", 1)[1])
    assert client.post(f"/office/registrations/{seat}/cancel").status_code == 400
    assert status(database, seat)[0] == RegistrationStatus.CONFIRMED
    confirm = client.get(f"/office/registrations/{seat}/cancel").get_data(as_text=True)
    response = client.post(
        f"/office/registrations/{seat}/cancel", data={"csrf_token": csrf_token(confirm)}
    )
    assert response.status_code == 302
    assert client.post(f"/office/registrations/{seat}/undo").status_code == 400
    assert status(database, seat)[0] == RegistrationStatus.CANCELLED
