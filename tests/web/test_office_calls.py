"""The "to call" list: news and tomorrow's reminders with phone numbers, ticked, printable."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import MultiDict

from classroom.models import AuditEvent, CallReason, CallTask, Registration, Source, utcnow
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def tomorrow_class(database, ward):
    """A class tomorrow at 14:00 Tokyo time with one confirmed seat (鈴木 一郎)."""
    day = utcnow().astimezone(TOKYO).date() + timedelta(days=1)
    starts = datetime.combine(day, time(14), tzinfo=TOKYO)
    with database.write() as db:
        session_id = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            capacity=5,
            actor=Actor.system(),
        ).id
        person = residents.create_participant(
            db,
            family_name="鈴木",
            given_name="一郎",
            reading="スズキ イチロウ",
            phone="03-5555-1234",
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        )
        registration.register(
            db,
            session_id=session_id,
            participant_id=person.id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    return session_id


def test_tomorrows_reminders_are_on_the_list_with_phone_numbers(
    coordinator, database, tomorrow_class
):
    html = coordinator.get("/office/calls").get_data(as_text=True)
    assert (
        "Reminders for tomorrow&#39;s classes" in html or "Reminders for tomorrow's classes" in html
    )
    assert "鈴木 一郎" in html and "03-5555-1234" in html and "14:00–15:30" in html
    coordinator.get("/office/calls")  # showing the list twice adds nothing
    with database.read() as db:
        assert db.query(CallTask).filter_by(reason=CallReason.REMINDER).count() == 1


def test_ticking_a_reminder_removes_it_for_good(coordinator, database, tomorrow_class):
    coordinator.get("/office/calls")
    with database.read() as db:
        call_id = db.query(CallTask).one().id
    html = coordinator.post(f"/office/calls/{call_id}/informed", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Marked as informed." in html
    assert "03-5555-1234" not in html
    with database.read() as db:
        assert db.query(CallTask).one().informed_at is not None


def test_the_print_view_has_no_menus_no_inline_script_and_a_print_button(
    coordinator, database, tomorrow_class
):
    html = coordinator.get("/office/calls/print").get_data(as_text=True)
    assert "03-5555-1234" in html and "鈴木 一郎" in html
    assert "site-nav" not in html and "Log out" not in html
    assert "data-print hidden" in html and 'src="/static/js/print.js"' in html
    assert "/static/css/page-a4.css" in html
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    with database.read() as db:
        assert db.query(AuditEvent).filter_by(action="calls.print").count() == 1


def test_the_print_files_are_served(client):
    assert b"window.print()" in client.get("/static/js/print.js").data
    assert b"size: A4" in client.get("/static/css/page-a4.css").data
    assert b"size: 105mm 148mm" in client.get("/static/css/page-a6.css").data  # A6


def add_call(db, reg, reason: CallReason) -> None:
    """A call not made yet about a registration (the lottery and the waitlist add them)."""
    db.add(
        CallTask(
            participant_id=reg.participant_id,
            session_id=reg.session_id,
            registration_id=reg.id,
            reason=reason,
        )
    )


@pytest.fixture
def won_and_reminded(database, tomorrow_class):
    """鈴木 一郎 won tomorrow's lottery (a call not made yet) and is due a reminder."""
    with database.write() as db:
        reg = db.query(Registration).filter_by(session_id=tomorrow_class).one()
        add_call(db, reg, CallReason.LOTTERY_WON)
    return tomorrow_class


def test_one_row_per_person_and_class_lists_every_reason(coordinator, won_and_reminded):
    """Issue 16: the same person was listed twice (lottery win, tomorrow's reminder), each
    row with its own 'Informed' button."""
    html = coordinator.get("/office/calls").get_data(as_text=True)
    assert html.count("03-5555-1234") == 1
    row = re.search(r"<tr>(?:(?!</tr>).)*03-5555-1234.*?</tr>", html, re.S)[0]
    assert "Won the lottery" in row and "Reminder for tomorrow" in row
    assert row.count('type="submit"') == 1
    printed = coordinator.get("/office/calls/print").get_data(as_text=True)
    assert printed.count("03-5555-1234") == 1 and "Reminder for tomorrow" in printed


def test_one_informed_ticks_every_reason_and_audits_each(coordinator, database, won_and_reminded):
    coordinator.get("/office/calls")
    with database.read() as db:
        ids = [c.id for c in db.query(CallTask).order_by(CallTask.id)]
    assert len(ids) == 2
    page = coordinator.get("/office/calls").get_data(as_text=True)
    (form,) = re.findall(r'<form method="post" action="([^"]+/informed)">(.*?)</form>', page, re.S)
    html = coordinator.post(
        form[0],
        data=MultiDict(re.findall(r'name="(\w+)" value="([^"]*)"', form[1])),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Marked as informed." in html and "03-5555-1234" not in html
    with database.read() as db:
        assert all(c.informed_at is not None for c in db.query(CallTask))
        events = db.query(AuditEvent).filter_by(action="call.informed").all()
    assert sorted(e.subject_id for e in events) == ids


def test_a_call_added_after_the_list_was_shown_is_not_ticked_unseen(
    coordinator, database, tomorrow_class
):
    """'Informed' ticks what the row showed: news that came in since stays on the list."""
    coordinator.get("/office/calls")
    with database.write() as db:
        reminder = db.query(CallTask).one()
        add_call(db, db.get(Registration, reminder.registration_id), CallReason.LOTTERY_WON)
    coordinator.post(f"/office/calls/{reminder.id}/informed")
    html = coordinator.get("/office/calls").get_data(as_text=True)
    assert "Won the lottery" in html and "03-5555-1234" in html


def test_names_do_not_break_inside(coordinator, tomorrow_class):
    html = coordinator.get("/office/calls").get_data(as_text=True)
    assert re.search(r'<a class="nowrap" href="/office/residents/\d+">鈴木 一郎</a>', html)
    printed = coordinator.get("/office/calls/print").get_data(as_text=True)
    assert '<span class="nowrap">鈴木 一郎</span>' in printed
