"""Editing a class after scheduling it (issue 16): the rules that hold on its seats,
its registrants, its lottery and a second edit from the same old form."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from classroom.models import (
    AuditEvent,
    CallReason,
    CallTask,
    ClassSession,
    Registration,
    Role,
    SessionState,
    User,
    Venue,
    VenueKind,
)
from classroom.services import calls, registration, sessions
from classroom.services.errors import DomainError, InvalidInput
from classroom.services.sessions import StaleEdit
from tests.classroom.ward import NOW


def fields(ward, session_id: int) -> dict:
    """The class's fields as an edit form shows them, and its version."""
    with ward.database.read() as db:
        s = db.get(ClassSession, session_id)
        return {
            "version": s.version,
            "venue_id": s.venue_id,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "capacity": s.capacity,
            "instructor_ids": [u.id for u in s.instructors],
            "application_deadline": s.application_deadline,
            "note": s.note,
        }


def edits(ward, session_id: int, *, now: datetime = NOW, form: dict | None = None, **changes):
    values = {**(form or fields(ward, session_id)), **changes}
    with ward.database.write() as db:
        return sessions.edit_session(
            db, session_id, actor=ward.coordinator.actor, now=now, **values
        )


def snapshot(ward, session_id: int):
    with ward.database.read() as db:
        s = db.get(ClassSession, session_id)
        return (
            (s.starts_at, s.ends_at, s.venue_id, s.capacity, s.seats_taken, s.version, s.note),
            [(r.id, r.status, r.waitlist_seq) for r in db.query(Registration).order_by("id")],
            db.query(CallTask).count(),
            db.query(AuditEvent).filter_by(action="session.edit").count(),
        )


def message_of(error: pytest.ExceptionInfo, field: str) -> str:
    assert isinstance(error.value, InvalidInput), error.value
    return error.value.errors[field].translate(lambda s: s)


def full_class(ward, capacity: int, waitlisted: int) -> tuple[int, list[int], list[int]]:
    session = ward.session(capacity=capacity)
    people = ward.residents(capacity + waitlisted)
    for person in people:
        ward.coordinator.registers(person, session)
    return session, people[:capacity], people[capacity:]


def test_an_edit_changes_the_class_and_the_audit_says_before_and_after(ward):
    session = ward.session(capacity=10)
    with ward.database.write() as db:
        teacher = User(login="tanaka", display_name="田中", role=Role.INSTRUCTOR)
        db.add(teacher)
        db.flush()
        teacher_id = teacher.id
    starts = fields(ward, session)["starts_at"]
    result = edits(
        ward,
        session,
        ends_at=starts + timedelta(hours=2),
        capacity=12,
        instructor_ids=[teacher_id],
        note="3階の会議室",
    )
    assert result.changes == {
        "ends_at": "11:30 → 12:00",
        "capacity": "10 → 12",
        "instructors": " → 田中",
        "note": " → 3階の会議室",
    }
    after = fields(ward, session)
    assert (after["capacity"], after["instructor_ids"], after["note"]) == (
        12,
        [teacher_id],
        "3階の会議室",
    )
    assert after["version"] == 1
    with ward.database.read() as db:
        event = db.query(AuditEvent).filter_by(action="session.edit").one()
        assert (event.subject_id, event.actor_id) == (session, ward.staff_id)
        assert event.details["changes"]["capacity"] == "10 → 12"
        # not a move: nobody is called
        assert db.query(CallTask).count() == 0


def test_an_edit_that_changes_nothing_is_not_recorded(ward):
    session = ward.session()
    assert edits(ward, session).changes == {}
    assert fields(ward, session)["version"] == 0
    with ward.database.read() as db:
        assert db.query(AuditEvent).filter_by(action="session.edit").count() == 0


def test_capacity_below_the_confirmed_seats_is_refused_with_the_number_and_nothing_changes(ward):
    session, _seated, _waiting = full_class(ward, capacity=3, waitlisted=1)
    before = snapshot(ward, session)
    with pytest.raises(InvalidInput) as error:
        edits(ward, session, capacity=2, note="変更")
    message = message_of(error, "capacity")
    assert "Seats already confirmed: 3" in message
    assert snapshot(ward, session) == before


def test_a_capacity_equal_to_the_confirmed_seats_is_fine(ward):
    session = ward.session(capacity=5)
    for person in ward.residents(3):
        ward.coordinator.registers(person, session)
    edits(ward, session, capacity=3)
    assert fields(ward, session)["capacity"] == 3


