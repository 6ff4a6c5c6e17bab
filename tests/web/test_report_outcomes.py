"""The report page and its CSV show what people learned (issue 17): the figures, the
lessons by title, each course's completion, and the two charts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from classroom.models import AttendanceStatus, Course, ProgressRecord, utcnow
from classroom.services import attendance, sessions
from classroom.services.actor import Actor

LESSON = "intro-05-camera-qr"
ITEMS = [
    f"{LESSON}/{i}" for i in ("open-camera", "view-photos", "delete-photo", "read-qr", "check-qr")
]


def _learned(database, ward):
    """Last week's class of the camera lesson: the resident came and showed every item;
    another came and showed two."""
    from classroom.models import Source
    from classroom.services import residents

    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = [LESSON]
        other = residents.create_participant(
            db, reading="サトウ ミチコ", consent=True, source=Source.PHONE, actor=Actor.system()
        ).id
        starts = utcnow() - timedelta(days=7)
        held = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=10,
            actor=Actor.system(),
            now=starts - timedelta(days=30),
        ).id
        for pid, items in ((ward.resident_id, ITEMS), (other, ITEMS[:2])):
            attendance.mark_attendance(
                db,
                session_id=held,
                participant_id=pid,
                status=AttendanceStatus.PRESENT,
                actor=Actor.system(),
            )
            for item in items:
                db.add(
                    ProgressRecord(
                        participant_id=pid, item_id=item, session_id=held, marked_at=starts
                    )
                )
        sessions.mark_held(db, held, actor=Actor.system(), now=starts + timedelta(hours=2))


def test_the_report_shows_what_people_learned(as_role, database, ward):
    _learned(database, ward)
    client = as_role("coordinator")
    html = client.get("/reports/").get_data(as_text=True)
    section = html[html.index('id="outcomes"') :]
    assert "Learning outcomes" in section
    for label, value in (
        ("People who can do something new", "2"),
        ("Things they can now do", "7"),
        ("Things learned per lesson taught", "7.00"),  # one class, one lesson
        ("Share who completed their course", "50.0%"),
    ):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in section
    # the lesson by its title, not its id; the course with its completion
    assert "Camera, photos and reading QR codes" in section
    assert f'<th scope="row">{LESSON}</th>' not in section
    assert "<td>2</td><td>1</td><td>50.0%</td>" in section
    assert section.count('class="bar-chart"') == 2

    rows = list(
        csv.reader(io.StringIO(client.get("/reports/export.csv").get_data().decode("utf-8-sig")))
    )
    assert ["People who can do something new", "2"] in rows
    assert ["Share who completed their course", "50.0%"] in rows
    assert ["スマホ入門（iPhone）", "2", "1", "50.0%"] in rows
    lessons = rows[rows.index(["Things learned by lesson", "Things learned", "People"]) + 1]
    assert lessons[1:] == ["7", "2"] and lessons[0] != LESSON


def test_a_period_with_nothing_learned_says_so(as_role, ward):
    html = as_role("coordinator").get("/reports/").get_data(as_text=True)
    section = html[html.index('id="outcomes"') :]
    assert "<dt>Share who completed their course</dt><dd>—</dd>" in section
    assert "Nothing in this period." in section[: section.index('id="satisfaction"')]
