"""The short booking path (issue 21) writes the registration in one INSERT whose values
are listed in classroom.services.registration; a column whose default Python computes
must be among them, or PostgreSQL's statement (a CTE, no Python-side defaults) leaves it
empty — this catches a column added later without it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, ClassSession, Registration
from classroom.services import registration
from classroom.services.errors import AlreadyRegistered


def test_every_column_with_a_computed_default_is_written_by_the_short_booking():
    computed = {
        c.name
        for c in Registration.__table__.c
        if c.default is not None and not c.default.is_scalar
    }
    assert computed <= set(registration._INSERT_COLUMNS), computed - set(
        registration._INSERT_COLUMNS
    )


def test_a_refused_waitlist_booking_gives_its_number_back_and_each_booking_leaves_its_trail(
    ward,
):
    """The short way takes the place first and the registration after it (on PostgreSQL
    in one statement): a booking a unique rule refuses (the same person again) leaves the
    class's counters as they were, and each booking made is audited with the place it
    took."""
    session = ward.session(capacity=1)
    a, b, c = ward.residents(3)
    ward.coordinator.registers(a, session)
    assert ward.coordinator.registers(b, session).position == 1
    with ward.database.read() as db:
        counters = db.execute(
            select(ClassSession.seats_taken, ClassSession.waitlist_seq).where(
                ClassSession.id == session
            )
        ).one()
    with pytest.raises(AlreadyRegistered):
        ward.coordinator.registers(b, session)
    with pytest.raises(AlreadyRegistered):
        ward.coordinator.registers(a, session)
    with ward.database.read() as db:
        assert (
            db.execute(
                select(ClassSession.seats_taken, ClassSession.waitlist_seq).where(
                    ClassSession.id == session
                )
            ).one()
            == counters
        )
    assert ward.coordinator.registers(c, session).position == 2
    assert ward.waitlist(session) == [(1, b), (2, c)]
    with ward.database.read() as db:
        trail = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "registration.create")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.participant_id, e.details) for e in trail] == [
            (a, {"session_id": session, "status": "confirmed"}),
            (b, {"session_id": session, "status": "waitlisted"}),
            (c, {"session_id": session, "status": "waitlisted"}),
        ]
        assert all(e.subject_type == "registration" and e.subject_id for e in trail)
