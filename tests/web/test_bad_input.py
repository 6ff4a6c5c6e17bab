"""Issue 13, items 8, 9, 10 and 12: bad input is never a 500 nor stored garbage.

Each test here failed before its fix (on SQLite and PostgreSQL alike, through the
`database` fixture); each asserts what a member of staff or a resident would notice.
"""

from __future__ import annotations

import io
import re

import pytest

from classroom.models import ClassSession
from tests.web.conftest import PASSWORD, build_app, count, english_client, log_in

# -- the error page itself never fails -------------------------------------------------


def test_a_logged_in_member_of_staff_gets_the_calm_500_page_not_a_bare_text(
    database, tmp_path, staff
):
    """The 500 page rolled back, then the menu touched the detached `current_user`."""
    app = build_app(database, tmp_path, TESTING=False)

    @app.route("/boom")
    def boom():
        assert current_user_name() == "Coordinator"  # the user row is in the session now
        raise RuntimeError("boom")

    client = english_client(app)
    assert log_in(client, "coordinator", PASSWORD).status_code == 302
    response = client.get("/boom", headers={"Accept-Language": "ja"})
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert '<html lang="en">' in html  # still in her own language


def current_user_name() -> str:
    from flask_login import current_user

    return current_user.display_name


def test_the_500_page_needs_no_database(database, tmp_path, staff):
    """Even when the crash left the database unusable, the page is the site's page."""
    app = build_app(database, tmp_path, TESTING=False)

    @app.route("/boom2")
    def boom2():
        current_user_name()
        database.engine.dispose()
        app.extensions["tsunagu_db"] = None  # any further use of the database fails
        raise RuntimeError("boom")

    client = english_client(app)
    assert log_in(client, "coordinator", PASSWORD).status_code == 302
    response = client.get("/boom2")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


# -- the report and the audit trail: any query string is a page, never a 500 -----------


#: (query string, the field whose message says what is wrong)
BAD_PERIODS = [
    ("from=0001-01-01&until=0001-01-02", "from"),
    ("from=9999-12-30&until=9999-12-31", "from"),
    ("from=2026-04-01&until=9999-12-31", "until"),
    ("from=２０２６-04-01&until=2026-05-01", "from"),
    ("from=2026-04-01", "until"),
    ("from=2026-05-01&until=2026-04-01", "until"),
    ("fy=%C2%B2", "fy"),
    ("fy=99999999999999999999", "fy"),
    ("fy=1", "fy"),
]


@pytest.mark.parametrize("page", ["/reports/", "/reports/export.csv"])
def test_a_period_the_report_cannot_count_is_explained_on_its_field(as_role, ward, page):
    client = as_role("coordinator")
    for query, field in BAD_PERIODS:
        response = client.get(f"{page}?{query}")
        assert response.status_code == 422, (query, response.status_code)
        assert response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        assert f'id="{field}-error"' in html, query
        assert any(
            message in html
            for message in (
                "Please choose a date between 2000 and 2100.",
                "Please enter a date as YYYY-MM-DD",
                "The last day is before the first day",
                "Please enter both dates.",
                "Please choose a fiscal year from the list.",
            )
        ), query
    # the edges of the window still count
    assert client.get(f"{page}?from=2000-01-01&until=2100-12-31").status_code == 200


def test_the_report_page_in_shift_jis_is_a_link_not_a_crash(as_role, ward):
    """?encoding= belongs to the CSV; on the page itself it changes nothing."""
    client = as_role("coordinator")
    assert client.get("/reports/?encoding=cp932").status_code == 200
    assert client.get("/reports/?encoding=cp932&fy=2026").status_code == 200
    response = client.get("/reports/export.csv?encoding=cp932")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert client.get("/reports/export.csv?encoding=latin-1").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "participant=" + "9" * 30,
        "participant=%C2%B2",
        "participant=3000000000",
        "participant=%EF%BC%91",  # a full-width 1
        "before=%C2%B2",
        "before=" + "9" * 30,
        "before=3000000000",
    ],
)
def test_the_audit_trail_filters_take_any_text(as_role, ward, query):
    response = as_role("admin").get(f"/reports/audit?{query}")
    html = response.get_data(as_text=True)
    if "%C2%B2" in query and query.startswith("participant"):
        assert response.status_code == 400
        assert "A resident number is written in digits" in html
    else:  # a number no row can have: nothing found (or the filter ignored), calmly
        assert response.status_code == 200, response.status_code