def test_raising_the_capacity_promotes_the_waitlist_in_order_onto_the_call_list(ward):
    session, seated, waiting = full_class(ward, capacity=2, waitlisted=4)
    result = edits(ward, session, capacity=5)
    assert [r.participant_id for r in result.promoted] == waiting[:3]
    assert ward.confirmed(session) == seated + waiting[:3]
    assert ward.waitlist(session) == [(1, waiting[3])]
    assert ward.seats_taken(session) == 5
    with ward.database.read() as db:
        calls = db.query(CallTask).order_by(CallTask.id).all()
        assert [(c.participant_id, c.reason) for c in calls] == [
            (p, CallReason.PROMOTED) for p in waiting[:3]
        ]
        event = db.query(AuditEvent).filter_by(action="session.edit").one()
        assert event.details["promoted_registration_ids"] == [r.id for r in result.promoted]


def test_moving_the_class_puts_every_registrant_on_the_call_list_with_the_reason(ward):
    session, seated, waiting = full_class(ward, capacity=2, waitlisted=1)
    cancelled = ward.resident()
    ward.coordinator.cancels(ward.coordinator.registers(cancelled, session).registration.id)
    starts = fields(ward, session)["starts_at"] + timedelta(days=1, hours=4)
    result = edits(ward, session, starts_at=starts, ends_at=starts + timedelta(hours=1))
    assert result.changes["starts_at"] == "2026-12-03 10:00 → 2026-12-04 14:00"
    with ward.database.read() as db:
        calls = db.query(CallTask).filter_by(reason=CallReason.SESSION_MOVED).all()
        assert sorted(c.participant_id for c in calls) == sorted(seated + waiting)
        assert {c.note for c in calls} == {"2026-12-03 10:00 → 2026-12-04 14:00"}
    assert CallReason.SESSION_MOVED.label == "Class moved"
    # moved again before anyone was called: still one call each
    edits(ward, session, starts_at=starts + timedelta(hours=1), ends_at=starts + timedelta(hours=2))
    with ward.database.read() as db:
        assert db.query(CallTask).filter_by(reason=CallReason.SESSION_MOVED).count() == 3


def test_a_new_venue_moves_the_class_too_and_must_hold_its_seats(ward):
    session = ward.session(capacity=10)
    seated = ward.residents(2)
    for person in seated:
        ward.coordinator.registers(person, session)
    with ward.database.write() as db:
        small = Venue(
            name="東公民館", kind=VenueKind.COMMUNITY_CENTRE, capacity=4, name_translations={}
        )
        db.add(small)
        db.flush()
        small_id = small.id
    with pytest.raises(InvalidInput) as error:
        edits(ward, session, venue_id=small_id)  # 10 seats in a room of 4
    assert "larger than the room holds (4)" in message_of(error, "capacity")
    result = edits(ward, session, venue_id=small_id, capacity=4)
    assert result.changes["venue"] == "中央図書館 → 東公民館"
    assert sorted(c.participant_id for c in result.moved_calls) == sorted(seated)


def test_the_scheduling_rules_of_a_new_class_hold(ward):
    session = ward.session()
    starts = fields(ward, session)["starts_at"]
    before = snapshot(ward, session)
    with pytest.raises(InvalidInput) as error:
        edits(ward, session, starts_at=datetime(2031, 1, 1, tzinfo=starts.tzinfo))
    assert "A class can be scheduled from 2025-04-01 to 2029-03-31" in message_of(error, "date")
    with pytest.raises(InvalidInput) as error:
        edits(ward, session, ends_at=starts, capacity=0)
    assert "must end after it starts" in message_of(error, "ends_at")
    assert "at least 1" in message_of(error, "capacity")
    assert snapshot(ward, session) == before


def lottery(ward, *, deadline_in: timedelta, applicants: int = 3, capacity: int = 2):
    session = ward.session(capacity=capacity, lottery_deadline=NOW + deadline_in)
    people = ward.residents(applicants)
    for person in people:
        ward.coordinator.registers(person, session)
    return session, people


def test_an_open_lottery_can_get_a_later_deadline(ward):
    session, _ = lottery(ward, deadline_in=timedelta(days=2))
    later = NOW + timedelta(days=3)
    edits(ward, session, application_deadline=later)
    assert fields(ward, session)["application_deadline"] == later


def test_a_lottery_past_its_deadline_cannot_open_again(ward):
    session, _ = lottery(ward, deadline_in=timedelta(days=2))
    after_deadline = NOW + timedelta(days=2, hours=1)
    before = snapshot(ward, session)
    with pytest.raises(InvalidInput) as error:
        edits(ward, session, now=after_deadline, application_deadline=NOW + timedelta(days=4))
    message = message_of(error, "application_deadline")
    assert "Applications closed on" in message and "open the lottery again" in message
    assert snapshot(ward, session) == before
    # an earlier deadline (closing it sooner) is no reopening
    edits(ward, session, now=after_deadline, application_deadline=NOW + timedelta(days=1))


