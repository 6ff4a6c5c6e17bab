"""The seat rules: confirm, waitlist, cancel and promote, idempotency, closed classes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from classroom.models import CallReason, CallTask, RegistrationStatus
from classroom.services.errors import (
    AlreadyRegistered,
    IdempotencyKeyReused,
    NotFound,
    SessionNotOpen,
)
from tests.classroom.ward import NOW


def test_seats_are_confirmed_until_full_then_waitlisted_in_order(ward):
    session = ward.session(capacity=3)
    people = ward.residents(5)
    results = [ward.coordinator.registers(p, session) for p in people]
    assert [r.status for r in results] == [RegistrationStatus.CONFIRMED] * 3 + [
        RegistrationStatus.WAITLISTED
    ] * 2
    assert [r.position for r in results] == [None, None, None, 1, 2]
    assert ward.seats_taken(session) == 3
    assert ward.waitlist(session) == [(1, people[3]), (2, people[4])]


def test_the_same_person_twice_is_told_clearly(ward):
    session = ward.session()
    person = ward.resident()
    ward.coordinator.registers(person, session)
    with pytest.raises(AlreadyRegistered) as error:
        ward.coordinator.registers(person, session)
    assert "already registered" in error.value.translate(lambda s: s)
    assert "Confirmed" in error.value.translate(lambda s: s)
    assert len(ward.registrations(session)) == 1


def test_the_same_idempotency_key_returns_the_first_answer_and_creates_nothing(ward):
    session = ward.session()
    person = ward.resident()
    first = ward.coordinator.registers(person, session, key="kiosk-1:attempt-7")
    again = ward.coordinator.registers(person, session, key="kiosk-1:attempt-7")
    assert first.created and not again.created
    assert again.registration.id == first.registration.id
    assert again.registration.code == first.registration.code
    assert len(ward.registrations(session)) == 1
    assert ward.seats_taken(session) == 1


def test_an_idempotency_key_cannot_be_reused_for_someone_else(ward):
    session = ward.session()
    a, b = ward.residents(2)
    ward.coordinator.registers(a, session, key="k")
    with pytest.raises(IdempotencyKeyReused):
        ward.coordinator.registers(b, session, key="k")
    assert ward.confirmed(session) == [a]


def test_cancelling_a_seat_promotes_the_first_waitlisted_and_puts_them_on_the_call_list(ward):
    session = ward.session(capacity=1)
    a, b, c = ward.residents(3)
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.registers(b, session)
    ward.coordinator.registers(c, session)
    result = ward.coordinator.cancels(seat.id)
    assert result.promoted is not None and result.promoted.participant_id == b
    assert ward.confirmed(session) == [b]
    assert ward.waitlist(session) == [(1, c)]  # c moved up from 2 to 1
    assert ward.seats_taken(session) == 1
    with ward.database.read() as db:
        calls = db.query(CallTask).all()
        assert [(call.participant_id, call.reason) for call in calls] == [(b, CallReason.PROMOTED)]


def test_cancelling_frees_the_seat_when_nobody_waits(ward):
    session = ward.session(capacity=2)
    a = ward.resident()
    seat = ward.coordinator.registers(a, session).registration
    assert ward.seats_taken(session) == 1
    ward.coordinator.cancels(seat.id)
    assert ward.seats_taken(session) == 0
    # the same person may book again after cancelling
    assert ward.coordinator.registers(a, session).status == RegistrationStatus.CONFIRMED


def test_cancelling_twice_changes_nothing_the_second_time(ward):
    session = ward.session(capacity=1)
    a, b, c = ward.residents(3)
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.registers(b, session)
    ward.coordinator.registers(c, session)
    ward.coordinator.cancels(seat.id)
    second = ward.coordinator.cancels(seat.id)
    assert second.promoted is None
    assert ward.confirmed(session) == [b]
    assert ward.waitlist(session) == [(1, c)]


def test_leaving_the_waitlist_keeps_positions_contiguous(ward):
    session = ward.session(capacity=1)
    people = ward.residents(5)
    results = [ward.coordinator.registers(p, session) for p in people]
    ward.coordinator.cancels(results[2].registration.id)  # position 2 leaves
    assert ward.waitlist(session) == [(1, people[1]), (2, people[3]), (3, people[4])]


def test_a_class_that_has_started_or_was_cancelled_takes_no_registrations(ward):
    started = ward.session(starts_in=timedelta(minutes=-5))
    with pytest.raises(SessionNotOpen):
        ward.coordinator.registers(ward.resident(), started)
    cancelled = ward.session()
    from classroom.services import sessions
    from classroom.services.actor import Actor

    with ward.database.write() as db:
        sessions.cancel_session(db, cancelled, actor=Actor.system(), now=NOW)
    with pytest.raises(SessionNotOpen) as error:
        ward.coordinator.registers(ward.resident(), cancelled)
    assert "cancelled" in error.value.translate(lambda s: s)


def test_unknown_session_or_resident_is_not_found(ward):
    with pytest.raises(NotFound):
        ward.coordinator.registers(ward.resident(), 9999)
    with pytest.raises(NotFound):
        ward.coordinator.registers(9999, ward.session())


def test_cancelling_a_session_puts_everyone_registered_on_the_call_list(ward):
    from classroom.services import sessions
    from classroom.services.actor import Actor

    session = ward.session(capacity=2)
    people = ward.residents(3)
    for p in people:
        ward.coordinator.registers(p, session)
    with ward.database.write() as db:
        calls = sessions.cancel_session(db, session, actor=Actor.system(), now=NOW)
        assert sorted(c.participant_id for c in calls) == sorted(people)
        assert {c.reason for c in calls} == {CallReason.SESSION_CANCELLED}
    assert all(r.status == RegistrationStatus.CANCELLED for r in ward.registrations(session))
    assert ward.seats_taken(session) == 0


def test_codes_and_qr_tokens_are_unique_and_carry_no_personal_data(ward):
    session = ward.session(capacity=20)
    people = [ward.resident(phone="03-1234-5678") for _ in range(20)]
    regs = [ward.coordinator.registers(p, session).registration for p in people]
    codes = {r.code for r in regs}
    tokens = {r.qr_token for r in regs}
    assert len(codes) == len(tokens) == 20
    for r in regs:
        assert not set(r.code) & set("01OIL")
        assert "1234" not in r.qr_token and "5678" not in r.qr_token
        assert len(r.qr_token) >= 20