# -- class dates: within last fiscal year .. two years ahead, computed in Tokyo -------


def class_form(ward, staff, **overrides):
    data = {
        "course_id": ward.course_id,
        "venue_id": ward.venue_id,
        "date": "2027-05-13",
        "starts_at": "14:00",
        "ends_at": "15:30",
        "capacity": "12",
        "instructor_ids": [staff.instructor],
        "booking_mode": "first_come",
        "application_deadline": "",
        "repeat": "once",
        "occurrences": "1",
        "note": "",
    }
    data.update(overrides)
    return data


def _error_on(html: str, field: str) -> str:
    """The message shown under `field` (the site's field macro), or ''."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("!", "").strip() if match else ""


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31", "repeat": "weekly", "occurrences": "52"}, "date"),
        ({"date": "9999-12-31"}, "date"),
        ({"date": "0001-01-03", "repeat": "monthly", "occurrences": "12"}, "date"),
        (
            {"booking_mode": "lottery", "application_deadline": "0001-01-01T00:00"},
            "application_deadline",
        ),
        ({"date": "2028-12-07", "repeat": "weekly", "occurrences": "52"}, "occurrences"),
    ],
)
def test_a_class_outside_the_window_is_refused_on_its_field(
    as_role, database, ward, staff, frozen_clock, overrides, field
):
    from tests.conftest import TOKYO_NEXT_DAY

    frozen_clock(TOKYO_NEXT_DAY)  # 5 December 2026 in Tokyo: fiscal year 2026
    coordinator = as_role("coordinator")
    page = coordinator.get("/office/sessions/new").get_data(as_text=True)
    assert 'min="2025-04-01"' in page and 'max="2029-03-31"' in page  # the date picker too
    before = count(database, ClassSession)
    response = coordinator.post("/office/sessions/new", data=class_form(ward, staff, **overrides))
    assert response.status_code == 422, response.location
    message = _error_on(response.get_data(as_text=True), field)
    assert "2029-03-31" in message, message
    assert count(database, ClassSession) == before


@pytest.mark.parametrize(
    "moment, day, accepted",
    [
        # on 31 March 2027 (fiscal year 2026) the window is 2025-04-01 .. 2029-03-31
        ("FISCAL_YEAR_END", "2025-04-01", True),
        ("FISCAL_YEAR_END", "2029-04-01", False),
        # at 00:00 on 1 April 2027 in Tokyo (still 31 March in UTC) it moved on a year
        ("FISCAL_YEAR_START", "2025-04-01", False),
        ("FISCAL_YEAR_START", "2029-04-01", True),
        ("FISCAL_YEAR_START", "2030-03-31", True),
        ("FISCAL_YEAR_START", "2030-04-01", False),
    ],
)
def test_the_window_moves_at_the_fiscal_year_boundary_in_tokyo(
    as_role, database, ward, staff, frozen_clock, moment, day, accepted
):
    import tests.conftest as moments

    frozen_clock(getattr(moments, moment))
    coordinator = as_role("coordinator")
    before = count(database, ClassSession)
    response = coordinator.post("/office/sessions/new", data=class_form(ward, staff, date=day))
    if accepted:
        assert response.status_code == 302, _error_on(response.get_data(as_text=True), "date")
        assert count(database, ClassSession) == before + 1
    else:
        assert response.status_code == 422
        assert "A class can be scheduled from" in _error_on(response.get_data(as_text=True), "date")
        assert count(database, ClassSession) == before


def test_the_window_is_said_in_japanese(as_role, database, ward, staff, frozen_clock):
    from classroom.models import User
    from tests.conftest import TOKYO_NEXT_DAY

    with database.write() as db:
        db.get(User, staff.coordinator).language = "ja"
    frozen_clock(TOKYO_NEXT_DAY)
    coordinator = as_role("coordinator")
    response = coordinator.post(
        "/office/sessions/new", data=class_form(ward, staff, date="0001-01-01")
    )
    message = _error_on(response.get_data(as_text=True), "date")
    assert "2025-04-01" in message and "2029-03-31" in message
    assert "年度" in message, message


# -- readings and phone numbers: one rule (classroom/services/phones.py), every door ----

#: (field, value, words of the message a person sees)
GARBAGE = [
    ("reading", "ー", "at least one kana letter"),
    ("reading", "ー・ー", "at least one kana letter"),
    ("phone", "0000000000", "starts with 0 and then a digit other than 0"),
    ("phone", "1234567890", "starts with 0 and then a digit other than 0"),
    ("phone", "090-1234-567", "has 11 digits"),
    ("phone", "090-1234-5678" + "-" * 30, "10 or 11 digits"),
]


def _participants(database) -> int:
    from classroom.models import Participant

    return count(database, Participant)


@pytest.mark.parametrize("field, value, words", GARBAGE)
def test_the_office_form_refuses_garbage_on_its_field(coordinator, database, field, value, words):
    data = {
        "family_name": "山田",
        "given_name": "次郎",
        "reading": "ヤマダ ジロウ",
        "phone": "03-1234-5678",
        "birth_year": "1950",
        "device": "iphone",
        "consent": "y",
        field: value,
    }
    before = _participants(database)
    response = coordinator.post("/office/residents/new", data=data)
    assert response.status_code == 422
    message = _error_on(response.get_data(as_text=True), field)
    assert words in message or (len(value) > 30 and "longer than 30 characters" in message)
    assert _participants(database) == before


@pytest.mark.parametrize("field, value, words", GARBAGE[:3])
def test_the_kiosk_api_refuses_garbage_on_its_field(api_kiosk, database, ward, field, value, words):
    before = _participants(database)
    response = api_kiosk.books(ward.session_id, **{field: value})
    assert response.status_code == 422, response.json
    assert words in response.json["errors"][field]
    assert _participants(database) == before


@pytest.fixture
def api_kiosk(app, database):
    from tests.web.test_api import KioskClient, add_kiosk

    return KioskClient(app, add_kiosk(database))


@pytest.mark.parametrize("field, value, words", GARBAGE)
def test_an_import_row_with_garbage_is_named_and_nothing_is_written(
    as_role, database, field, value, words
):
    row = {"ふりがな": "サトウ イチロウ", "電話番号": "03-1234-0000", "同意": "はい"}
    row[{"reading": "ふりがな", "phone": "電話番号"}[field]] = value
    sheet = ",".join(row) + "\r\n" + ",".join(row.values()) + "\r\n"
    response = as_role("coordinator").post(
        "/reports/import",
        data={"file": (io.BytesIO(sheet.encode("utf-8")), "old.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert _participants(database) == 0


def test_good_numbers_of_every_kind_are_kept_as_typed(coordinator, database):
    from classroom.models import Participant

    numbers = {
        "03-1234-5678": "0312345678",
        "０９０－１２３４－５６７８": "09012345678",
        "050-1234-5678": "05012345678",
        "0120-123-456": "0120123456",
        "0800-123-4567": "08001234567",
        "+81 90-1111-2222": "09011112222",
    }
    for n, (typed, digits) in enumerate(numbers.items()):
        response = coordinator.post(
            "/office/residents/new",
            data={
                "reading": f"テスト {'アイウエオカ'[n]}",
                "phone": typed,
                "consent": "y",
                "device": "unknown",
            },
        )
        assert response.status_code == 302, _error_on(response.get_data(as_text=True), "phone")
        with database.read() as db:
            stored = db.get(Participant, int(response.location.rsplit("/", 1)[1]))
            assert stored.phone_digits == digits


def test_an_import_row_for_a_class_in_year_1_is_named_not_a_500(as_role, database, ward):
    sheet = "ふりがな,電話番号,同意,講座コード,開始日時\r\nサトウ,03-1234-0000,はい,intro-iphone,0001-01-01 00:00\r\n"
    response = as_role("coordinator").post(
        "/reports/import",
        data={"file": (io.BytesIO(sheet.encode("utf-8")), "old.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "No class of course intro-iphone starts at 0001-01-01 00:00" in response.get_data(
        as_text=True
    )


# -- a creating form sent twice creates once and shows the first result ---------------


def _token(html: str, name: str = "form_token") -> str:
    match = re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]+)"', html)
    assert match, f"no {name} on the page"
    return match.group(1)


def test_a_class_form_sent_twice_schedules_one_class(coordinator, database, ward, staff):
    token = _token(coordinator.get("/office/sessions/new").get_data(as_text=True))
    data = class_form(ward, staff, date=_next_thursday().isoformat(), form_token=token)
    before = count(database, ClassSession)
    first = coordinator.post("/office/sessions/new", data=data)
    again = coordinator.post("/office/sessions/new", data=data)
    assert first.status_code == 302 and again.status_code == 303
    assert again.location == first.location  # the class scheduled the first time
    assert count(database, ClassSession) == before + 1
    html = coordinator.get(again.location).get_data(as_text=True)
    assert "This form was already sent" in html
    # a new page is a new token: the same class can be scheduled again on purpose
    token2 = _token(coordinator.get("/office/sessions/new").get_data(as_text=True))
    assert token2 != token
    third = coordinator.post("/office/sessions/new", data={**data, "form_token": token2})
    assert third.status_code == 302 and count(database, ClassSession) == before + 2


def _next_thursday():
    from datetime import date, timedelta

    day = date.today() + timedelta(days=14)  # the window is years wide: any date near now
    return day + timedelta(days=(3 - day.weekday()) % 7)


def test_a_refused_submit_leaves_its_token_unused(coordinator, database, ward, staff):
    token = _token(coordinator.get("/office/sessions/new").get_data(as_text=True))
    data = class_form(ward, staff, date=_next_thursday().isoformat(), form_token=token)
    refused = coordinator.post("/office/sessions/new", data={**data, "capacity": "999"})
    assert refused.status_code == 422
    assert _token(refused.get_data(as_text=True)) == token  # the corrected form keeps it
    assert coordinator.post("/office/sessions/new", data=data).status_code == 302


def test_a_questionnaire_sent_twice_counts_once(as_role, database, ward):
    from classroom.models import QuestionnaireResponse
    from classroom.services import sessions
    from classroom.services.actor import Actor

    with database.write() as db:
        sessions.mark_held(db, ward.today_session_id, actor=Actor.system())
    instructor = as_role("instructor")
    page = f"/teach/sessions/{ward.today_session_id}/questionnaires"
    token = _token(instructor.get(page).get_data(as_text=True))
    data = {"satisfaction": "5", "comment": "よかった", "form_token": token}
    first = instructor.post(page, data=data)
    again = instructor.post(page, data=data)
    assert first.status_code == 303 and again.status_code == 303
    assert count(database, QuestionnaireResponse) == 1
    html = instructor.get(again.location).get_data(as_text=True)
    assert "This form was already sent" in html
    # the next paper questionnaire is a new page, so it counts
    token2 = _token(instructor.get(page).get_data(as_text=True))
    instructor.post(page, data={**data, "form_token": token2})
    assert count(database, QuestionnaireResponse) == 2


def test_a_new_resident_sent_twice_is_added_once(coordinator, database):
    token = _token(coordinator.get("/office/residents/new").get_data(as_text=True))
    data = {
        "reading": "ニド オシタ",
        "phone": "03-5555-0000",
        "consent": "y",
        "device": "unknown",
        "not_a_duplicate": "y",
        "form_token": token,
    }
    before = _participants(database)
    first = coordinator.post("/office/residents/new", data=data)
    again = coordinator.post("/office/residents/new", data=data)
    assert first.status_code == 302 and again.location == first.location
    assert _participants(database) == before + 1


def test_one_members_token_is_not_another_members(as_role, database, ward, staff):
    """A token is hashed with who sent it: another coordinator's page is not replayed."""
    first = as_role("coordinator")
    token = _token(first.get("/office/sessions/new").get_data(as_text=True))
    data = class_form(ward, staff, date=_next_thursday().isoformat(), form_token=token)
    assert first.post("/office/sessions/new", data=data).status_code == 302
    response = as_role("admin").post("/office/sessions/new", data=data)
    assert response.status_code == 302 and "already sent" not in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["x" * 200, "短い", "a b c d e f g h i j", "\x00" * 20])