def test_a_drawn_lottery_cannot_get_a_later_deadline_and_keeps_its_drawn_result(ward):
    session, people = lottery(ward, deadline_in=timedelta(days=2), applicants=4, capacity=2)
    after_deadline = NOW + timedelta(days=2, hours=1)
    ward.coordinator.draws(session, seed="abc", now=after_deadline)
    with pytest.raises(InvalidInput) as error:
        edits(ward, session, now=after_deadline, application_deadline=NOW + timedelta(days=5))
    assert "already drawn" in message_of(error, "application_deadline")
    with ward.database.read() as db:
        drawn = registration.lottery_result(db, session)
    # one more seat: the first waitlisted moves up; the draw's result stays as drawn
    result = edits(ward, session, now=after_deadline, capacity=3)
    assert [r.id for r in result.promoted] == drawn.waitlist[:1]
    with ward.database.read() as db:
        again = registration.lottery_result(db, session)
        assert (again.winners, again.waitlist) == (drawn.winners, drawn.waitlist)
    assert len(ward.confirmed(session)) == 3 and len(people) == 4


@pytest.mark.parametrize("state", [SessionState.CANCELLED, SessionState.HELD])
def test_a_cancelled_or_held_class_cannot_be_edited(ward, state):
    session = ward.session()
    form = fields(ward, session)
    with ward.database.write() as db:
        if state == SessionState.CANCELLED:
            sessions.cancel_session(db, session, actor=ward.coordinator.actor, now=NOW)
        else:
            sessions.mark_held(db, session, actor=ward.coordinator.actor, now=NOW)
    before = snapshot(ward, session)
    with pytest.raises(DomainError) as error:
        edits(ward, session, form=form, note="変更")
    assert f"This class was {state.value}; it cannot be edited." == error.value.translate(
        lambda s: s
    )
    assert snapshot(ward, session) == before


def test_the_second_of_two_edits_from_the_same_old_form_is_refused(ward):
    session = ward.session(capacity=10)
    old_form = fields(ward, session)
    edits(ward, session, form=old_form, capacity=12)
    before = snapshot(ward, session)
    with pytest.raises(StaleEdit) as error:
        edits(ward, session, form=old_form, note="もう一人の変更")
    assert "Someone else changed this class" in error.value.translate(lambda s: s)
    assert snapshot(ward, session) == before
    # from a form made after the first edit, it goes through
    edits(ward, session, note="もう一人の変更")
    assert fields(ward, session)["version"] == 2


def test_a_reminder_for_the_old_day_goes_and_comes_back_for_the_new_day(ward):
    session = ward.session(starts_in=timedelta(days=1))  # tomorrow in Tokyo
    person = ward.resident()
    ward.coordinator.registers(person, session)
    with ward.database.write() as db:
        assert len(calls.tomorrows_reminders(db, NOW)) == 1
    starts = fields(ward, session)["starts_at"] + timedelta(days=2)
    edits(ward, session, starts_at=starts, ends_at=starts + timedelta(hours=1))
    with ward.database.write() as db:
        open_now = [(c.participant_id, c.reason) for c in calls.open_calls(db, NOW)]
        assert open_now == [(person, CallReason.SESSION_MOVED)]
        # the day before the new day, the reminder is made again
        again = calls.tomorrows_reminders(db, NOW + timedelta(days=2))
        assert [(c.participant_id, c.reason) for c in again] == [(person, CallReason.REMINDER)]


def test_two_edits_at_the_same_instant_from_the_same_form_one_wins(engine_name, tmp_path, request):
    """Real threads, their own connections: the class's row lock makes the second edit see
    the first's version, and it is refused; the seats stay counted right."""
    from tests.classroom.test_concurrency import _run_at_once, _separate_connections
    from tests.classroom.ward import WardBuilder

    ward = WardBuilder(_separate_connections(engine_name, tmp_path, request))
    session, _seated, waiting = full_class(ward, capacity=2, waitlisted=3)
    old_form = fields(ward, session)
    outcomes: list[str] = []

    def work(i: int) -> None:
        try:
            edits(ward, session, form=old_form, capacity=3 + i, note=f"edit {i}")
        except StaleEdit:
            outcomes.append("stale")
        else:
            outcomes.append(f"saved {i}")

    assert _run_at_once(work, 2) == []
    assert sorted(outcomes)[-1] == "stale" and len(outcomes) == 2
    winner = int(next(o for o in outcomes if o.startswith("saved")).split()[1])
    after = fields(ward, session)
    assert (after["capacity"], after["note"], after["version"]) == (3 + winner, f"edit {winner}", 1)
    assert ward.seats_taken(session) == 3 + winner
    assert [p for _pos, p in ward.waitlist(session)] == waiting[1 + winner :]
