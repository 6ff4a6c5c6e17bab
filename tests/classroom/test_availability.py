"""A class's availability at a moment, at the edges, on both engines: and it says what
registering at that moment does (the kiosk must never offer a class the server refuses)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from classroom.models import ClassSession, RegistrationStatus, utcnow
from classroom.services import sessions
from classroom.services.actor import Actor
from classroom.services.availability import availability
from classroom.services.errors import LotteryClosed, SessionNotOpen
from tests.classroom.ward import NOW

DEADLINE = NOW + timedelta(days=3)


def seen(ward, session_id):
    with ward.database.read() as db:
        return availability(db.get(ClassSession, session_id), utcnow())


def test_a_lottery_is_open_until_a_minute_before_its_deadline(ward, frozen_clock):
    session = ward.session(capacity=2, lottery_deadline=DEADLINE)
    frozen_clock(DEADLINE - timedelta(minutes=1))
    found = seen(ward, session)
    assert (found.state, found.deadline, found.bookable) == ("lottery", DEADLINE, True)
    result = ward.coordinator.registers(ward.resident(), session, now=utcnow())
    assert result.status == RegistrationStatus.APPLIED


def test_a_lottery_whose_deadline_passed_a_minute_ago_is_closed_and_refused(ward, frozen_clock):
    session = ward.session(capacity=2, lottery_deadline=DEADLINE)
    frozen_clock(DEADLINE + timedelta(minutes=1))
    found = seen(ward, session)
    assert (found.state, found.reason, found.bookable) == ("closed", "deadline_passed", False)
    assert found.deadline == DEADLINE
    with pytest.raises(LotteryClosed):
        ward.coordinator.registers(ward.resident(), session, now=utcnow())


def test_at_the_deadline_itself_the_lottery_is_closed(ward, frozen_clock):
    session = ward.session(capacity=2, lottery_deadline=DEADLINE)
    frozen_clock(DEADLINE)
    assert seen(ward, session).state == "closed"


def test_after_the_draw_a_lottery_class_takes_late_bookings_on_the_waiting_list(ward, frozen_clock):
    session = ward.session(capacity=1, lottery_deadline=DEADLINE)
    ward.coordinator.registers(ward.resident(), session, now=NOW)
    frozen_clock(DEADLINE + timedelta(minutes=1))
    ward.coordinator.draws(session, seed="s", now=utcnow())
    found = seen(ward, session)
    assert (found.state, found.seats_left, found.bookable) == ("waitlist", 0, True)
    late = ward.coordinator.registers(ward.resident(), session, now=utcnow())
    assert late.status == RegistrationStatus.WAITLISTED


def test_a_class_that_has_started_is_closed_and_refused(ward, frozen_clock):
    session = ward.session(capacity=5, starts_in=timedelta(hours=2))
    frozen_clock(NOW + timedelta(hours=2, minutes=1))
    found = seen(ward, session)
    assert (found.state, found.reason, found.seats_left) == ("closed", "started", 5)
    with pytest.raises(SessionNotOpen):
        ward.coordinator.registers(ward.resident(), session, now=utcnow())


def test_a_minute_before_it_starts_a_class_is_open(ward, frozen_clock):
    session = ward.session(capacity=5, starts_in=timedelta(hours=2))
    frozen_clock(NOW + timedelta(hours=2) - timedelta(minutes=1))
    found = seen(ward, session)
    assert (found.state, found.seats_left) == ("open", 5)
    result = ward.coordinator.registers(ward.resident(), session, now=utcnow())
    assert result.status == RegistrationStatus.CONFIRMED


def test_a_full_class_offers_the_waiting_list(ward, frozen_clock):
    frozen_clock(NOW)
    session = ward.session(capacity=1)
    ward.coordinator.registers(ward.resident(), session, now=utcnow())
    found = seen(ward, session)
    assert (found.state, found.seats_left, found.bookable) == ("waitlist", 0, True)
    result = ward.coordinator.registers(ward.resident(), session, now=utcnow())
    assert (result.status, result.position) == (RegistrationStatus.WAITLISTED, 1)


def test_a_cancelled_class_is_closed(ward, frozen_clock):
    frozen_clock(NOW)
    session = ward.session(capacity=3)
    with ward.database.write() as db:
        sessions.cancel_session(db, session, actor=Actor.system(), now=utcnow())
    found = seen(ward, session)
    assert (found.state, found.reason) == ("closed", "cancelled")
    with pytest.raises(SessionNotOpen):
        ward.coordinator.registers(ward.resident(), session, now=utcnow())
