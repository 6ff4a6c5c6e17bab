"""A coordinator draws a lottery: the applications, the seed and the result, only once."""

from __future__ import annotations

import re
from datetime import timedelta

from classroom.models import (
    CallReason,
    CallTask,
    LotteryDraw,
    Registration,
    RegistrationStatus,
    Source,
    utcnow,
)
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor


def lottery_session(database, ward, *, deadline, capacity=2, applicants=3):
    """A lottery class two days ahead with `applicants` applications made before `deadline`."""
    now = utcnow()
    with database.write() as db:
        session_id = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=1),
            capacity=capacity,
            booking_mode="lottery",
            application_deadline=deadline,
            actor=Actor.system(),
        ).id
        for n in range(applicants):
            person = residents.create_participant(
                db,
                reading=f"ちゅうせん {'あいうえお'[n]}",
                phone=f"090-2000-000{n}",
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
                now=deadline - timedelta(days=1),
            )
    return session_id


def test_before_the_deadline_the_applications_are_listed_and_the_draw_is_disabled(
    coordinator, database, ward
):
    deadline = utcnow() + timedelta(days=1)
    session_id = lottery_session(database, ward, deadline=deadline)
    html = coordinator.get(f"/office/sessions/{session_id}/lottery").get_data(as_text=True)
    assert "3 applications" in html
    assert "ちゅうせん あ" in html and "090-2000-0001" in html
    assert re.search(
        r'<button type="submit" class="button primary" disabled[^>]*>Draw the lottery', html
    )
    assert "Applications are open until" in html

    response = coordinator.post(
        f"/office/sessions/{session_id}/lottery/draw", follow_redirects=True
    )
    flashed = response.get_data(as_text=True)
    assert "draw after that" in flashed and "+00:00" not in flashed  # Tokyo time, not ISO
    with database.read() as db:
        assert db.query(LotteryDraw).count() == 0


def test_the_draw_shows_the_seed_winners_and_waitlist_and_cannot_be_repeated(
    coordinator, database, ward
):
    session_id = lottery_session(database, ward, deadline=utcnow() - timedelta(hours=1))
    page = coordinator.get(f"/office/sessions/{session_id}/lottery").get_data(as_text=True)
    assert re.search(r'<button type="submit" class="button primary" aria-describedby', page)

    html = coordinator.post(
        f"/office/sessions/{session_id}/lottery/draw", follow_redirects=True
    ).get_data(as_text=True)
    with database.read() as db:
        draw = db.query(LotteryDraw).one()
        regs = {r.id: r for r in db.query(Registration).filter_by(session_id=session_id)}
        calls = db.query(CallTask).filter_by(session_id=session_id).all()
    assert f"The lottery was drawn (seed {draw.seed})" in html
    assert f"with the seed {draw.seed}" in html
    assert "2 winners" in html and "Waitlist: 1 person" in html
    winners = [regs[i] for i in draw.drawn_order[:2]]
    assert all(r.status == RegistrationStatus.CONFIRMED for r in winners)
    assert regs[draw.drawn_order[2]].status == RegistrationStatus.WAITLISTED
    # the page lists them in drawn order
    names = [regs[i].participant_id for i in draw.drawn_order]
    with database.read() as db:
        from classroom.models import Participant

        readings = [db.get(Participant, p).reading for p in names]
    positions = [html.index(r) for r in readings]
    assert positions == sorted(positions)
    assert sorted(c.reason for c in calls) == sorted(
        [CallReason.LOTTERY_WON, CallReason.LOTTERY_WON, CallReason.LOTTERY_WAITLISTED]
    )

    again = coordinator.post(
        f"/office/sessions/{session_id}/lottery/draw", follow_redirects=True
    ).get_data(as_text=True)
    assert f"The lottery for this class was already drawn (seed {draw.seed})." in again
    with database.read() as db:
        assert db.query(LotteryDraw).count() == 1


def test_a_first_come_class_has_no_lottery_page(coordinator, ward):
    response = coordinator.get(f"/office/sessions/{ward.session_id}/lottery", follow_redirects=True)
    assert "there is nothing to draw" in response.get_data(as_text=True)