def test_a_damaged_form_token_is_explained_and_saves_nothing(
    coordinator, database, ward, staff, token
):
    before = count(database, ClassSession)
    response = coordinator.post(
        "/office/sessions/new",
        data=class_form(ward, staff, date=_next_thursday().isoformat(), form_token=token),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This form came back damaged" in html
    assert _token(html) != token  # a fresh token to send the corrected form with
    assert count(database, ClassSession) == before


def test_a_200_character_idempotency_key_is_explained_not_a_500(coordinator, database, ward):
    from classroom.models import Registration

    response = coordinator.post(
        f"/office/residents/{ward.resident_id}/register",
        data={"session_id": ward.session_id, "source": "phone", "idempotency_key": "k" * 200},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This form came back damaged" in html
    fresh = _token(html, "idempotency_key")
    assert len(fresh) <= 64
    assert count(database, Registration) == 0
    again = coordinator.post(
        f"/office/residents/{ward.resident_id}/register",
        data={"session_id": ward.session_id, "source": "phone", "idempotency_key": fresh},
    )
    assert again.status_code == 302 and count(database, Registration) == 1


# -- the development server answers 414 to a request line over 64 KB ------------------


@pytest.fixture
def dev_server(app):
    """`tsunagu serve`'s server and request log (web/cli.py), on a free port."""
    import threading

    from werkzeug.serving import make_server

    from web.cli import _PathOnlyLog

    server = make_server("127.0.0.1", 0, app, request_handler=_PathOnlyLog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(5)


def _raw(server, request: bytes) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as s:
        s.sendall(request)
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    return answer


def test_a_request_line_over_64_kb_is_answered_414(dev_server, capfd):
    answer = _raw(dev_server, b"GET /?q=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith((b"HTTP/1.0 414", b"HTTP/1.1 414")), answer[:80]
    assert "AttributeError" not in capfd.readouterr().err
    # and the server goes on answering
    assert b" 200 " in _raw(
        dev_server, b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )


def test_a_venue_sent_twice_is_added_once_without_a_name_clash(as_role, database):
    from classroom.models import Venue

    admin = as_role("admin")
    token = _token(admin.get("/admin/venues/new").get_data(as_text=True))
    data = {
        "name": "二度押し会館",
        "kind": "library",
        "capacity": "20",
        "loaner_phones": "0",
        "form_token": token,
    }
    first = admin.post("/admin/venues/new", data=data)
    again = admin.post("/admin/venues/new", data=data)
    assert first.status_code == 302 and again.status_code == 303
    html = admin.get(again.location).get_data(as_text=True)
    assert "This form was already sent" in html and "already" not in _error_on(html, "name")
    assert count(database, Venue, name="二度押し会館") == 1


def test_a_phone_lent_twice_by_a_double_click_is_lent_once_without_an_error(
    coordinator, database, ward
):
    from classroom.models import PhoneLoan, Source, Venue
    from classroom.services import registration
    from classroom.services.actor import Actor

    with database.write() as db:
        db.get(Venue, ward.venue_id).loaner_phones = 2
        registration.register(
            db,
            session_id=ward.today_session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    page = coordinator.get(f"/office/sessions/{ward.today_session_id}").get_data(as_text=True)
    data = {"participant_id": ward.resident_id, "phone_label": "貸出-1", "form_token": _token(page)}
    first = coordinator.post(f"/office/sessions/{ward.today_session_id}/loans", data=data)
    again = coordinator.post(f"/office/sessions/{ward.today_session_id}/loans", data=data)
    assert first.status_code == 302 and again.status_code == 303
    html = coordinator.get(again.location).get_data(as_text=True)
    assert "This form was already sent" in html and "already" not in _error_on(html, "phone_label")
    assert count(database, PhoneLoan) == 1
