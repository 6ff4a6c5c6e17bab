"""A coordinator schedules classes — one, or a weekly or monthly series — and cancels one."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from classroom.models import (
    AuditEvent,
    BookingMode,
    CallReason,
    CallTask,
    ClassSession,
    Registration,
    RegistrationStatus,
    SessionState,
    Source,
)
from classroom.services import registration
from classroom.services.actor import Actor
from tests.web.conftest import count

TOKYO = ZoneInfo("Asia/Tokyo")


def a_thursday(weeks_ahead: int = 3) -> date:
    """A Thursday in the first week of a month, some weeks ahead (monthly series need <= 4th)."""
    day = date.today() + timedelta(weeks=weeks_ahead)
    while day.weekday() != 3 or day.day > 7:
        day += timedelta(days=1)
    return day


def class_form(ward, staff, **overrides):
    data = {
        "course_id": ward.course_id,
        "venue_id": ward.venue_id,
        "date": a_thursday().isoformat(),
        "starts_at": "14:00",
        "ends_at": "15:30",
        "capacity": "12",
        "instructor_ids": [staff.instructor],
        "booking_mode": "first_come",
        "application_deadline": "",
        "repeat": "once",
        "occurrences": "1",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_courses_venues_and_instructors(coordinator, ward):
    html = coordinator.get("/office/sessions/new").get_data(as_text=True)
    assert "スマホ入門（iPhone）" in html and "中央図書館 (20 seats)" in html
    assert "Instructor" in html and "Other_Instructor" in html
    assert "<legend>Repeat</legend>" in html and "Every week" in html


def test_scheduling_one_class_in_tokyo_time(coordinator, database, ward, staff):
    response = coordinator.post("/office/sessions/new", data=class_form(ward, staff))
    assert response.status_code == 302
    new_id = int(response.location.rsplit("/", 1)[1])
    with database.read() as db:
        s = db.get(ClassSession, new_id)
        starts = s.starts_at.astimezone(TOKYO)
        assert (starts.date(), starts.hour, starts.minute) == (a_thursday(), 14, 0)
        assert s.ends_at - s.starts_at == timedelta(minutes=90)
        assert (s.capacity, [u.id for u in s.instructors]) == (12, [staff.instructor])
    html = coordinator.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "The class was scheduled." in html and "14:00–15:30" in html


def test_scheduling_a_weekly_series(coordinator, database, ward, staff):
    before = count(database, ClassSession)
    response = coordinator.post(
        "/office/sessions/new",
        data=class_form(ward, staff, repeat="weekly", occurrences="6"),
        follow_redirects=True,
    )
    assert "6 classes were scheduled" in response.get_data(as_text=True)
    with database.read() as db:
        new = db.query(ClassSession).order_by(ClassSession.id).all()[before:]
        days = [s.starts_at.astimezone(TOKYO).date() for s in new]
    assert days == [a_thursday() + timedelta(weeks=k) for k in range(6)]


def test_scheduling_a_monthly_lottery_series(coordinator, database, ward, staff):
    first = a_thursday()
    deadline = f"{(first - timedelta(days=7)).isoformat()}T17:00"
    before = count(database, ClassSession)
    response = coordinator.post(
        "/office/sessions/new",
        data=class_form(
            ward,
            staff,
            repeat="monthly",
            occurrences="3",
            booking_mode="lottery",
            application_deadline=deadline,
        ),
    )
    assert response.status_code == 302
    with database.read() as db:
        new = db.query(ClassSession).order_by(ClassSession.id).all()[before:]
        assert len(new) == 3
        for s in new:
            local = s.starts_at.astimezone(TOKYO)
            assert local.weekday() == 3 and local.day <= 7
            assert s.booking_mode == BookingMode.LOTTERY
            assert s.starts_at - s.application_deadline == timedelta(days=6, hours=21)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"capacity": "21"}, "capacity", "larger than the room holds (20)"),
        ({"capacity": "0"}, "capacity", "The capacity must be at least 1."),
        ({"capacity": ""}, "capacity", "Please enter the number of seats."),
        ({"ends_at": "13:00"}, "ends_at", "The class must end after it starts."),
        ({"date": ""}, "date", "Please enter the date."),
        (
            {"booking_mode": "lottery"},
            "application_deadline",
            "A lottery needs an application deadline.",
        ),
        (
            {"repeat": "weekly", "occurrences": "60"},
            "occurrences",
            "A series has from 1 to 52 classes.",
        ),
        (
            {"instructor_ids": ["1"]},
            "instructor_ids",
            "not a valid choice",
        ),  # an admin: not offered
    ],
)
def test_bad_input_re_renders_with_messages_and_writes_nothing(
    coordinator, database, ward, staff, overrides, field, message
):
    before = count(database, ClassSession), count(database, AuditEvent)
    response = coordinator.post("/office/sessions/new", data=class_form(ward, staff, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html
    assert message in html
    assert f'id="{field}-error"' in html
    assert (count(database, ClassSession), count(database, AuditEvent)) == before


def test_a_monthly_series_from_a_fifth_week_is_refused(coordinator, database, ward, staff):
    day = a_thursday() + timedelta(weeks=4)
    while day.day <= 28 or day.weekday() != 3:
        day += timedelta(days=1)
    before = count(database, ClassSession)
    response = coordinator.post(
        "/office/sessions/new",
        data=class_form(ward, staff, date=day.isoformat(), repeat="monthly", occurrences="3"),
    )
    assert response.status_code == 422
    assert "Not every month has a 5th Thursday" in response.get_data(as_text=True)
    assert count(database, ClassSession) == before


def test_cancelling_a_class_asks_first_then_puts_everyone_on_the_call_list(
    coordinator, database, ward
):
    with database.write() as db:
        registration.register(
            db,
            session_id=ward.session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    page = coordinator.get(f"/office/sessions/{ward.session_id}/cancel").get_data(as_text=True)
    assert "Cancel this class?" in page and "1 person is registered" in page
    assert "山田 花子" in page and "090-1234-5678" in page
    assert (
        count(database, ClassSession, state=SessionState.CANCELLED) == 0
    )  # asking changed nothing

    html = coordinator.post(
        f"/office/sessions/{ward.session_id}/cancel", follow_redirects=True
    ).get_data(as_text=True)
    assert "The class was cancelled. 1 person was added to the list to call." in html
    with database.read() as db:
        assert db.get(ClassSession, ward.session_id).state == SessionState.CANCELLED
        assert db.query(Registration).one().status == RegistrationStatus.CANCELLED
        assert db.query(CallTask).one().reason == CallReason.SESSION_CANCELLED
    calls = coordinator.get("/office/calls").get_data(as_text=True)
    assert "山田 花子" in calls and "Class cancelled" in calls
    # the button is gone and asking again only says why not
    assert "Cancel this class" not in coordinator.get(
        f"/office/sessions/{ward.session_id}"
    ).get_data(as_text=True)
    again = coordinator.get(f"/office/sessions/{ward.session_id}/cancel", follow_redirects=True)
    assert "it cannot be cancelled" in again.get_data(as_text=True)


def test_a_held_class_cannot_be_cancelled(coordinator, database, ward):
    from classroom.services import sessions

    with database.write() as db:
        sessions.mark_held(db, ward.today_session_id, actor=Actor.system())
    html = coordinator.post(
        f"/office/sessions/{ward.today_session_id}/cancel", follow_redirects=True
    ).get_data(as_text=True)
    assert "not open for registration (already held)" in html or "already held" in html
    assert count(database, ClassSession, state=SessionState.CANCELLED) == 0
