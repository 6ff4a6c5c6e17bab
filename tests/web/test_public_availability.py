"""The public class page says what the kiosk API says: one availability rule
(classroom.services.availability), at the lottery's edges."""

from __future__ import annotations

from datetime import timedelta

from classroom.models import Source, utcnow
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor
from tests.conftest import TOKYO_SAME_DAY


def lottery(database, ward, deadline_in: timedelta, capacity: int = 3) -> int:
    with database.write() as db:
        starts = utcnow() + timedelta(days=10)
        return sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=capacity,
            booking_mode="lottery",
            application_deadline=utcnow() + deadline_in,
            actor=Actor.system(),
        ).id


def test_a_lottery_page_closes_at_the_deadline_and_reopens_for_late_bookings_after_the_draw(
    app, database, ward, frozen_clock
):
    frozen_clock(TOKYO_SAME_DAY)
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    session_id = lottery(database, ward, timedelta(hours=1))
    page = visitor.get(f"/classes/{session_id}").get_data(as_text=True)
    assert "seats--lottery" in page
    frozen_clock(TOKYO_SAME_DAY + timedelta(hours=1, minutes=1))
    page = visitor.get(f"/classes/{session_id}").get_data(as_text=True)
    assert "seats--closed" in page
    with database.write() as db:
        registration.draw_lottery(db, session_id, actor=Actor.system(), seed="s")
    # after the draw a late booking takes a free seat (registration.register): open again
    page = visitor.get(f"/classes/{session_id}").get_data(as_text=True)
    assert "seats--open" in page and "seats--closed" not in page
    with database.write() as db:
        resident = residents.create_participant(
            db,
            family_name="山田",
            given_name="花子",
            reading="ヤマダ ハナコ",
            phone="090-1234-5678",
            birth_year=1948,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id
        booked = registration.register(
            db,
            session_id=session_id,
            participant_id=resident,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    assert booked.status.value == "confirmed"
