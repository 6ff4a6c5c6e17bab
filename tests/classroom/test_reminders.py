"""Tomorrow's reminders: confirmed seats of tomorrow's classes, by Tokyo's calendar, once each."""

from __future__ import annotations

from datetime import timedelta

from classroom.models import CallReason, CallTask
from classroom.services import calls, sessions
from classroom.services.actor import Actor
from tests.classroom.ward import NOW

# NOW is 2026-11-26 10:00 in Tokyo (01:00 UTC): "tomorrow" is 11-27 in Tokyo


def reminders(ward, now=NOW):
    with ward.database.write() as db:
        return [(c.participant_id, c.session_id) for c in calls.tomorrows_reminders(db, now)]


def test_confirmed_seats_of_tomorrow_in_tokyo_get_one_reminder_each(ward):
    # 11-27 00:30 in Tokyo is still 11-26 in UTC; 11-28 00:30 in Tokyo is 11-27 in UTC
    early_tomorrow = ward.session(capacity=1, starts_in=timedelta(hours=14, minutes=30))
    late_tomorrow = ward.session(capacity=5, starts_in=timedelta(days=1, hours=12))
    day_after = ward.session(capacity=5, starts_in=timedelta(days=1, hours=14, minutes=30))
    a, b, c = ward.residents(3)
    ward.coordinator.registers(a, early_tomorrow)
    ward.coordinator.registers(b, early_tomorrow)  # waitlisted: no seat, no reminder
    ward.coordinator.registers(c, late_tomorrow)
    ward.coordinator.registers(a, day_after)
    assert sorted(reminders(ward)) == sorted([(a, early_tomorrow), (c, late_tomorrow)])
    assert reminders(ward) == []  # idempotent


def test_a_ticked_reminder_is_not_added_again(ward):
    session = ward.session(starts_in=timedelta(days=1))
    person = ward.resident()
    ward.coordinator.registers(person, session)
    reminders(ward)
    with ward.database.write() as db:
        call = db.query(CallTask).one()
        calls.mark_informed(db, call.id, actor=ward.coordinator.actor)
    assert reminders(ward, NOW + timedelta(hours=3)) == []
    with ward.database.read() as db:
        assert calls.open_calls(db, NOW) == []


def test_a_reminder_that_no_longer_holds_leaves_the_list(ward):
    session = ward.session(starts_in=timedelta(days=1))
    other = ward.session(starts_in=timedelta(days=1, hours=2))
    first, second = ward.residents(2)
    cancelled = ward.coordinator.registers(first, session).registration.id
    ward.coordinator.registers(second, other)
    reminders(ward)
    ward.coordinator.cancels(cancelled)
    with ward.database.write() as db:
        sessions.cancel_session(db, other, actor=Actor.system(), now=NOW)
    with ward.database.read() as db:
        left = [(c.participant_id, c.reason) for c in calls.open_calls(db, NOW)]
    # no reminder is left; the cancelled class's call is
    assert left == [(second, CallReason.SESSION_CANCELLED)]
    with ward.database.read() as db:
        # and once the class has started, its reminders are not shown either
        assert calls.open_calls(db, NOW + timedelta(days=2)) == [
            c for c in calls.open_calls(db, NOW) if c.reason != CallReason.REMINDER
        ]
