"""できたことの記録 (issue 17): the instructor's grid of people × "I can ..." items, with and
without JavaScript, and the resident's progress sheet and certificate (修了証)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from classroom.models import (
    AttendanceStatus,
    AuditEvent,
    ClassSession,
    Course,
    ProgressRecord,
    Source,
    utcnow,
)
from classroom.services import attendance, progress, registration, residents, sessions
from classroom.services.actor import Actor

LESSON = "intro-05-camera-qr"
ITEMS = [
    f"{LESSON}/{i}" for i in ("open-camera", "view-photos", "delete-photo", "read-qr", "check-qr")
]
CAMERA, QR = ITEMS[0], ITEMS[3]
CAMERA_TEXT = "I can open the camera and take a photo"
JSON = {"Accept": "application/json"}


@dataclass
class Taught:
    session_id: int  # today's class, taught by `instructor`
    earlier_id: int  # last week's class of the same course
    yamada: int  # ward.resident_id, on both rosters; read a QR code last week
    sato: int  # on today's roster only
    outsider: int  # on no roster of `instructor`


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


@pytest.fixture
def taught(database, ward, staff) -> Taught:
    now = utcnow()
    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = [LESSON]
        last_week = now - timedelta(days=7)
        earlier = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=last_week,
            ends_at=last_week + timedelta(hours=1),
            capacity=5,
            instructor_ids=[staff.other_instructor],
            actor=Actor.system(),
            now=last_week - timedelta(days=7),
        ).id
        people = [
            residents.create_participant(
                db, reading=reading, consent=True, source=Source.PHONE, actor=Actor.system()
            ).id
            for reading in ("サトウ ミチコ", "タナカ イチロウ")
        ]
        for pid in (ward.resident_id, people[0]):
            registration.register(
                db,
                session_id=ward.today_session_id,
                participant_id=pid,
                source=Source.PHONE,
                actor=Actor.system(),
            )
        attendance.mark_attendance(
            db,
            session_id=earlier,
            participant_id=ward.resident_id,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
        progress.tick(
            db,
            session_id=earlier,
            participant_id=ward.resident_id,
            item_id=QR,
            actor=Actor(kind="user", user_id=staff.other_instructor),
            now=last_week,
        )
    return Taught(ward.today_session_id, earlier, ward.resident_id, *people)


def _records(database, pid=None):
    with database.read() as db:
        query = select(ProgressRecord.participant_id, ProgressRecord.item_id)
        if pid is not None:
            query = query.where(ProgressRecord.participant_id == pid)
        return sorted(db.execute(query).all())


def _tap(client, taught, pid, item, action="tick", **kw):
    return client.post(
        f"/teach/sessions/{taught.session_id}/progress",
        data={"participant_id": pid, "item_id": item, "action": action},
        **kw,
    )


def _cell(html: str, pid: int, item: str) -> str:
    """The grid cell's form for a person and item ('' when the cell has no form)."""
    for form in re.findall(r"<form[^>]*data-progress-cell.*?</form>", html, re.S):
        if f'value="{pid}"' in form and f'value="{item}"' in form:
            return form
    return ""


def test_the_roster_page_links_to_the_grid(instructor, taught):
    html = instructor.get(f"/teach/sessions/{taught.session_id}").get_data(as_text=True)
    assert f'href="/teach/sessions/{taught.session_id}/progress"' in html


def test_the_grid_shows_the_roster_by_the_lessons_items(instructor, taught):
    html = instructor.get(f"/teach/sessions/{taught.session_id}/progress").get_data(as_text=True)
    assert CAMERA_TEXT in html and "山田 花子" in html
    assert "タナカ" not in html  # not on this class's roster
    # every item a box for 佐藤; for 山田 every item but the QR code read last week
    assert all(_cell(html, taught.sato, item) for item in ITEMS)
    assert [item for item in ITEMS if not _cell(html, taught.yamada, item)] == [QR]
    assert html.count("Done in an earlier class (") == 2  # the 済 mark's title and its label
    assert 'aria-pressed="false"' in _cell(html, taught.sato, CAMERA)


def test_a_tap_without_javascript_ticks_once_and_returns_to_the_row(instructor, taught, database):
    first = _tap(instructor, taught, taught.sato, CAMERA)
    again = _tap(instructor, taught, taught.sato, CAMERA)  # a resent form
    for response in (first, again):
        assert response.status_code == 303
        assert response.location.endswith(
            f"/teach/sessions/{taught.session_id}/progress#l1-p{taught.sato}"
        )
    assert _records(database, taught.sato) == [(taught.sato, CAMERA)]
    html = instructor.get(f"/teach/sessions/{taught.session_id}/progress").get_data(as_text=True)
    cell = _cell(html, taught.sato, CAMERA)
    assert 'aria-pressed="true"' in cell and 'value="untick"' in cell
    _tap(instructor, taught, taught.sato, CAMERA, action="untick")
    assert _records(database, taught.sato) == []


