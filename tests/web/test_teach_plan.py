"""The lesson plan of a session: the course's lessons, the variants its phones need, checklists."""

from __future__ import annotations

import re
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


def _class_of(database, ward, staff, lesson_ids, minutes=90):
    """A class at 11:00 (the ward's clock says 10:00) teaching `lesson_ids`."""
    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = lesson_ids
        starts = utcnow() + timedelta(hours=1)
        return sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            capacity=5,
            instructor_ids=[staff.instructor],
            actor=Actor.system(),
        ).id


def timetable_rows(html: str) -> list[tuple[str, str, str]]:
    table = re.search(r'<table class="timetable".*?</table>', html, re.S).group(0)
    return [
        tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in row)
        for row in re.findall(
            r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>", table, re.S
        )
    ]


def test_the_plan_times_a_90_minute_class_from_the_lessons_durations(
    instructor, database, ward, staff
):
    session_id = _class_of(database, ward, staff, ["intro-01-power"])
    html = instructor.get(f"/teach/sessions/{session_id}/plan").get_data(as_text=True)
    rows = timetable_rows(html)
    assert [(time, minutes) for time, _what, minutes in rows] == [
        ("11:00–11:10", "10"),
        ("11:10–12:20", "70"),
        ("12:20–12:30", "10"),
    ]
    assert "Power and buttons" in rows[1][1] or "電源" in rows[1][1]
    assert sum(int(m) for _t, _w, m in rows) == 90
    assert "shortened in proportion" not in html


def test_lessons_that_do_not_fit_the_class_are_shortened_and_the_plan_says_so(
    instructor, database, ward, staff
):
    session_id = _class_of(database, ward, staff, ["intro-01-power", "intro-02-touch"])
    html = instructor.get(f"/teach/sessions/{session_id}/plan").get_data(as_text=True)
    rows = timetable_rows(html)
    assert [m for _t, _w, m in rows] == ["10", "35", "35", "10"]
    assert rows[-1][0] == "12:20–12:30"
    assert "These lessons need 140 minutes of teaching, but this class has 70." in html


def test_a_short_lesson_leaves_time_for_practice(instructor, database, ward, staff):
    session_id = _class_of(database, ward, staff, ["scam-protection"])  # 60 minutes
    rows = timetable_rows(
        instructor.get(f"/teach/sessions/{session_id}/plan").get_data(as_text=True)
    )
    assert [m for _t, _w, m in rows] == ["10", "40", "30", "10"]
    assert "Practice and questions" in rows[2][1]


def test_an_instructor_suggests_a_change_to_a_lesson_from_the_plan(instructor, planned_class, app):
    """Issue 18: the plan links each lesson to the editor, where an instructor may only
    propose a change (an editor reviews it)."""
    from web.content_source import source

    source(app).seed()
    html = instructor.get(f"/teach/sessions/{planned_class}/plan").get_data(as_text=True)
    assert 'href="/editor/lesson/intro-01-power/edit"' in html
    assert "Suggest a change to this lesson" in html
    form = instructor.get("/editor/lesson/intro-01-power/edit").get_data(as_text=True)
    assert "Propose this change" in form and "Save draft" not in form
