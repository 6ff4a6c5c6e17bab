"""The lesson plan of a session: the course's lessons, the variants its phones need, checklists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from markupsafe import escape

from classroom.models import Course, Device, Source, utcnow
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor

IPHONE_VARIANT = "Press and hold the side button until the Apple logo appears."
ANDROID_VARIANT = "Press and hold the power button until the maker's logo appears."
SENIOR_VARIANT = "Press and hold the power button until the screen lights up."


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


@pytest.fixture
def planned_class(database, ward, staff):
    """Three people (iPhone, Android, no phone) in a class that teaches intro-01-power
    (its course also names a lesson the content lacks)."""
    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = ["intro-01-power", "no-such-lesson"]
        starts = utcnow() + timedelta(hours=2)
        session_id = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=5,
            instructor_ids=[staff.instructor],
            actor=Actor.system(),
        ).id
        for reading, device in (
            ("サトウ イチロウ", Device.ANDROID),
            ("タナカ ジロウ", Device.NONE),
        ):
            person = residents.create_participant(
                db,
                reading=reading,
                device=device,
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
            )
        db.get(type(person), ward.resident_id).device = Device.IPHONE
        registration.register(
            db,
            session_id=session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    return session_id


def test_the_plan_shows_the_variants_for_the_phones_in_the_class(instructor, planned_class):
    html = instructor.get(f"/teach/sessions/{planned_class}/plan").get_data(as_text=True)
    assert "Power and buttons" in html
    assert "Press and hold the power button to turn the phone on." in html
    iphone = html.index(IPHONE_VARIANT)
    assert "山田 花子" in html[iphone - 200 : iphone]  # the variant says whose phone it is
    android = html.index(str(escape(ANDROID_VARIANT)))
    assert "サトウ イチロウ" in html[android - 200 : android]
    # nobody in this class has a senior phone: its wording would only be noise
    assert SENIOR_VARIANT not in html


def test_the_plan_has_an_i_can_checklist_for_each_participant(instructor, planned_class):
    html = instructor.get(f"/teach/sessions/{planned_class}/plan").get_data(as_text=True)
    assert html.count("I can turn the phone off") == 3
    for name in ("山田 花子", "サトウ イチロウ", "タナカ ジロウ"):
        assert f"<h4>{name} " in html
    assert html.count('type="checkbox"') == 3 * 5


def test_the_plan_never_shows_phone_numbers(instructor, planned_class):
    html = instructor.get(f"/teach/sessions/{planned_class}/plan").get_data(as_text=True)
    assert "090-1234-5678" not in html


def test_a_lesson_missing_from_the_content_is_named_not_a_crash(instructor, planned_class):
    response = instructor.get(f"/teach/sessions/{planned_class}/plan")
    assert response.status_code == 200
    assert 'The lesson "no-such-lesson" is not in the content' in response.get_data(as_text=True)


def test_the_plan_links_to_the_handouts_for_each_phone(instructor, planned_class):
    html = instructor.get(f"/teach/sessions/{planned_class}/plan").get_data(as_text=True)
    assert "/handouts/lessons/intro-01-power?device=iphone" in html
    assert "/handouts/lessons/intro-01-power?furigana=1" in html


def test_the_plan_is_in_japanese_for_a_japanese_speaking_instructor(
    instructor, database, staff, planned_class
):
    from classroom.models import User

    with database.write() as db:
        db.get(User, staff.instructor).language = "ja"
    html = instructor.get(f"/teach/sessions/{planned_class}/plan").get_data(as_text=True)
    assert "サイドボタンを、リンゴのマークが出るまで長押しします。" in html
