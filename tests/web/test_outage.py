"""The database goes away: the site answers a calm 503, kiosks queue, nothing is lost.

On PostgreSQL the app reaches the database through tests/faultproxy.py, served live by
werkzeug on 127.0.0.1; the proxy cuts the database for ``CUT_SECONDS`` (open connections
reset, new ones swallowed: a host gone silent) and gives it back. On SQLite a file held
locked past the busy timeout, and a file that cannot be opened, answer 503 too.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

import classroom.db
from classroom.db import Database
from classroom.models import Base, HelpRequest, Participant, Registration, UsageEvent
from classroom.services import kiosks as kiosk_service
from classroom.services.actor import Actor
from kiosk.services.api import ApiClient
from kiosk.services.outbox import Outbox
from kiosk.visit import Visit
from tests.conftest import PG_URL
from tests.faultproxy import FaultProxy
from tests.web.conftest import PASSWORD, build_app

#: how long the database is away (the issue asks for 10 s)
CUT_SECONDS = 10.0
#: a page must answer within this during the cut (connect timeout 5 s, plus slack)
ANSWER_WITHIN = 8.0
CALM = "The system is busy or under maintenance."


@pytest.fixture
def proxy():
    url = make_url(PG_URL)
    with FaultProxy((url.host or "127.0.0.1", url.port or 5432)) as p:
        yield p


@pytest.fixture
def database(request, proxy):
    """PostgreSQL (a private schema) reached through the proxy; overrides the shared one."""
    schema = request.getfixturevalue("pg_schema")
    url = make_url(PG_URL).set(host="127.0.0.1", port=proxy.port)
    db = Database(url.render_as_string(hide_password=False), connect_args=schema.connect_args())
    with db.engine.begin() as conn:
        conn.exec_driver_sql(schema.empty_script)  # as tests/conftest.py's make_database
    yield db
    db.dispose()


def serve(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def fetch(
    url: str, data: dict | None = None, language: str = "en", cookie: str = "", token: str = ""
) -> tuple[int, dict, str, float]:
    """(status, headers, body, seconds) of one request, errors included."""
    body = None if data is None else urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept-Language": language})
    if cookie:
        request.add_header("Cookie", cookie)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            status, headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        status, headers, raw = exc.code, dict(exc.headers), exc.read()
    return status, headers, raw.decode("utf-8", "replace"), time.monotonic() - started


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, login: str) -> str:
    """The session cookie of a member of staff who logged in before the outage."""
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"login": login, "password": PASSWORD}).encode()
    try:
        opener.open(urllib.request.Request(base + "/login", data=body), timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.code == 302, exc.code
        return exc.headers["Set-Cookie"].split(";", 1)[0]
    raise AssertionError("the login did not redirect")


def count(database, model, **where) -> int:
    with database.read() as db:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.scalar(query)


def test_ten_seconds_without_postgresql_answer_503_and_lose_nothing(
    database, proxy, ward, tmp_path, caplog
):
    app = build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )
    with database.write() as db:
        token = kiosk_service.create_kiosk(
            db, name="lib-1", location="中央図書館", actor=Actor.cli()
        )[1]
    httpd = serve(app)
    base = f"http://127.0.0.1:{httpd.server_port}"
    try:
        cookie = log_in(base, "coordinator")
        client = ApiClient(base, token, timeout=15)
        session = next(s for s in client.sessions() if s["id"] == ward.session_id)
        box = Outbox(tmp_path / "outbox")
        visit = Visit(
            session=session,
            reading="サトウ\u3000ユウコ",
            phone_digits="09011112222",
            era="昭和",
            year_digits="25",
            birth_year=1950,
        )
        box.put("booking", visit.booking(), key=visit.confirm())
        box.put("help", {"screen": "confirm", "language": "ja"})
        for kind in ("booking_started", "speech_played"):
            box.put(
                "event",
                {
                    "kind": kind,
                    "at": "2026-11-26T00:00:00Z",
                    "language": "ja",
                    "text_size": "large",
                },
            )

        caplog.set_level(logging.WARNING, logger="web.errors")
        cut_at = time.monotonic()
        proxy.cut()
        # everyone at once during the cut: a login, a logged-in page, the public schedule,
        # a Japanese visitor, the API, and the kiosk's outbox
        with ThreadPoolExecutor(6) as pool:
            login = pool.submit(
                fetch, base + "/login", {"login": "coordinator", "password": PASSWORD}
            )
            staff_page = pool.submit(fetch, base + "/office/residents", cookie=cookie)
            schedule = pool.submit(fetch, base + "/")
            japanese = pool.submit(fetch, base + "/", language="ja")
            api = pool.submit(fetch, base + "/api/v1/sessions", token=token)
            flushed = pool.submit(box.flush, client, True)
            answers = {
                "login": login.result(),
                "staff page": staff_page.result(),
                "schedule": schedule.result(),
                "japanese": japanese.result(),
            }
            api_answer, deliveries = api.result(), flushed.result()
        assert time.monotonic() - cut_at < CUT_SECONDS, "the answers came during the cut"

        for name, (status, headers, body, seconds) in answers.items():
            assert status == 503, (name, status, body[:300])
            assert headers.get("Retry-After", "").isdigit(), name
            assert seconds < ANSWER_WITHIN, (name, seconds)
            assert "Traceback" not in body and "OperationalError" not in body, name
            assert "<html" in body, name
        assert CALM in answers["login"][2] and CALM in answers["schedule"][2]
        assert '<html lang="ja">' in answers["japanese"][2]
        status, headers, body, seconds = api_answer
        assert status == 503 and headers["Content-Type"].startswith("application/json")
        assert '"error":"unavailable"' in body.replace(" ", "") and seconds < ANSWER_WITHIN
        assert headers.get("Retry-After", "").isdigit()

        # the kiosk keeps everything, and will wait at least as long as it was asked to
        assert [d.outcome for d in deliveries] == ["pending"]
        assert len(box) == 4  # the booking, the help request, two events
        head = box.entries()[0]
        assert head["kind"] == "booking" and head["next_attempt_at"] >= time.time() + 20

        # one line per failed request, naming no one and carrying no SQL
        lines = [r.getMessage() for r in caplog.records if "database unavailable" in r.getMessage()]
        assert len(lines) >= 5
        assert not any("サトウ" in line or "SELECT" in line or "\n" in line for line in lines)

        time.sleep(max(0.0, CUT_SECONDS - (time.monotonic() - cut_at)))  # the rest of the cut
        proxy.restore()

        # the pool recovers by itself: the schedule answers again, no restart
        deadline = time.monotonic() + 15
        while (status := fetch(base + "/")[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200
        while len(box) and time.monotonic() < deadline:
            box.flush(client, force=True)
        assert len(box) == 0
        assert box.flush(client, force=True) == []
    finally:
        httpd.shutdown()
        httpd.server_close()

    with database.read() as db:
        people = db.scalars(select(Participant).where(Participant.reading == "サトウ ユウコ")).all()
        assert len(people) == 1
        booked = db.scalars(
            select(Registration).where(Registration.participant_id == people[0].id)
        ).all()
        assert len(booked) == 1 and booked[0].session_id == ward.session_id
    assert count(database, HelpRequest) == 1
    assert count(database, UsageEvent) == 2


# -- SQLite ------------------------------------------------------------------------------


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch):
    """A SQLite database whose busy timeout is short, so "locked" comes quickly."""
    monkeypatch.setattr(classroom.db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "site.sqlite3"
    db = Database(f"sqlite:///{path}", connect_args={"timeout": 0.3})
    Base.metadata.create_all(db.engine)
    yield db, path
    db.dispose()


def test_a_sqlite_file_locked_past_the_busy_timeout_answers_503(sqlite_file, tmp_path):
    database, path = sqlite_file
    app = build_app(database, tmp_path)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock and keeps it
    try:
        page = client.post("/login", data={"login": "someone", "password": "wrong-password"})
        api = client.post(
            "/api/v1/heartbeat",
            json={"app_version": "1"},
            headers={"Authorization": "Bearer not-a-token"},
        )
        schedule = client.get("/")  # WAL: readers do not wait for the writer
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert page.status_code == 503
    assert CALM in page.get_data(as_text=True) and "Traceback" not in page.get_data(as_text=True)
    assert page.headers["Retry-After"].isdigit()
    assert api.status_code == 503 and api.get_json()["error"] == "unavailable"
    assert api.headers["Retry-After"].isdigit()
    assert schedule.status_code == 200
    # the lock is gone: the same login is answered again (a wrong password, not a 503)
    again = client.post("/login", data={"login": "someone", "password": "wrong-password"})
    assert again.status_code == 200 and CALM not in again.get_data(as_text=True)


def test_a_sqlite_file_that_cannot_be_opened_answers_503_not_500(tmp_path):
    where = tmp_path / "not-a-file.sqlite3"
    where.mkdir()  # a directory where the database file should be: fails even for root
    database = Database(f"sqlite:///{where}")
    app = build_app(database, tmp_path)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ja"
    schedule = client.get("/")
    login = client.post("/login", data={"login": "someone", "password": "wrong-password"})
    for response in (schedule, login):
        assert response.status_code == 503
        body = response.get_data(as_text=True)
        assert '<html lang="ja">' in body and "Traceback" not in body
    database.dispose()


def test_a_real_bug_is_still_a_500_not_a_503(sqlite_file, tmp_path):
    """Only an unreachable database is 'busy': a missing table is a bug and says so."""
    database, _path = sqlite_file
    with database.engine.begin() as conn:
        conn.execute(text('DROP TABLE "class_session"'))
    app = build_app(database, tmp_path, TESTING=False)
    response = app.test_client().get("/")
    assert response.status_code == 500


def test_a_commit_that_meets_an_outage_answers_503_not_saved(
    sqlite_file, tmp_path, monkeypatch, request
):
    """The view went well but the commit failed: the page must not say it was done."""
    database, _path = sqlite_file
    request.getfixturevalue("fast_password_hashing")
    from classroom.models import Role
    from classroom.services import accounts

    with database.write() as db:
        accounts.create_user(
            db,
            login="coordinator",
            role=Role.COORDINATOR,
            password=PASSWORD,
            display_name="Coordinator",
            language="en",
            actor=Actor.cli(),
        )
    app = build_app(database, tmp_path)
    client = app.test_client()

    def disk_gone(dbapi_connection):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database.engine.dialect, "do_commit", disk_gone)
    response = client.post(
        "/login",
        data={"login": "coordinator", "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    monkeypatch.undo()
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and CALM in body
    assert "Location" not in response.headers, "not sent on as if logged in"
    assert response.headers["Retry-After"].isdigit()
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Coordinator" not in body, "rendered as for a visitor"
