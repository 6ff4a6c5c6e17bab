"""The coordinators' kiosk board: kiosks online or not, and calls for help taken and closed."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from classroom.models import HelpRequest, Kiosk, utcnow
from classroom.services import kiosks as kiosk_service
from tests.web.conftest import build_app, csrf_token, english_client
from tests.web.test_api import KioskClient, add_kiosk


def test_a_help_request_from_a_kiosk_appears_on_the_board_and_is_taken_then_closed(
    app, database, as_role
):
    kiosk = KioskClient(app, add_kiosk(database, "lib-1", "中央図書館 1階 入口"))
    kiosk.post("/api/v1/heartbeat", {"app_version": "1.4.2", "content_version": "abcdef0123456789"})
    add_kiosk(database, "lib-2", "南図書館")
    answer = kiosk.post(
        "/api/v1/help-requests",
        {"client_id": str(uuid.uuid4()), "screen": "guide:juminhyo:3/10", "language": "en"},
    )
    help_id = answer.json["id"]
    coordinator = as_role("coordinator")
    page = coordinator.get("/office/kiosks/").get_data(as_text=True)
    # the screen in words a coordinator understands, not the kiosk's code for it
    assert "中央図書館 1階 入口" in page
    assert "Apply online for a copy of your resident record, step 3 of 10" in page
    assert "guide:juminhyo" not in page
    assert "Online" in page and "Offline" in page and "1.4.2" in page and "abcdef0123456789" in page
    assert 'src="/static/js/kiosks.js"' in page and "<script>" not in page
    assert f"/office/kiosks/help-requests/{help_id}/take" in page

    assert coordinator.post(f"/office/kiosks/help-requests/{help_id}/take").status_code == 302
    page = coordinator.get("/office/kiosks/").get_data(as_text=True)
    assert "Taken" in page and f"/help-requests/{help_id}/take" not in page
    assert kiosk.post("/api/v1/help-requests", {"client_id": "again-1"}).json["status"] == "open"
    with database.read() as db:
        assert db.get(HelpRequest, help_id).taken_by_id is not None

    coordinator.post(f"/office/kiosks/help-requests/{help_id}/close")
    page = coordinator.get("/office/kiosks/").get_data(as_text=True)
    assert "resident record, step 3 of 10" not in page
    with database.read() as db:
        assert db.get(HelpRequest, help_id).closed_at is not None
    # closing something no longer there is a message, not an error
    gone = coordinator.post("/office/kiosks/help-requests/99999/close", follow_redirects=True)
    assert gone.status_code == 200 and "no longer on the board" in gone.get_data(as_text=True)


def test_a_kiosk_is_offline_three_minutes_after_its_last_heartbeat(app, database, as_role):
    add_kiosk(database, "lib-1")
    with database.write() as db:
        db.scalars(select(Kiosk)).one().last_seen_at = utcnow() - timedelta(minutes=4)
    page = as_role("coordinator").get("/office/kiosks/").get_data(as_text=True)
    assert "Offline" in page and "Online" not in page


def test_take_and_close_need_the_csrf_token(database, tmp_path, staff):
    app = build_app(database, tmp_path, WTF_CSRF_ENABLED=True)
    add_kiosk(database)
    with database.write() as db:
        kiosk = db.scalars(select(Kiosk)).one()
        request, _ = kiosk_service.open_help_request(db, kiosk, {"client_id": "c-1"})
        help_id = request.id
    client = english_client(app)
    login_page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={
            "login": "coordinator",
            "password": "tsunagu-test-pass",
            "csrf_token": csrf_token(login_page),
        },
    )
    assert client.post(f"/office/kiosks/help-requests/{help_id}/take").status_code == 400
    token = csrf_token(client.get("/office/kiosks/").get_data(as_text=True))
    response = client.post(
        f"/office/kiosks/help-requests/{help_id}/take", data={"csrf_token": token}
    )
    assert response.status_code == 302
    with database.read() as db:
        assert db.get(HelpRequest, help_id).taken_at is not None


def test_instructors_do_not_see_the_board(as_role, database):
    assert as_role("instructor").get("/office/kiosks/").status_code == 403


def test_the_refresh_script_is_plain_and_local(app):
    script = app.test_client().get("/static/js/kiosks.js").get_data(as_text=True)
    assert "setInterval" in script and "http" not in re.sub(r"//.*", "", script)


def test_the_board_names_each_screen_in_words_and_nothing_of_the_resident(app, database, as_role):
    kiosk = KioskClient(app, add_kiosk(database, "lib-1", "中央図書館"))
    for screen in ("guide_checklist:koseki", "phone", "faq:hoikuen", "mystery:x", ""):
        assert (
            kiosk.post(
                "/api/v1/help-requests", {"client_id": str(uuid.uuid4()), "screen": screen}
            ).status_code
            == 201
        )
    # a kiosk cannot send who the resident is: the call refuses any field beyond its three
    refused = kiosk.post(
        "/api/v1/help-requests",
        {
            "client_id": "with-a-name",
            "screen": "name",
            "name": "ヤマダ ハナコ",
            "phone": "09012345678",
        },
    )
    assert refused.status_code == 422
    page = as_role("coordinator").get("/office/kiosks/").get_data(as_text=True)
    assert "Apply online for a family register certificate: the checks before starting" in page
    assert "Class booking: typing the phone number" in page
    assert "Questions and answers: " in page
    assert "Another screen (mystery:x)" in page
    assert "ヤマダ" not in page and "09012345678" not in page


def test_a_kiosk_polls_its_own_call_until_staff_take_and_close_it(app, database, as_role):
    kiosk = KioskClient(app, add_kiosk(database, "lib-1"))
    other = KioskClient(app, add_kiosk(database, "lib-2"))
    client_id = str(uuid.uuid4())
    help_id = kiosk.post("/api/v1/help-requests", {"client_id": client_id}).json["id"]
    assert kiosk.get(f"/api/v1/help-requests/{client_id}").json == {"id": help_id, "status": "open"}
    # another kiosk cannot read it; an id that is not one is 404 too
    assert other.get(f"/api/v1/help-requests/{client_id}").status_code == 404
    assert kiosk.get("/api/v1/help-requests/no%20such").status_code == 404
    coordinator = as_role("coordinator")
    coordinator.post(f"/office/kiosks/help-requests/{help_id}/take")
    assert kiosk.get(f"/api/v1/help-requests/{client_id}").json["status"] == "taken"
    coordinator.post(f"/office/kiosks/help-requests/{help_id}/close")
    assert kiosk.get(f"/api/v1/help-requests/{client_id}").json["status"] == "closed"
