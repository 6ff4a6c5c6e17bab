"""The next class to suggest (issue 17) where staff and kiosks see it: the coordinator's
resident and register-by-phone pages, and the kiosk API (classes only, nothing personal)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, Course, ProgressRecord, utcnow
from tests.web.test_api import KioskClient, add_kiosk

LESSON = "intro-05-camera-qr"
QR = f"{LESSON}/read-qr"
# the ward fixture's resident
READING, PHONE, NAME, BIRTH = "ヤマダ ハナコ", "090-1234-5678", "山田", "1948"


@pytest.fixture
def teaching(database, ward):
    """The ward's course teaches the camera and QR lesson (five "I can ..." items)."""
    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = [LESSON]
    return ward


def _shown(database, ward, item=QR):
    with database.write() as db:
        db.add(
            ProgressRecord(
                participant_id=ward.resident_id,
                item_id=item,
                session_id=ward.session_id,
                marked_at=utcnow(),
            )
        )


@pytest.mark.parametrize("page", ["", "/register"])
def test_the_coordinator_sees_the_next_class_while_on_the_phone(
    coordinator, database, teaching, page
):
    url = f"/office/residents/{teaching.resident_id}{page}"
    html = coordinator.get(url).get_data(as_text=True)
    assert "Next class to suggest" in html
    # the soonest class of the course (in an hour), with the five items still to learn
    box = html[html.index("next-classes-title") :]
    assert f'id="suggested-{teaching.today_session_id}"' in box
    assert f'id="suggested-{teaching.session_id}"' not in box  # one class per course
    assert "Not yet done (5):" in box and "I can open the camera and take a photo" in box
    assert (
        f"/office/residents/{teaching.resident_id}/register?session="
        f"{teaching.today_session_id}#class-{teaching.today_session_id}"
    ) in box
    _shown(database, teaching)
    box = coordinator.get(url).get_data(as_text=True)
    assert "Not yet done (4):" in box and "Carries on what they began" in box


def test_no_suggestion_when_no_class_teaches_anything_new(coordinator, ward):
    # the ward's course names no lessons: nothing it teaches is left to learn
    html = coordinator.get(f"/office/residents/{ward.resident_id}/register").get_data(as_text=True)
    assert "No upcoming class with a seat teaches anything they have not shown yet." in html


def test_an_instructor_does_not_get_the_register_page(as_role, teaching):
    client = as_role("instructor")
    assert client.get(f"/office/residents/{teaching.resident_id}/register").status_code == 403


@pytest.fixture
def kiosk(app, database):
    return KioskClient(app, add_kiosk(database))


def test_the_kiosk_gets_classes_and_nothing_personal(kiosk, database, teaching):
    _shown(database, teaching)
    response = kiosk.post("/api/v1/suggestions", {"reading": READING, "phone": PHONE})
    assert response.status_code == 200
    body = response.get_json()
    assert [s["session_id"] for s in body["suggestions"]] == [teaching.today_session_id]
    assert set(body["suggestions"][0]) == {"session_id", "title", "titles", "starts_at", "ends_at"}
    assert body["suggestions"][0]["title"] == "スマホ入門（iPhone）"
    text = json.dumps(body, ensure_ascii=False)
    for personal in (READING, "ヤマダ", "やまだ", PHONE, "09012345678", NAME, "花子", BIRTH):
        assert personal not in text
    with database.read() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "progress.suggest"))
        assert [(e.participant_id, e.details or None) for e in events] == [
            (teaching.resident_id, None)
        ]


def test_the_same_person_typed_another_way_is_found(kiosk, database, teaching):
    """Hiragana and a phone without dashes are the same resident as at the office."""
    kiosk.post("/api/v1/suggestions", {"reading": "やまだ　はなこ", "phone": "09012345678"})
    with database.read() as db:
        assert db.scalar(
            select(AuditEvent.participant_id).where(AuditEvent.action == "progress.suggest")
        ) == (teaching.resident_id)


def test_someone_unknown_gets_what_a_newcomer_would_and_nothing_is_kept(kiosk, database, teaching):
    from classroom.models import Participant

    with database.read() as db:
        people = db.query(Participant).count()
    response = kiosk.post("/api/v1/suggestions", {"reading": "スズキ イチロウ", "phone": PHONE})
    assert [s["session_id"] for s in response.get_json()["suggestions"]] == [
        teaching.today_session_id
    ]
    with database.read() as db:
        assert db.query(Participant).count() == people
        assert db.query(AuditEvent).filter_by(action="progress.suggest").count() == 0


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"reading": READING}, {"phone"}),
        ({"phone": PHONE}, {"reading"}),
        ({"reading": "yamada", "phone": PHONE}, {"reading"}),
        ({"reading": READING, "phone": "12"}, {"phone"}),
        ({"reading": READING, "phone": PHONE, "birth_year": 1948}, None),
    ],
)
def test_nothing_is_suggested_before_both_are_typed(kiosk, teaching, body, fields):
    response = kiosk.post("/api/v1/suggestions", body)
    assert response.status_code in (400, 422)
    answer = response.get_json()
    assert "suggestions" not in answer
    if fields is not None:
        assert set(answer["errors"]) == fields
        assert answer["message"]  # in the kiosk's language, never a traceback


def test_without_a_kiosk_token_nothing_is_answered(app, teaching):
    response = app.test_client().post(
        "/api/v1/suggestions", json={"reading": READING, "phone": PHONE}
    )
    assert response.status_code == 401
