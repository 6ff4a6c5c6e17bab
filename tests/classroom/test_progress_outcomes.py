"""What people learned, in the ward's fiscal-year report (issue 17): people who can do
something new, things learned per lesson, the share who completed their course, in the
figures, the JSON and the CSV; counted by hand on a small ward and on the demo ward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from classroom.models import AttendanceStatus, Course, ProgressRecord
from classroom.ops.demo import DEMO_ITEMS, load_demo
from classroom.services import attendance, sessions
from classroom.services.actor import Actor
from classroom.services.progress import item_id
from classroom.services.reports import fiscal_year_report, report_rows
from content import load_catalog
from languages import reset_language, set_language
from tests.classroom.ward import NOW

#: two lessons: camera (3 items), line (2 items)
LESSONS = {"camera": ["camera/a", "camera/b", "camera/c"], "line": ["line/a", "line/b"]}


def _held(ward, when: datetime, people: dict[int, AttendanceStatus], ticks: dict[int, list]):
    session = ward.session(starts_in=when - NOW, now=when - timedelta(days=30))
    with ward.database.write() as db:
        for person, status in people.items():
            attendance.mark_attendance(
                db, session_id=session, participant_id=person, status=status, actor=Actor.system()
            )
        for person, items in ticks.items():
            for item in items:
                db.add(
                    ProgressRecord(
                        participant_id=person, item_id=item, session_id=session, marked_at=when
                    )
                )
        sessions.mark_held(db, session, actor=Actor.system(), now=when + timedelta(hours=2))
    return session


@pytest.fixture
def in_english():
    token = set_language("en")
    yield
    reset_language(token)


def test_outcomes_counted_by_hand(ward, in_english):
    with ward.database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = ["camera", "line"]
    a, b, c, d = ward.residents(4)
    here, absent = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    # FY2025 (April 2025 to March 2026): two held classes of the course (2 lessons each)
    _held(
        ward,
        datetime(2025, 6, 2, 1, tzinfo=UTC),
        {a: here, b: here, c: absent},
        {a: ["camera/a", "camera/b", "camera/c", "line/a"], b: ["camera/a"]},
    )
    _held(
        ward,
        datetime(2025, 9, 2, 1, tzinfo=UTC),
        {a: here, d: here},
        {a: ["line/b"], d: ["line/a", "line/b"]},
    )
    # FY2024: a's earlier class does not count in FY2025
    _held(ward, datetime(2025, 3, 3, 1, tzinfo=UTC), {c: here}, {c: ["camera/a"]})
    with ward.database.read() as db:
        outcomes = fiscal_year_report(db, 2025, lesson_items=LESSONS).outcomes
        without_items = fiscal_year_report(db, 2025).outcomes
        rows = report_rows(fiscal_year_report(db, 2025, lesson_items=LESSONS))
    assert outcomes.people_gaining == 3  # a, b, d (c was absent)
    assert outcomes.items_gained == 8  # a 5, b 1, d 2
    assert outcomes.lessons_taught == 4  # two classes, two lessons each
    assert outcomes.items_per_lesson == 2.0
    assert [(g.key, g.items, g.people) for g in outcomes.by_lesson] == [
        ("camera", 4, 2),
        ("line", 4, 2),
    ]
    # a, b and d came; only a has shown all five items
    assert [(c.key, c.participants, c.completed) for c in outcomes.by_course] == [
        ("intro-iphone", 3, 1)
    ]
    assert outcomes.completion_share == pytest.approx(1 / 3, abs=1e-4)
    assert without_items.by_course == [] and without_items.completion_share is None
    assert without_items.items_gained == 8
    figures = {row[0]: row[1] for row in rows if len(row) == 2}
    assert figures["People who can do something new"] == 3
    assert figures["Things they can now do"] == 8
    assert figures["Things learned per lesson taught"] == 2.0
    assert figures["Share who completed their course"] == "33.3%"
    assert ["スマホ入門（iPhone）", 3, 1, "33.3%"] in rows
    assert ["camera", 4, 2] in rows


def test_the_demo_items_are_the_lessons_items():
    catalog = load_catalog()
    assert {
        lesson: tuple(can.id for can in catalog.lessons[lesson].can_do) for lesson in DEMO_ITEMS
    } == DEMO_ITEMS


def test_the_demo_ward_shows_believable_outcomes(database):
    """The demo's year 令和7 (FY2025), the same on both engines."""
    load_demo(database, now=datetime(2026, 12, 4, 1, tzinfo=UTC))
    lesson_items = {
        lesson_id: [item_id(lesson_id, can.id) for can in lesson.can_do]
        for lesson_id, lesson in load_catalog().lessons.items()
    }
    with database.read() as db:
        result = fiscal_year_report(db, 2025, lesson_items=lesson_items)
    outcomes = result.outcomes
    assert (result.sessions_held, result.attendances, result.participants) == (31, 174, 98)
    # nearly everyone who came learned something, about 19 things a lesson in a class
    # of about six, and about half of those in a course's classes finished it
    assert outcomes.people_gaining == 97
    assert outcomes.items_gained == 1761
    assert outcomes.lessons_taught == 93
    assert outcomes.items_per_lesson == 18.94
    assert (outcomes.completed, outcomes.participants_in_courses) == (76, 159)
    assert outcomes.completion_share == 0.478
    assert all(0.1 < c.share < 0.8 for c in outcomes.by_course)
    assert len(outcomes.by_lesson) == 12
    assert result.as_dict()["outcomes"]["people_gaining"] == 97