def test_a_tap_with_javascript_answers_json(instructor, taught, database):
    response = _tap(instructor, taught, taught.sato, CAMERA, headers=JSON)
    assert response.status_code == 200 and response.get_json() == {"done": True}
    response = _tap(instructor, taught, taught.sato, CAMERA, action="untick", headers=JSON)
    assert response.get_json() == {"done": False}
    assert _records(database, taught.sato) == []


def test_an_earlier_class_tick_is_not_undone_from_here(instructor, taught, database):
    _tap(instructor, taught, taught.yamada, QR, action="untick")
    assert _records(database, taught.yamada) == [(taught.yamada, QR)]


@pytest.mark.parametrize(
    "pid_key, item, message",
    [
        ("sato", "line-basics/register", "This is not an item of the class&#39;s lessons."),
        ("sato", "", "That tap could not be read. Please tap again."),
        ("outsider", CAMERA, "This person is not on this class&#39;s roster."),
    ],
)
def test_a_bad_tap_says_why_and_changes_nothing(
    instructor, taught, database, pid_key, item, message
):
    pid = getattr(taught, pid_key)
    before = _records(database)
    page = _tap(instructor, taught, pid, item, follow_redirects=True)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    answer = _tap(instructor, taught, pid, item, headers=JSON)
    assert answer.status_code == 422
    assert answer.get_json()["error"] == message.replace("&#39;", "'")
    assert _records(database) == before


def test_another_instructors_grid_is_refused(as_role, taught):
    other = as_role("other_instructor")
    assert other.get(f"/teach/sessions/{taught.session_id}/progress").status_code == 403
    assert _tap(other, taught, taught.sato, CAMERA).status_code == 403


# -- the progress sheet and the certificate ----------------------------------------------


def _done_everything(database, taught, staff_id):
    with database.write() as db:
        for item in ITEMS:
            progress.tick(
                db,
                session_id=taught.session_id,
                participant_id=taught.yamada,
                item_id=item,
                actor=Actor(kind="user", user_id=staff_id),
            )


def _audited(database, action):
    with database.read() as db:
        return [
            (e.participant_id, e.details)
            for e in db.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_the_progress_sheet_lists_done_and_next_items_in_japanese(coordinator, taught, database):
    response = coordinator.get(f"/teach/residents/{taught.yamada}/progress")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "できるようになったこと" in html and "山田 花子" in html
    assert "つなぐ区" in html  # the ward's name from its settings
    done, _, later = html.partition("次に")
    assert "QR コードを読み取って" in done and "カメラを開いて写真を撮ることができる" in later
    assert "1 / 5" in html
    assert "修了証" not in html  # not every item is done: no certificate offered
    assert _audited(database, "participant.progress_sheet") == [(taught.yamada, {})]


def test_the_certificate_waits_for_every_item_then_prints(coordinator, taught, database, staff):
    url = f"/teach/residents/{taught.yamada}/certificate/{taught_course(database, taught)}"
    html = coordinator.get(url).get_data(as_text=True)
    assert "項目のうち1項目" in html and 'class="seal"' not in html  # 1 of 5 done
    _done_everything(database, taught, staff.instructor)
    sheet = coordinator.get(f"/teach/residents/{taught.yamada}/progress").get_data(as_text=True)
    assert url in sheet
    html = coordinator.get(url).get_data(as_text=True)
    assert "修了証" in html and "山田 花子" in html and "スマホ入門（iPhone）" in html
    assert "つなぐ区" in html and 'class="seal"' in html and "印" in html
    assert "カメラを開いて写真を撮ることができる" in html
    # last week's class (checked in) and today's (not checked in, but items shown there)
    dates = re.search(r"受講日</dt><dd>(.*?)</dd>", html).group(1)
    assert "11月27日" in dates and "12月4日" in dates, dates
    assert len(_audited(database, "participant.certificate")) == 2


def taught_course(database, taught) -> int:
    with database.read() as db:
        return db.get(ClassSession, taught.session_id).course_id


def test_instructors_see_only_their_own_participants_papers(as_role, taught):
    mine = as_role("instructor")
    assert mine.get(f"/teach/residents/{taught.sato}/progress").status_code == 200
    assert mine.get(f"/teach/residents/{taught.outsider}/progress").status_code == 403
    other = as_role("other_instructor")
    assert other.get(f"/teach/residents/{taught.sato}/progress").status_code == 403
    assert other.get(f"/teach/residents/{taught.yamada}/progress").status_code == 200


def test_the_office_resident_page_links_the_progress_sheet(coordinator, taught):
    html = coordinator.get(f"/office/residents/{taught.yamada}").get_data(as_text=True)
    assert f'href="/teach/residents/{taught.yamada}/progress"' in html
