"""A coordinator's daily work at 1366×768 in Chromium (issue 16): the call list has one
row per person and class, with every reason and one 連絡済み, and names that do not break;
the booking page shows a closed lottery closed, a drawn one full, and the classes the
resident already holds marked and not offered. Screenshots in
test-artifacts/coordinator-daily/, axe on each page state.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from classroom.models import CallReason, CallTask, Registration, Source, utcnow
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor
from tests.browser.conftest import assert_accessible
from tests.browser.test_coordinator import log_in, office  # noqa: F401 (a fixture)
from tests.web.test_office_calls import add_call

DESK = {"width": 1366, "height": 768}


@pytest.fixture
def shots(artifacts) -> Path:
    folder = artifacts / "coordinator-daily"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def day(live_server, office):  # noqa: F811 (the fixture imported above)
    """佐藤 一郎 won tomorrow's lottery (not told yet) and is due tomorrow's reminder; a
    long name with the same news; 山田 花子 holds next week's class; a lottery drawn."""
    with live_server.database.write() as db:
        reg = db.query(Registration).filter_by(session_id=office["tomorrow"]).one()
        add_call(db, reg, CallReason.LOTTERY_WON)
        long_name = residents.create_participant(
            db,
            family_name="勅使河原",
            given_name="左右衛門三郎",
            reading="テシガワラ ソウエモンサブロウ",
            phone="080-1111-2222",
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id
        long_reg = registration.register(
            db,
            session_id=office["tomorrow"],
            participant_id=long_name,
            source=Source.PHONE,
            actor=Actor.system(),
        ).registration
        add_call(db, long_reg, CallReason.PROMOTED)
        registration.register(
            db,
            session_id=office["next_week"],
            participant_id=office["hanako"],
            source=Source.PHONE,
            actor=Actor.system(),
        )
        starts = office["next_week_starts"] + timedelta(days=2)
        drawn = sessions.create_session(
            db,
            course_id=db.get(Registration, reg.id).session.course_id,
            venue_id=db.get(Registration, reg.id).session.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            capacity=1,
            booking_mode="lottery",
            application_deadline=utcnow() - timedelta(hours=2),
            actor=Actor.system(),
        ).id
        for n in range(2):
            person = residents.create_participant(
                db,
                reading=f"ちゅうせん {'あい'[n]}",
                phone=f"090-2000-100{n}",
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
            ).id
            registration.register(
                db,
                session_id=drawn,
                participant_id=person,
                source=Source.PHONE,
                actor=Actor.system(),
                now=utcnow() - timedelta(days=1),
            )
        registration.draw_lottery(db, drawn, actor=Actor.system())
    return {**office, "drawn": drawn, "ichiro": reg.participant_id}


def one_line(locator) -> bool:
    """The element's text is laid out on one line (a name broken inside has two boxes)."""
    return locator.evaluate("el => el.getClientRects().length") == 1


def test_the_call_list_has_one_row_per_person_and_class(page, live_server, day, shots):
    from playwright.sync_api import expect

    page.set_viewport_size(DESK)
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/office/calls")
    ichiro = page.locator("tbody tr", has=page.get_by_role("link", name="佐藤 一郎"))
    expect(ichiro).to_have_count(1)  # not a second row for the reminder
    expect(ichiro).to_contain_text("抽選で当選")
    expect(ichiro).to_contain_text("明日の教室のお知らせ")
    expect(ichiro.get_by_role("button")).to_have_count(1)
    for name in ("佐藤 一郎", "勅使河原 左右衛門三郎"):
        assert one_line(page.get_by_role("link", name=name)), name
    page.screenshot(path=str(shots / "01-calls.png"), full_page=True)
    assert_accessible(page, "01-calls")

    with page.expect_navigation():
        ichiro.get_by_role("button").click()
    expect(page.get_by_role("link", name="佐藤 一郎")).to_have_count(0)  # both reasons told
    expect(page.get_by_role("link", name="勅使河原 左右衛門三郎")).to_have_count(1)
    page.screenshot(path=str(shots / "02-calls-after-informed.png"), full_page=True)
    assert_accessible(page, "02-calls-after-informed")
    with live_server.database.read() as db:
        left = db.query(CallTask).filter_by(participant_id=day["ichiro"], informed_at=None)
        assert left.count() == 0


def test_the_booking_page_shows_each_class_as_booking_it_would_go(page, live_server, day, shots):
    from playwright.sync_api import expect

    page.set_viewport_size(DESK)
    base = live_server.url
    log_in(page, base)
    page.goto(f"{base}/office/residents/{day['hanako']}/register")
    closed = page.locator(f"#class-{day['lottery']}")
    expect(closed).to_contain_text("受付終了")
    expect(closed.get_by_role("radio")).to_have_count(0)
    drawn = page.locator(f"#class-{day['drawn']}")
    expect(drawn).to_contain_text("満席（キャンセル待ち1人）")
    held = page.locator(f"#class-{day['next_week']}")
    expect(held).to_contain_text("申込済み（確定）")
    expect(held.get_by_role("radio")).to_have_count(0)
    expect(page.locator(f"#class-{day['tomorrow']}").get_by_role("radio")).to_have_count(1)
    page.screenshot(path=str(shots / "03-booking-page.png"), full_page=True)
    assert_accessible(page, "03-booking-page")

    with page.expect_navigation():
        page.get_by_role("button", name="申込を登録").click()  # no class chosen
    expect(page.locator("#session-error")).to_have_text("教室を選んでください。")
    expect(page.get_by_text("選択肢が正しくありません")).to_have_count(0)
    page.screenshot(path=str(shots / "04-booking-no-class-chosen.png"), full_page=True)
    assert_accessible(page, "04-booking-no-class-chosen")
