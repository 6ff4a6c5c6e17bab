"""The next class to suggest (issue 17): upcoming classes with a seat (or open
applications) whose course teaches what the resident has not shown yet, best first."""

from __future__ import annotations

from datetime import timedelta

from classroom.models import ClassSession, Course, CourseKind, DeviceTrack
from classroom.services import next_class, progress, sessions
from classroom.services.actor import Actor
from tests.classroom.ward import NOW

#: lesson id -> its items, as web/handouts/content.py reads them from content
LESSONS = {
    "camera": ["camera/open", "camera/qr"],
    "line": ["line/send", "line/photo", "line/call"],
    "maps": ["maps/search"],
}


def _course(ward, code, lessons, track=DeviceTrack.ANY) -> int:
    with ward.database.write() as db:
        course = Course(
            code=code,
            title=code,
            kind=CourseKind.ONE_POINT,
            device_track=track,
            title_translations={},
            lesson_ids=lessons,
        )
        db.add(course)
        db.flush()
        return course.id


def _class(ward, course_id, days=7, capacity=10) -> int:
    starts = NOW + timedelta(days=days)
    with ward.database.write() as db:
        return sessions.create_session(
            db,
            course_id=course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=capacity,
            actor=Actor.system(),
            now=NOW - timedelta(days=30),
        ).id


def _suggested(ward, pid, now=NOW) -> list[tuple[str, int, tuple[str, ...], bool]]:
    with ward.database.read() as db:
        found = next_class.next_classes(db, pid, LESSONS, now=now, limit=5)
        return [
            (db.get(ClassSession, s.session.id).course.code, s.session.id, s.items_left, s.started)
            for s in found
        ]


def _shown(ward, pid, course_id, items):
    """The resident came to a held class of the course and showed these items in it."""
    held = _class(ward, course_id, days=-14)
    ward.coordinator.registers(pid, held, now=NOW - timedelta(days=20))
    with ward.database.write() as db:
        for item in items:
            progress.tick(
                db,
                session_id=held,
                participant_id=pid,
                item_id=item,
                actor=ward.coordinator.actor,
                now=NOW - timedelta(days=14),
            )
    return held


def test_a_class_begun_comes_first_then_the_one_that_teaches_most(ward):
    camera, line, maps = (
        _course(ward, "camera", ["camera"]),
        _course(ward, "line", ["line"]),
        _course(ward, "maps", ["maps"]),
    )
    pid = ward.resident()
    _shown(ward, pid, camera, ["camera/open"])
    later_camera, soon_camera = _class(ward, camera, days=20), _class(ward, camera, days=9)
    line_class, maps_class = _class(ward, line, days=12), _class(ward, maps, days=3)
    assert _suggested(ward, pid) == [
        # the course they began, its soonest class, with what is left of it
        ("camera", soon_camera, ("camera/qr",), True),
        ("line", line_class, ("line/send", "line/photo", "line/call"), False),
        ("maps", maps_class, ("maps/search",), False),
    ]
    assert later_camera not in [s[1] for s in _suggested(ward, pid)]


def test_past_full_cancelled_and_booked_classes_are_not_suggested(ward):
    line, maps, camera = (
        _course(ward, "line", ["line"]),
        _course(ward, "maps", ["maps"]),
        _course(ward, "camera", ["camera"]),
    )
    pid, other = ward.resident(), ward.resident()
    line_tomorrow = _class(ward, line, days=1)
    full = _class(ward, maps, days=5, capacity=1)
    ward.coordinator.registers(other, full)
    cancelled = _class(ward, camera, days=4)
    with ward.database.write() as db:
        sessions.cancel_session(db, cancelled, actor=Actor.system(), now=NOW)
    booked = _class(ward, camera, days=6)
    ward.coordinator.registers(pid, booked)
    camera_later = _class(ward, camera, days=30)  # a course they hold a seat in already
    # a day and a minute later, the line class has started: nothing is left to suggest
    assert _suggested(ward, pid, now=NOW + timedelta(days=1, minutes=1)) == []
    assert [s[1] for s in _suggested(ward, pid)] == [line_tomorrow]
    assert camera_later not in [s[1] for s in _suggested(ward, pid)]
    # the full class comes back when a seat is free again
    open_maps = _class(ward, maps, days=8)
    assert [s[1] for s in _suggested(ward, pid)] == [line_tomorrow, open_maps]


def test_a_course_done_or_for_another_phone_is_not_suggested(ward):
    maps = _course(ward, "maps", ["maps"])
    iphone_line = _course(ward, "line-iphone", ["line"], track=DeviceTrack.IPHONE)
    android_line = _course(ward, "line-android", ["line"], track=DeviceTrack.ANDROID)
    pid = ward.resident(device="android")
    _shown(ward, pid, maps, ["maps/search"])
    _class(ward, maps)
    _class(ward, iphone_line)
    android_class = _class(ward, android_line)
    assert [(s[0], s[1]) for s in _suggested(ward, pid)] == [("line-android", android_class)]
    # someone nobody knows (the kiosk matched no one) is offered what a newcomer would
    with ward.database.read() as db:
        newcomer = next_class.next_classes(db, None, LESSONS, now=NOW)
    assert sorted(s.session.course.code for s in newcomer) == [
        "line-android",
        "line-iphone",
        "maps",
    ]


def test_an_erased_resident_gets_no_suggestion(ward):
    from classroom.services import privacy

    pid = ward.resident()
    _class(ward, _course(ward, "maps", ["maps"]))
    assert _suggested(ward, pid)
    with ward.database.write() as db:
        privacy.erase_resident(db, pid, actor=ward.coordinator.actor)
    assert _suggested(ward, pid) == []
