"""Logging in and out: one message for every failure, throttling, new sessions, real logout."""

from __future__ import annotations

from datetime import timedelta

from classroom.models import AuditEvent, StaffSession, User, utcnow
from classroom.services import accounts
from tests.web.conftest import PASSWORD, log_in

GENERIC = "The login name or password is not correct."


def test_a_coordinator_logs_in_and_lands_on_the_residents(client, staff):
    response = log_in(client, "coordinator")
    assert response.status_code == 302 and response.location == "/office/residents"
    assert client.get("/office/residents").status_code == 200


def test_an_instructor_lands_on_their_classes(client, staff):
    assert log_in(client, "instructor").location == "/teach/"


def test_wrong_password_and_unknown_login_get_the_same_answer(client, staff):
    wrong = log_in(client, "coordinator", "not-the-password")
    unknown = log_in(client, "nobody-here", "not-the-password")
    empty = log_in(client, "coordinator", "")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert GENERIC in response.get_data(as_text=True)
    assert empty.status_code == 422
    assert wrong.get_data(as_text=True).replace("coordinator", "X") == unknown.get_data(
        as_text=True
    ).replace("nobody-here", "X")


def test_a_disabled_account_gets_the_same_answer(client, staff, database):
    with database.write() as db:
        db.get(User, staff.coordinator).active = False
    response = log_in(client, "coordinator")
    assert GENERIC in response.get_data(as_text=True)


def test_failed_logins_are_throttled_and_recorded(client, staff, database):
    for _ in range(accounts.MAX_FAILURES_PER_LOGIN):
        assert log_in(client, "coordinator", "guess-guess").status_code == 200
    throttled = log_in(client, "coordinator")  # even the right password
    assert throttled.status_code == 429
    assert "Please try again in 1 minute." in throttled.get_data(as_text=True)
    assert client.get("/office/residents").status_code == 302
    with database.read() as db:
        failures = db.query(AuditEvent).filter_by(action="auth.login_failed").count()
    assert failures == accounts.MAX_FAILURES_PER_LOGIN


def test_a_login_with_control_characters_is_refused_with_a_message(client, staff, database):
    """A NUL in the login name was a server error on PostgreSQL (it refuses NUL in text)."""
    with database.read() as db:
        before = db.query(AuditEvent).count()
    response = log_in(client, "coordinator\x00", "\x1b" + PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("This contains invisible control characters.") >= 2  # both fields
    assert client.get("/office/residents").status_code == 302
    with database.read() as db:
        assert db.query(AuditEvent).count() == before


def test_login_starts_a_new_session(client, staff):
    client.get("/login")
    with client.session_transaction() as s:
        s["left_over"] = "from before the login"
    log_in(client, "coordinator")
    with client.session_transaction() as s:
        assert "left_over" not in s
        assert s.get("sid") and s.get("_user_id") == str(staff.coordinator)


def staff_sessions(database) -> int:
    with database.read() as db:
        return db.query(StaffSession).count()


def test_logout_ends_the_session_on_the_server(app, client, staff, database):
    log_in(client, "coordinator")
    assert staff_sessions(database) == 1
    cookie = client.get_cookie("tsunagu_session").value
    response = client.post("/logout")
    assert staff_sessions(database) == 0
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/office/residents").status_code == 302
    # a copy of the cookie taken before logout no longer opens anything
    thief = app.test_client()
    thief.set_cookie("tsunagu_session", cookie)
    response = thief.get("/office/residents")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_an_expired_session_is_anonymous(client, staff, database):
    log_in(client, "coordinator")
    with database.write() as db:
        db.query(StaffSession).one().expires_at = utcnow() - timedelta(seconds=1)
    response = client.get("/office/residents")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_live_session_opens_only_its_own_account(client, staff, database):
    # the session row names its user: a cookie with another user's id is anonymous
    log_in(client, "instructor")
    with database.write() as db:
        coordinator = db.query(User).filter_by(login="coordinator").one().id
        db.query(StaffSession).one().user_id = coordinator
    response = client.get("/teach/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_logout_is_a_post(client, staff):
    log_in(client, "coordinator")
    assert client.get("/logout").status_code == 405
    assert client.get("/office/residents").status_code == 200


def test_login_goes_back_where_one_was_going_but_never_off_site(client, staff):
    response = client.get("/office/sessions")
    assert response.location == "/login?next=/office/sessions"
    response = client.post(
        "/login?next=/office/sessions", data={"login": "coordinator", "password": PASSWORD}
    )
    assert response.location == "/office/sessions"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            f"/login?next={evil}", data={"login": "coordinator", "password": PASSWORD}
        )
        assert response.location == "/office/residents", evil
        client.post("/logout")


def test_pages_with_personal_data_are_not_cached(as_role, ward):
    response = as_role("coordinator").get(f"/office/residents/{ward.resident_id}")
    assert response.headers["Cache-Control"] == "no-store"
