"""A coordinator in Chromium (1366×768) edits a class (issue 16): fewer seats than are
confirmed is refused on the field; a later time and more seats are saved, the waitlisted
resident moves up, and everyone registered is on the call list because the class moved.
Screenshots in test-artifacts/edit-class/; axe on each page state.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from classroom.models import ClassSession, Participant, Registration, RegistrationStatus, Source
from classroom.services import registration, sessions
from classroom.services.actor import Actor
from tests.browser.test_coordinator import TOKYO, log_in, office  # noqa: F401 (office: a fixture)


@pytest.fixture
def shots(artifacts) -> Path:
    folder = artifacts / "edit-class"
    folder.mkdir(exist_ok=True)
    return folder


def look(page, shots: Path, name: str) -> None:
    from tests.browser.conftest import assert_accessible

    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert_accessible(page, name)


@pytest.fixture
def small_class(live_server, office):  # noqa: F811 (the fixture imported above)
    """Two seats next week, both taken (山田 花子, 山田 太郎); 佐藤 一郎 waits."""
    with live_server.database.write() as db:
        starts = office["next_week_starts"] + timedelta(days=2)
        session = db.get(ClassSession, office["next_week"])
        small = sessions.create_session(
            db,
            course_id=session.course_id,
            venue_id=session.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            capacity=2,
            actor=Actor.system(),
        ).id
        ichiro = db.query(Registration).filter_by(session_id=office["tomorrow"]).one()
        taro = db.query(Participant).filter_by(reading="ヤマダ タロウ").one()
        people = [office["hanako"], taro.id, ichiro.participant_id]
        for person in people:
            registration.register(
                db,
                session_id=small,
                participant_id=person,
                source=Source.PHONE,
                actor=Actor.system(),
            )
    return small


def test_a_coordinator_changes_the_time_and_seats_of_a_class(page, live_server, small_class, shots):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1366, "height": 768})
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/office/sessions/{small_class}")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^編集")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("教室の内容を編集")
    expect(page.get_by_label("開始時刻")).to_have_value("14:00")
    expect(page.get_by_label("定員")).to_have_value("2")
    look(page, shots, "01-form")

    page.get_by_label("定員").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="変更を保存").click()
    expect(page.locator("#capacity-error")).to_contain_text("予約確定済みの席は 2 席です")
    look(page, shots, "02-fewer-seats-refused")

    page.get_by_label("開始時刻").fill("15:00")
    page.get_by_label("終了時刻").fill("16:30")
    page.get_by_label("定員").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="変更を保存").click()
    assert page.url.endswith(f"/office/sessions/{small_class}")
    expect(page.get_by_text("教室の内容を変更しました。")).to_be_visible()
    expect(page.get_by_text("キャンセル待ちから1人が繰り上がり")).to_be_visible()
    expect(page.get_by_text("申し込み済みの3人を連絡リストに追加しました。")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("15:00")
    look(page, shots, "03-saved")

    with live_server.database.read() as db:
        s = db.get(ClassSession, small_class)
        assert (s.capacity, s.seats_taken) == (3, 3)
        assert s.starts_at.astimezone(TOKYO).strftime("%H:%M") == "15:00"
        statuses = {r.status for r in db.query(Registration).filter_by(session_id=small_class)}
        assert statuses == {RegistrationStatus.CONFIRMED}

    page.goto(f"{base}/office/calls")
    expect(page.get_by_role("cell", name="日時・会場の変更")).to_have_count(3)
    look(page, shots, "04-call-list")
