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
        {"client_id": str(uuid.uuid4()), "screen": "guide:juminhyo:3", "language": "en"},
    )
    help_id = answer.json["id"]
    coordinator = as_role("coordinator")
    page = coordinator.get("/office/kiosks/").get_data(as_text=True)
    assert "中央図書館 1階 入口" in page and "guide:juminhyo:3" in page
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
    assert "guide:juminhyo:3" not in page
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
