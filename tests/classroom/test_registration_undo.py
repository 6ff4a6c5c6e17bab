"""Undoing a cancel (issue 16): back as it was, only when no one has taken its place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from classroom.models import AuditEvent, CallTask, Registration, RegistrationStatus, Role, User
from classroom.services import registration
from classroom.services.actor import Actor
from classroom.services.errors import UndoRefused
from tests.classroom.ward import NOW

LATER = NOW + timedelta(minutes=5)


def undoes(ward, registration_id: int, *, now=LATER, actor=None):
    with ward.database.write() as db:
        reg = registration.undo_cancel(
            db, registration_id, actor=actor or ward.coordinator.actor, now=now
        )
        return reg.status, reg.code, reg.waitlist_seq


def snapshot(ward, session_id: int):
    with ward.database.read() as db:
        rows = [
            (r.id, r.status, r.waitlist_seq, r.cancelled_at)
            for r in db.query(Registration)
            .filter_by(session_id=session_id)
            .order_by(Registration.id)
        ]
        return rows, ward.seats_taken(session_id), db.query(CallTask).count()


def refused(ward, registration_id: int, session_id: int, words: str, **kwargs) -> None:
    before = snapshot(ward, session_id)
    with pytest.raises(UndoRefused) as error:
        undoes(ward, registration_id, **kwargs)
    message = error.value.translate(lambda s: s)
    assert words in message and "register the person again" in message
    assert snapshot(ward, session_id) == before


def test_undo_gives_back_the_confirmed_seat_with_its_code_and_is_audited(ward):
    session = ward.session(capacity=2)
    a, b = ward.residents(2)
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.registers(b, session)
    ward.coordinator.cancels(seat.id)
    assert ward.seats_taken(session) == 1
    status, code, _seq = undoes(ward, seat.id)
    assert (status, code) == (RegistrationStatus.CONFIRMED, seat.code)
    assert ward.confirmed(session) == [a, b]
    assert ward.seats_taken(session) == 2
    with ward.database.read() as db:
        event = db.query(AuditEvent).filter_by(action="registration.undo_cancel").one()
        assert (event.subject_id, event.participant_id) == (seat.id, a)
        assert event.actor_id == ward.staff_id
        assert db.get(Registration, seat.id).cancelled_at is None


def test_undo_is_refused_when_the_cancel_promoted_someone(ward):
    session = ward.session(capacity=1)
    a, b = ward.residents(2)
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.registers(b, session)
    ward.coordinator.cancels(seat.id)
    refused(ward, seat.id, session, "the seat went to the next person on the waitlist")
    assert ward.confirmed(session) == [b]


def test_undo_is_refused_when_someone_booked_the_seat_since(ward):
    session = ward.session(capacity=1)
    a, b = ward.residents(2)
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.cancels(seat.id)
    ward.coordinator.registers(b, session, now=NOW + timedelta(minutes=1))
    refused(ward, seat.id, session, "someone else has booked the seat since")
    assert ward.confirmed(session) == [b]
    assert ward.seats_taken(session) == 1


def test_undo_gives_back_the_waitlist_place(ward):
    session = ward.session(capacity=1)
    a, b, c, d = ward.residents(4)
    ward.coordinator.registers(a, session)
    ward.coordinator.registers(b, session)
    waiting = ward.coordinator.registers(c, session).registration
    ward.coordinator.registers(d, session)
    assert ward.waitlist(session) == [(1, b), (2, c), (3, d)]
    ward.coordinator.cancels(waiting.id)
    assert ward.waitlist(session) == [(1, b), (2, d)]
    ward.coordinator.registers(ward.resident(), session)  # a newcomer queues behind
    status, code, _seq = undoes(ward, waiting.id)
    assert (status, code) == (RegistrationStatus.WAITLISTED, waiting.code)
    assert [p for _pos, p in ward.waitlist(session)][:3] == [b, c, d]
    assert ward.waitlist(session)[1] == (2, c)


def test_waitlist_undo_is_refused_when_someone_moved_up_since(ward):
    session = ward.session(capacity=1)
    a, b, c = ward.residents(3)
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.registers(b, session)
    waiting = ward.coordinator.registers(c, session).registration
    ward.coordinator.cancels(waiting.id)
    ward.coordinator.cancels(seat.id, now=NOW + timedelta(minutes=1))  # b moves up
    refused(ward, waiting.id, session, "the waitlist has moved since")


def test_undo_is_refused_when_the_person_registered_again(ward):
    session = ward.session(capacity=3)
    a = ward.resident()
    seat = ward.coordinator.registers(a, session).registration
    ward.coordinator.cancels(seat.id)
    ward.coordinator.registers(a, session)
    refused(ward, seat.id, session, "registered for the class again")


def test_undo_is_refused_after_the_window_and_for_what_is_not_cancelled(ward):
    session = ward.session(capacity=3)
    a, b = ward.residents(2)
    seat = ward.coordinator.registers(a, session).registration
    other = ward.coordinator.registers(b, session).registration
    ward.coordinator.cancels(seat.id)
    late = NOW + registration.UNDO_WINDOW + timedelta(seconds=1)
    refused(ward, seat.id, session, "more than 30 minutes ago", now=late)
    refused(ward, other.id, session, "it is not cancelled")


def test_only_the_office_may_undo(ward):
    session = ward.session(capacity=3)
    seat = ward.coordinator.registers(ward.resident(), session).registration
    ward.coordinator.cancels(seat.id)
    with ward.database.write() as db:
        teacher = User(login="teacher", role=Role.INSTRUCTOR)
        db.add(teacher)
        db.flush()
        teacher_id = teacher.id
    for actor in (Actor(kind="user", user_id=teacher_id), Actor.system()):
        refused(ward, seat.id, session, "only the office", actor=actor)


def test_a_lottery_application_comes_back_until_the_draw(ward):
    deadline = NOW + timedelta(days=2)
    session = ward.session(capacity=1, lottery_deadline=deadline)
    a = ward.resident()
    applied = ward.coordinator.registers(a, session).registration
    ward.coordinator.cancels(applied.id)
    assert undoes(ward, applied.id)[0] == RegistrationStatus.APPLIED
    ward.coordinator.cancels(applied.id, now=LATER)
    ward.coordinator.draws(session, now=deadline)
    refused(ward, applied.id, session, "drawn since", now=LATER + timedelta(minutes=1))


def test_undo_is_refused_once_the_class_is_cancelled(ward):
    from classroom.services import sessions

    session = ward.session(capacity=3)
    seat = ward.coordinator.registers(ward.resident(), session).registration
    ward.coordinator.cancels(seat.id)
    with ward.database.write() as db:
        sessions.cancel_session(db, session, actor=ward.coordinator.actor, now=NOW)
    refused(ward, seat.id, session, "cancelled")
