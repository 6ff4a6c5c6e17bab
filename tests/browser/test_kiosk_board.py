"""A coordinator's kiosk board in Chromium: a kiosk calls for help, the board shows it by
itself (no reload) with the screen in words (「… 手順3/11」), the coordinator takes and closes
it; axe-core finds nothing serious."""

from __future__ import annotations

import json
import urllib.request

from classroom.models import Role
from classroom.services import kiosks
from classroom.services.actor import Actor
from tests.browser.conftest import add_staff, assert_accessible, log_in


def kiosk_calls_for_help(base_url: str, token: str) -> None:
    body = json.dumps({"client_id": "help-1", "screen": "guide:juminhyo:3/11", "language": "ja"})
    request = urllib.request.Request(
        f"{base_url}/api/v1/help-requests",
        data=body.encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


def test_the_board_updates_itself_and_a_help_request_is_taken_and_closed(
    live_server, page, artifacts
):
    live_server.app.config["KIOSK_BOARD_REFRESH_SECONDS"] = 1
    with live_server.database.write() as db:
        add_staff(db, "sato", Role.COORDINATOR, "佐藤 調整")
        token = kiosks.create_kiosk(
            db, name="lib-1", location="中央図書館 1階 入口", actor=Actor.cli()
        )[1]
    log_in(page, live_server, "sato")
    page.goto(f"{live_server.url}/office/kiosks/")
    assert page.locator("#kiosk-board").is_visible()
    assert_accessible(page, "kiosk board, empty")

    kiosk_calls_for_help(live_server.url, token)
    # no reload: the board's script fetches it within a refresh period
    # the screen in words a coordinator understands, never the kiosk's code for it
    page.locator("text=住民票の写しをオンラインで申し込む 手順3/11").wait_for(timeout=5000)
    assert page.locator("text=guide:juminhyo").count() == 0
    assert page.locator("text=中央図書館 1階 入口").count() >= 1
    assert_accessible(page, "kiosk board with a help request")
    page.screenshot(path=str(artifacts / "kiosk-board.png"), full_page=True)

    with page.expect_navigation():
        page.locator("form[action$='/take'] button").click()
    assert page.locator("form[action$='/take']").count() == 0
    with page.expect_navigation():
        page.locator("form[action$='/close'] button").click()
    page.locator("text=手順3/11").wait_for(state="detached", timeout=3000)
    assert_accessible(page, "kiosk board after closing")
