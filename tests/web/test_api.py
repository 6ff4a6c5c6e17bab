"""The kiosk API as a kiosk uses it: tokens, bookings, content, heartbeat, help, events.

Every /api/ route is in API_ROUTES below (the staff route table skips /api/): a route
added without a row fails `test_every_api_route_is_in_the_table`.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from datetime import timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from classroom.models import (
    Course,
    HelpRequest,
    Kiosk,
    Participant,
    Registration,
    RegistrationStatus,
    Source,
    UsageEvent,
    utcnow,
)
from classroom.services import kiosks as kiosk_service
from classroom.services import sessions
from classroom.services.actor import Actor
from tests.conftest import TOKYO_NEXT_DAY, TOKYO_SAME_DAY
from tests.web.conftest import build_app

TOKYO = ZoneInfo("Asia/Tokyo")

#: (method, path) of every kiosk route; all need the token except openapi.json
API_ROUTES = [
    ("GET", "/api/v1/sessions"),
    ("POST", "/api/v1/registrations"),
    ("POST", "/api/v1/suggestions"),
    ("GET", "/api/v1/content/bundle"),
    ("GET", "/api/v1/content/bundle/<version>.zip"),
    ("POST", "/api/v1/heartbeat"),
    ("POST", "/api/v1/help-requests"),
    ("GET", "/api/v1/help-requests/<client_id>"),
    ("POST", "/api/v1/events"),
    ("POST", "/api/v1/ask"),
    ("GET", "/api/v1/ask/popular"),
    ("POST", "/api/v1/bookings/lookup"),
    ("POST", "/api/v1/bookings/cancel"),
    ("GET", "/api/v1/openapi.json"),
]
READING, PHONE, BIRTH_YEAR = "ヤマダ タロウ", "090-4321-8765", 1951


@pytest.fixture
def api_app(database, tmp_path):
    return build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )


def add_kiosk(database, name="lib-1", location="中央図書館 1階 入口") -> str:
    with database.write() as db:
        return kiosk_service.create_kiosk(db, name=name, location=location, actor=Actor.cli())[1]


class KioskClient:
    """A kiosk talking to the server: its token on every request, JSON in and out."""

    def __init__(self, app, token: str, language: str = "en") -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}

    def get(self, path, **kwargs):
        return self.client.get(
            path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def post(self, path, body=None, **kwargs):
        return self.client.post(
            path, json=body, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def books(
        self,
        session_id,
        key=None,
        reading=READING,
        phone=PHONE,
        birth_year=BIRTH_YEAR,
        device="iphone",
        **extra,
    ):
        body = {
            "session_id": session_id,
            "reading": reading,
            "phone": phone,
            "birth_year": birth_year,
            "device": device,
            **extra,
        }
        return self.post(
            "/api/v1/registrations", body, headers={"Idempotency-Key": key or str(uuid.uuid4())}
        )


@pytest.fixture
def kiosk(api_app, database):
    return KioskClient(api_app, add_kiosk(database))


def session_with(database, ward, capacity):
    with database.write() as db:
        starts = utcnow() + timedelta(days=10)
        return sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=capacity,
            actor=Actor.system(),
        ).id


def count(database, model, *where):
    with database.read() as db:
        return db.scalar(select(func.count(model.id)).where(*where))


def test_every_api_route_is_in_the_table(api_app):
    routes = {
        (m, r.rule)
        for r in api_app.url_map.iter_rules()
        if r.rule.startswith("/api/")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(API_ROUTES)


@pytest.mark.parametrize("method, path", API_ROUTES[:-1])
@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer not-a-token", "Basic abc"])
def test_every_route_but_openapi_needs_a_kiosk_token(
    api_app, database, method, path, authorization
):
    add_kiosk(database)
    headers = {"Authorization": authorization} if authorization else {}
    response = api_app.test_client().open(
        path.replace("<version>", "0" * 16), method=method, headers=headers, json={}
    )
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized" and response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(api_app, database):
    token = add_kiosk(database)
    assert KioskClient(api_app, token).get("/api/v1/sessions").status_code == 200
    with database.write() as db:
        kiosk_service.revoke_kiosk(db, "lib-1", actor=Actor.cli())
    response = KioskClient(api_app, token).get("/api/v1/sessions")
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_a_kiosk_token_is_not_a_login(api_app, database, staff):
    kiosk = KioskClient(api_app, add_kiosk(database))
    for path in ("/office/", "/office/residents", "/office/kiosks/", "/teach/", "/admin/staff"):
        response = kiosk.get(path)
        assert response.status_code in (302, 401), path
        if response.status_code == 302:
            assert response.location.startswith("/login")
    response = kiosk.client.post("/office/kiosks/help-requests/1/close", headers=kiosk.headers)
    assert response.status_code in (302, 400, 401)
    assert count(database, HelpRequest) == 0


@pytest.fixture(params=[TOKYO_SAME_DAY, TOKYO_NEXT_DAY], ids=["tokyo-same-day", "tokyo-next-day"])
def moment(request, frozen_clock):
    """Runs a test at 10:00 Tokyo time and at 05:00 Tokyo time (20:00 UTC the day before)."""
    return frozen_clock(request.param)


def test_sessions_are_listed_soonest_first_with_seats_and_nothing_personal(
    moment, kiosk, database, ward
):
    kiosk.books(ward.session_id)
    response = kiosk.get("/api/v1/sessions?device=iphone")
    assert response.status_code == 200
    found = response.json["sessions"]
    assert [s["id"] for s in found] == [
        ward.today_session_id,
        ward.session_id,
        ward.other_session_id,
    ]
    first = found[1]
    assert first["seats_left"] == 1 and first["capacity"] == 2
    assert first["course"]["code"] == "intro-iphone" and first["booking_mode"] == "first_come"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", first["starts_at"])
    text = response.get_data(as_text=True)
    for personal in ("ヤマダ", "山田", "090", "1948", "1951", "Instructor", "instructor"):
        assert personal not in text
    assert kiosk.get("/api/v1/sessions?device=android").json["sessions"] == []
    assert kiosk.get("/api/v1/sessions?course=nope").json["sessions"] == []
    # the kiosk asks by the date on the wall in Tokyo, which is not UTC's from 15:00 UTC
    later = (utcnow() + timedelta(days=8)).astimezone(TOKYO).strftime("%Y-%m-%d")
    assert [s["id"] for s in kiosk.get(f"/api/v1/sessions?from={later}").json["sessions"]] == [
        ward.other_session_id
    ]


def test_sessions_name_the_lessons_their_course_teaches(kiosk, database, ward):
    response = kiosk.get("/api/v1/sessions")
    assert {s["id"]: s["course"]["lesson_ids"] for s in response.json["sessions"]} == {
        ward.today_session_id: [],
        ward.session_id: [],
        ward.other_session_id: [],
    }
    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = ["intro-01-power", "intro-02-touch"]
    found = kiosk.get("/api/v1/sessions").json["sessions"]
    assert found and {s["course"]["code"] for s in found} == {"intro-iphone"}
    with database.read() as db:
        expected = db.get(Course, ward.course_id).lesson_ids
    assert expected == ["intro-01-power", "intro-02-touch"]
    assert all(s["course"]["lesson_ids"] == expected for s in found)


@pytest.mark.parametrize("query, field", [("from=tomorrow", "from"), ("device=nokia", "device")])
def test_sessions_refuse_odd_filters(kiosk, ward, query, field):
    response = kiosk.get(f"/api/v1/sessions?{query}")
    assert response.status_code == 422 and field in response.json["errors"]


def test_the_same_idempotency_key_twice_books_once_with_the_same_answer(kiosk, database, ward):
    key = str(uuid.uuid4())
    first = kiosk.books(ward.session_id, key)
    second = kiosk.books(ward.session_id, key)
    assert first.status_code == second.status_code == 201
    assert first.get_data() == second.get_data()
    assert first.json["status"] == "confirmed" and first.json["position"] is None
    assert re.match(r"^[A-Z0-9]{6}$", first.json["code"]) and first.json["qr_token"]
    assert count(database, Registration) == 1
    assert count(database, Participant, Participant.source == Source.KIOSK) == 1
    with database.read() as db:
        registration = db.scalars(select(Registration)).one()
        assert registration.source == Source.KIOSK
        assert registration.idempotency_key.startswith("kiosk:")
    # a second attempt (a new key) for the same person is refused, not booked twice
    again = kiosk.books(ward.session_id)
    assert again.status_code == 409 and again.json["error"] == "already_registered"


def test_a_key_is_the_kiosks_own(api_app, database, ward):
    key = str(uuid.uuid4())
    one = KioskClient(api_app, add_kiosk(database, "lib-1")).books(ward.session_id, key)
    two = KioskClient(api_app, add_kiosk(database, "lib-2")).books(
        ward.session_id, key, reading="スズキ イチロウ", phone="090-1111-2222"
    )
    assert one.status_code == two.status_code == 201 and one.json["code"] != two.json["code"]


def test_the_same_key_with_another_person_is_refused_and_stores_nothing(kiosk, database, ward):
    key = str(uuid.uuid4())
    kiosk.books(ward.session_id, key)
    other = kiosk.books(ward.session_id, key, reading="スズキ イチロウ", phone="090-1111-2222")
    assert other.status_code == 409 and other.json["error"] == "idempotency_key_reused"
    assert count(database, Participant, Participant.reading == "スズキ イチロウ") == 0


def test_fifty_kiosk_bookings_for_ten_seats_confirm_ten_and_waitlist_forty(kiosk, database, ward):
    session_id = session_with(database, ward, capacity=10)
    answers = [
        kiosk.books(
            session_id,
            reading="テスト " + "アイウエオカキクケコ"[n // 10] + "アイウエオカキクケコ"[n % 10],
            phone=f"090-0000-{n:04d}",
        )
        for n in range(50)
    ]
    assert {a.status_code for a in answers} == {201}
    statuses = [a.json["status"] for a in answers]
    assert statuses.count("confirmed") == 10 and statuses.count("waitlisted") == 40
    assert [a.json["position"] for a in answers[10:]] == list(range(1, 41))
    with database.read() as db:
        rows = db.scalars(select(Registration).where(Registration.session_id == session_id)).all()
        assert sum(r.status == RegistrationStatus.CONFIRMED for r in rows) == 10
        assert len(rows) == 50


def test_no_answer_of_the_api_holds_the_personal_data_sent(kiosk, database, ward):
    answers = [
        kiosk.books(ward.session_id, device="android"),
        kiosk.books(ward.session_id),  # already registered
        kiosk.books(ward.session_id, reading="ヤマダ タロウX"),  # invalid
        kiosk.get("/api/v1/sessions"),
        kiosk.post("/api/v1/heartbeat", {"app_version": "1.0", "content_version": ""}),
        kiosk.post("/api/v1/help-requests", {"client_id": "h-1", "screen": "booking:name"}),
        kiosk.post("/api/v1/events", {"events": []}),
    ]
    for answer in answers:
        text = answer.get_data(as_text=True)
        for personal in (READING, "ヤマダ", PHONE, "09043218765", "4321", str(BIRTH_YEAR)):
            assert personal not in text, (answer.request.path, text)
        assert "Set-Cookie" not in answer.headers
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.content_type == "application/json"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"reading": "Yamada"}, "reading"),
        ({"reading": "山田"}, "reading"),
        ({"reading": 12}, "reading"),
        ({"phone": "090-123"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"phone": 9012345678}, "phone"),
        ({"birth_year": 1800}, "birth_year"),
        ({"birth_year": 2999}, "birth_year"),
        ({"birth_year": "1948"}, "birth_year"),
        ({"birth_year": True}, "birth_year"),
        ({"device": "nokia"}, "device"),
        ({"device": None}, "device"),
        ({"session_id": "12"}, "session_id"),
        ({"session_id": 2**40}, "session_id"),
        ({"surname": "山田"}, "surname"),
    ],
)
def test_wrong_input_is_422_with_a_message_per_field(kiosk, database, ward, changes, field):
    body = {
        "session_id": ward.session_id,
        "reading": READING,
        "phone": PHONE,
        "birth_year": BIRTH_YEAR,
        "device": "iphone",
        **changes,
    }
    response = kiosk.post("/api/v1/registrations", body, headers={"Idempotency-Key": "k" * 12})
    assert response.status_code == 422, response.json
    assert response.json["error"] == "invalid"
    assert set(response.json["errors"]) == {field}
    assert count(database, Registration) == 0 and count(database, Participant) == 1  # ward's own


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/v1/heartbeat", {"app_version": "1.0\x00"}, "app_version"),
        ("/api/v1/help-requests", {"client_id": "c" * 12, "screen": "home\x1b"}, "screen"),
        (
            "/api/v1/events",
            {"events": [{"client_id": "e" * 12, "kind": "guide_viewed\x00"}]},
            "events",
        ),
    ],
)
def test_control_characters_anywhere_in_a_body_are_422_and_store_nothing(
    kiosk, database, path, body, field
):
    response = kiosk.post(path, body, headers={"Idempotency-Key": "k" * 12})
    assert response.status_code == 422 and set(response.json["errors"]) == {field}
    assert "control characters" in response.json["errors"][field]
    assert count(database, HelpRequest) == 0 and count(database, UsageEvent) == 0


def test_a_nul_in_the_course_filter_is_422_not_a_crash(kiosk, ward):
    response = kiosk.client.get("/api/v1/sessions?course=intro%00", headers=kiosk.headers)
    assert response.status_code == 422 and set(response.json["errors"]) == {"course"}


def test_missing_fields_and_a_missing_idempotency_key(kiosk, ward):
    response = kiosk.post("/api/v1/registrations", {}, headers={})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {
        "session_id",
        "reading",
        "phone",
        "birth_year",
        "device",
        "Idempotency-Key",
    }
    short = kiosk.books(ward.session_id, key="short")
    assert short.status_code == 422 and set(short.json["errors"]) == {"Idempotency-Key"}


@pytest.mark.parametrize(
    "language, expected",
    [
        ("ja", "ひらがなまたはカタカナ"),
        ("ja-easy", "ひらがなまたはカタカナ"),
        ("en", "must be written in kana"),
        ("ko, en;q=0.5", None),
        ("zh-Hans", None),
        ("", "ひらがなまたはカタカナ"),
    ],
)
def test_field_messages_come_in_the_language_asked(api_app, database, ward, language, expected):
    kiosk = KioskClient(api_app, add_kiosk(database), language=language)
    response = kiosk.books(ward.session_id, reading="Yamada")
    message = response.json["errors"]["reading"]
    assert response.status_code == 422 and message
    if expected:
        assert expected in message


def test_unknown_session_is_404_and_a_cancelled_one_409(kiosk, database, ward):
    missing = kiosk.books(10_000)
    assert missing.status_code == 404 and missing.json["error"] == "not_found"
    with database.write() as db:
        sessions.cancel_session(db, ward.session_id, actor=Actor.system())
    closed = kiosk.books(ward.session_id)
    assert closed.status_code == 409 and closed.json["error"] == "session_not_open"
    assert count(database, Participant, Participant.source == Source.KIOSK) == 0


@pytest.mark.parametrize(
    "send",
    [
        dict(data="{not json", content_type="application/json"),
        dict(data=b"\xff\xfe", content_type="application/json"),
        dict(data="[]", content_type="application/json"),
        dict(data="a=1", content_type="application/x-www-form-urlencoded"),
        dict(data="{}", content_type="text/plain"),
    ],
)
@pytest.mark.parametrize(
    "path",
    ["/api/v1/registrations", "/api/v1/heartbeat", "/api/v1/help-requests", "/api/v1/events"],
)
def test_bodies_that_are_not_a_json_object_get_a_json_error(kiosk, path, send):
    response = kiosk.client.post(
        path, headers={**kiosk.headers, "Idempotency-Key": "k" * 10}, **send
    )
    assert response.status_code in (400, 415, 422)
    assert response.is_json and {"error", "message"} <= set(response.json)


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/api/v1/nowhere", 404),
        ("POST", "/api/v1/nowhere", 404),
        ("GET", "/api/v2/sessions", 404),
        ("DELETE", "/api/v1/sessions", 405),
        ("GET", "/api/v1/registrations", 405),
        ("PUT", "/api/v1/events", 405),
        ("GET", "/api/v1/content/bundle/0123456789abcdef.zip", 404),
        ("GET", "/api/v1/content/bundle/..%2f..%2fsecret_key.zip", 404),
    ],
)
def test_routing_errors_are_json_too(kiosk, method, path, status):
    response = kiosk.client.open(path, method=method, headers=kiosk.headers)
    assert response.status_code == status
    assert response.is_json and response.json["error"] in ("not_found", "method_not_allowed")
    assert "<html" not in response.get_data(as_text=True).lower()


def test_a_body_too_large_is_413_json(kiosk):
    response = kiosk.post("/api/v1/events", {"events": ["x" * 1000] * 3000})
    assert response.status_code == 413 and response.json["error"] == "payload_too_large"


def test_rate_limited_per_kiosk_with_retry_after(database, tmp_path):
    app = build_app(database, tmp_path, API_RATE_LIMIT=(3, 60))
    busy = KioskClient(app, add_kiosk(database, "busy"))
    calm = KioskClient(app, add_kiosk(database, "calm"))
    assert [busy.get("/api/v1/sessions").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = busy.get("/api/v1/sessions")
    assert limited.json["error"] == "rate_limited" and 1 <= limited.json["retry_after"] <= 60
    assert limited.headers["Retry-After"] == str(limited.json["retry_after"])
    assert calm.get("/api/v1/sessions").status_code == 200


def test_the_content_bundle_is_built_once_and_served(kiosk, api_app, tmp_path, monkeypatch):
    info = kiosk.get("/api/v1/content/bundle")
    assert info.status_code == 200
    version = info.json["version"]
    assert info.json["url"] == f"/api/v1/content/bundle/{version}.zip"
    # the next requests reuse it: nothing is built again
    from web.api import bundles

    monkeypatch.setattr(bundles, "build_bundle", lambda *a, **k: pytest.fail("rebuilt"))
    api_app.extensions["tsunagu_bundles"].recheck_seconds = 0
    assert kiosk.get("/api/v1/content/bundle").json == info.json
    download = kiosk.get(info.json["url"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert len(download.data) == info.json["size"]
    assert hashlib.sha256(download.data).hexdigest() == info.json["sha256"]
    with zipfile.ZipFile(BytesIO(download.data)) as archive:
        assert json.loads(archive.read("manifest.json"))["version"] == version
    assert list((tmp_path / "bundles").glob("*.zip")) == [
        tmp_path / "bundles" / f"tsunagu-content-{version}.zip"
    ]


def test_heartbeat_records_versions_and_answers_the_newest_content(kiosk, database):
    response = kiosk.post("/api/v1/heartbeat", {"app_version": "1.2.0", "content_version": "abc"})
    assert response.status_code == 200
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", response.json["server_time"])
    assert re.match(r"^[0-9a-f]{16}$", response.json["content_version"])
    with database.read() as db:
        stored = db.scalars(select(Kiosk)).one()
        assert (stored.app_version, stored.content_version) == ("1.2.0", "abc")
        assert kiosk_service.is_online(stored)
    bad = kiosk.post("/api/v1/heartbeat", {"app_version": 3})
    assert bad.status_code == 422 and "app_version" in bad.json["errors"]


def test_a_help_request_is_one_call_however_often_it_is_sent(kiosk, database):
    body = {"client_id": str(uuid.uuid4()), "screen": "guide:juminhyo:3", "language": "ja"}
    first = kiosk.post("/api/v1/help-requests", body)
    again = kiosk.post("/api/v1/help-requests", body)
    assert first.status_code == again.status_code == 201
    assert first.json == again.json and first.json["status"] == "open"
    assert count(database, HelpRequest) == 1
    bad = kiosk.post("/api/v1/help-requests", {"client_id": "x", "language": "fr"})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"language"}


def test_events_are_accepted_once_per_client_id(kiosk, database):
    events = [
        {
            "client_id": f"e-{n}",
            "kind": kind,
            "at": "2026-11-26T01:00:00Z",
            "guide_id": "juminhyo",
            "step": n,
            "language": "ja",
            "text_size": "large",
        }
        for n, kind in enumerate(["guide_viewed", "step_reached", "handoff_shown"])
    ]
    first = kiosk.post("/api/v1/events", {"events": events})
    assert first.status_code == 200 and first.json == {"accepted": 3}
    again = kiosk.post("/api/v1/events", {"events": events})
    assert again.json == {"accepted": 3}
    assert count(database, UsageEvent) == 3
    too_many = kiosk.post("/api/v1/events", {"events": [events[0]] * 201})
    assert too_many.status_code == 422
    wrong = kiosk.post("/api/v1/events", {"events": [{**events[0], "kind": "logged_in"}]})
    assert wrong.status_code == 422 and "events[0].kind" in wrong.json["errors"]
    assert count(database, UsageEvent) == 3


def test_openapi_needs_no_token_and_describes_every_route(api_app):
    response = api_app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.1")
    documented = {
        (m.upper(), "/api/v1" + re.sub(r"\{(\w+)\}", r"<\1>", p))
        for p, ops in response.json["paths"].items()
        for m in ops
    }
    assert documented == set(API_ROUTES)


def test_a_session_names_its_venue_and_the_way_there_in_every_language(api_app, database, ward):
    from classroom.models import Venue

    with database.write() as db:
        venue = db.get(Venue, ward.venue_id)
        venue.access = "つなぐ駅 東口から徒歩5分"
        venue.access_translations = {"ko": "쓰나구역 동쪽 출구에서 걸어서 5분"}
    kiosk = KioskClient(api_app, add_kiosk(database))
    found = {s["id"]: s for s in kiosk.get("/api/v1/sessions").json["sessions"]}
    where = found[ward.session_id]["venue"]
    assert where["access"] == "つなぐ駅 東口から徒歩5分"
    assert where["accesses"] == {"ko": "쓰나구역 동쪽 출구에서 걸어서 5분"}


# -- ask in your own words (issue 20) ----------------------------------------------------


def test_ask_answers_in_the_documented_shape(kiosk):
    response = kiosk.post("/api/v1/ask", {"question": "セブンで住民票とれる？"})
    assert response.status_code == 200
    assert response.json["confident"] is True
    first = response.json["answers"][0]
    assert first["id"] in {"koseki-juminhyo/convenience-store", "konbini"}
    assert set(first) == {"kind", "id", "title", "text", "score"}
    assert "コンビニ" in first["title"]


def test_ask_answers_in_the_language_asked(kiosk):
    response = kiosk.post("/api/v1/ask", {"question": "ほいくえん おちた", "language": "en"})
    assert response.json["answers"][0]["title"] == "We did not get a nursery place. What now?"


def test_ask_takes_a_lone_surrogate_without_a_crash(kiosk):
    body = '{"question": "\\u4fdd\\u80b2\\u5712\\ud83d\\u843d\\u3061\\u305f"}'
    response = kiosk.post("/api/v1/ask", data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.json["answers"][0]["id"] == "hoikuen/not-admitted"


def test_ask_says_when_it_is_not_sure(kiosk):
    response = kiosk.post("/api/v1/ask", {"question": "今日の天気は？"})
    assert response.status_code == 200 and response.json["confident"] is False


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "question", "This field is required."),
        ({"question": "   "}, "question", "Type a question."),
        ({"question": 3}, "question", "Type a question."),
        ({"question": "あ" * 10_000}, "question", "at most 200 characters"),
        ({"question": "住民票", "language": "fr"}, "language", "ja-easy"),
        ({"question": "住民票\x00"}, "question", "control characters"),
    ],
)
def test_ask_refuses_bad_questions_with_a_message(kiosk, body, field, message):
    response = kiosk.post("/api/v1/ask", body)
    assert response.status_code == 422
    assert message in response.json["errors"][field]


def test_ask_messages_come_in_the_kiosks_language(api_app, database):
    client = KioskClient(api_app, add_kiosk(database), language="ja")
    response = client.post("/api/v1/ask", {"question": " "})
    assert response.json["errors"]["question"] == "質問を入力してください。"


def test_ask_with_broken_content_is_503(api_app, kiosk, tmp_path):
    (tmp_path / "broken" / "faq").mkdir(parents=True)
    (tmp_path / "broken" / "faq" / "x.yaml").write_text("id: [\n", encoding="utf-8")
    api_app.config["CONTENT_DIR"] = str(tmp_path / "broken")
    response = kiosk.post("/api/v1/ask", {"question": "住民票"})
    assert response.status_code == 503 and response.json["error"] == "content_unavailable"
