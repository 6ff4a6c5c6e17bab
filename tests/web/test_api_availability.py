"""/api/v1/sessions sends each class's availability, computed by the server at the moment
asked (classroom.services.availability); a kiosk books only what it says is bookable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from classroom.models import Course, CourseKind, DeviceTrack, Venue, VenueKind, utcnow
from classroom.services import sessions
from classroom.services.actor import Actor
from tests.conftest import TOKYO_NEXT_DAY
from tests.web.conftest import build_app
from tests.web.test_api import KioskClient, add_kiosk


@pytest.fixture
def api_app(database, tmp_path):
    return build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )


@pytest.fixture
def classes(database, frozen_clock):
    """At TOKYO_NEXT_DAY: a lottery closing in 2 h, a class in 3 h with 1 seat, a full one."""
    frozen_clock(TOKYO_NEXT_DAY)
    now = utcnow()
    with database.write() as db:
        course = Course(
            code="intro-any",
            title="スマホ入門",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.ANY,
            title_translations={},
            lesson_ids=[],
        )
        venue = Venue(
            name="中央図書館",
            kind=VenueKind.LIBRARY,
            capacity=20,
            name_translations={},
            access="駅から徒歩5分",
            loaner_phones=2,
        )
        db.add_all([course, venue])
        db.flush()

        def make(starts, capacity=5, deadline=None):
            return sessions.create_session(
                db,
                course_id=course.id,
                venue_id=venue.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                capacity=capacity,
                actor=Actor.system(),
                booking_mode="lottery" if deadline else "first_come",
                application_deadline=deadline,
            ).id

        return {
            "lottery": make(now + timedelta(days=2), deadline=now + timedelta(hours=2)),
            "soon": make(now + timedelta(hours=3), capacity=1),
        }


def availability_of(kiosk) -> dict:
    return {s["id"]: s["availability"] for s in kiosk.get("/api/v1/sessions").json["sessions"]}


def test_a_lottery_open_then_closed_a_minute_after_its_deadline(
    api_app, database, classes, frozen_clock
):
    kiosk = KioskClient(api_app, add_kiosk(database))
    found = availability_of(kiosk)
    deadline = (TOKYO_NEXT_DAY + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert found[classes["lottery"]] == {
        "state": "lottery",
        "bookable": True,
        "reason": None,
        "deadline": deadline,
    }
    assert found[classes["soon"]] == {
        "state": "open",
        "bookable": True,
        "reason": None,
        "deadline": None,
    }
    frozen_clock(TOKYO_NEXT_DAY + timedelta(hours=2, minutes=1))
    found = availability_of(kiosk)
    assert found[classes["lottery"]]["state"] == "closed"
    assert found[classes["lottery"]]["reason"] == "deadline_passed"
    assert found[classes["lottery"]]["bookable"] is False
    # and the server refuses it, as the availability said
    response = kiosk.books(classes["lottery"])
    assert response.status_code == 409 and response.json["error"] == "lottery_closed"


def test_full_means_the_waiting_list_and_a_started_class_is_not_listed(
    api_app, database, classes, frozen_clock
):
    kiosk = KioskClient(api_app, add_kiosk(database))
    assert kiosk.books(classes["soon"]).json["status"] == "confirmed"
    found = availability_of(kiosk)[classes["soon"]]
    assert (found["state"], found["bookable"]) == ("waitlist", True)
    frozen_clock(TOKYO_NEXT_DAY + timedelta(hours=3, minutes=1))
    assert classes["soon"] not in availability_of(kiosk)
    response = kiosk.books(classes["soon"])
    assert response.status_code == 409 and response.json["error"] == "session_not_open"


def test_the_session_json_says_where_and_how_to_get_there(api_app, database, classes):
    kiosk = KioskClient(api_app, add_kiosk(database))
    found = {s["id"]: s for s in kiosk.get("/api/v1/sessions").json["sessions"]}
    soon = found[classes["soon"]]
    assert soon["venue"]["access"] == "駅から徒歩5分" and soon["venue"]["lends_phones"] is True
    assert soon["public_path"] == f"/classes/{classes['soon']}"
    assert api_app.test_client().get(soon["public_path"]).status_code == 200
