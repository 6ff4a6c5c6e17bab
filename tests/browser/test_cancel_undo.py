"""A coordinator in Chromium cancels a registration: the confirmation names the resident
and the class, the cancel happens only on "yes", and 「元に戻す」 puts the seat back
(issue 16). Screenshots in test-artifacts/cancel-undo/; axe on each page state.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from classroom.models import Registration, RegistrationStatus
from tests.browser.test_coordinator import log_in, office  # noqa: F401 (office: a fixture)


@pytest.fixture
def shots(artifacts) -> Path:
    folder = artifacts / "cancel-undo"
    folder.mkdir(exist_ok=True)
    return folder


def look(page, shots: Path, name: str, *, axe: bool = True) -> None:
    from tests.browser.conftest import assert_accessible

    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    if axe:
        assert_accessible(page, name)


def ichiros_status(live_server, session_id: int) -> RegistrationStatus:
    with live_server.database.read() as db:
        return db.query(Registration).filter_by(session_id=session_id).one().status


def test_a_coordinator_cancels_after_confirming_and_undoes_it(
    page,
    live_server,
    office,  # noqa: F811 (the fixture imported above)
    shots,
):
    from playwright.sync_api import expect

    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/office/sessions/{office['tomorrow']}")
    cancel = page.locator("a.button.danger", has_text="佐藤 一郎")
    cancel.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # a link: the keyboard reaches it like a mouse

    expect(page.get_by_role("heading", level=1)).to_have_text("この申し込みを取り消しますか？")
    expect(page.get_by_role("heading", level=2, name=re.compile("佐藤 一郎"))).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("サトウ イチロウ")
    expect(page.locator("dl.facts")).to_contain_text("スマホ入門（iPhone）")
    expect(page.locator("dl.facts")).to_contain_text("つなぐ区立中央図書館")
    expect(page.get_by_role("link", name="いいえ、取り消さずに戻る")).to_be_visible()
    look(page, shots, "01-confirm")
    assert ichiros_status(live_server, office["tomorrow"]) == RegistrationStatus.CONFIRMED

    with page.expect_navigation():
        page.get_by_role("button", name="はい、この申し込みを取り消す").click()
    undo = page.get_by_role("button", name=re.compile("元に戻す"))
    expect(undo).to_be_visible()
    expect(page.locator("#undo-title")).to_contain_text("佐藤 一郎")
    look(page, shots, "02-cancelled-with-undo")
    assert ichiros_status(live_server, office["tomorrow"]) == RegistrationStatus.CANCELLED

    with page.expect_navigation():
        undo.click()
    expect(page.get_by_role("button", name=re.compile("元に戻す"))).to_have_count(0)
    expect(page.locator("a.button.danger", has_text="佐藤 一郎")).to_be_visible()
    look(page, shots, "03-undone")
    assert ichiros_status(live_server, office["tomorrow"]) == RegistrationStatus.CONFIRMED
