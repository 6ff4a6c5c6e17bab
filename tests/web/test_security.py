"""Security beyond the role table: TLS headers, proxies, kiosk tokens, and what logs hold.

The role × route matrix is tests/web/test_access.py, CSRF tests/web/test_csrf.py, login
throttling and new sessions on login tests/web/test_auth.py. Here: HSTS only over TLS,
X-Forwarded-* trusted only when configured, a kiosk token opening no staff page, and no
personal data in the server's own output while staff and kiosks handle it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from classroom.models import AuditEvent
from classroom.services import kiosks as kiosk_service
from classroom.services.actor import Actor
from tests.web import test_access
from tests.web.conftest import build_app, log_in
from web import trusted_proxies

#: the access table's fixture: a resident, sessions, a registration ... to fill its paths
ids = test_access.ids


def test_hsts_only_over_tls(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://tsunagu.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_headers_are_ignored_unless_a_proxy_is_trusted(database, tmp_path, staff):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    plain = build_app(database, tmp_path).test_client()
    assert "Strict-Transport-Security" not in plain.get("/login", headers=forwarded).headers
    log_in(plain, "coordinator", "wrong-password-1")

    behind_nginx = build_app(database, tmp_path, TRUSTED_PROXIES=1).test_client()
    assert "Strict-Transport-Security" in behind_nginx.get("/login", headers=forwarded).headers
    behind_nginx.post(
        "/login", data={"login": "coordinator", "password": "wrong-password-2"}, headers=forwarded
    )
    with database.read() as db:
        addresses = [
            e.remote_addr
            for e in db.query(AuditEvent)
            .filter_by(action="auth.login_failed")
            .order_by(AuditEvent.id)
        ]
    # a client cannot put an address of its choosing into the audit trail by sending the header
    assert addresses == ["127.0.0.1", "203.0.113.9"]


@pytest.mark.parametrize("raw, expected", [("", 0), ("0", 0), ("1", 1), (" 2 ", 2)])
def test_trusted_proxies_setting(raw, expected):
    assert trusted_proxies({"TSUNAGU_TRUSTED_PROXIES": raw} if raw else {}) == expected


@pytest.mark.parametrize("raw", ["-1", "yes", "9"])
def test_a_wrong_trusted_proxies_setting_is_refused_at_start(raw):
    with pytest.raises(ValueError, match="TSUNAGU_TRUSTED_PROXIES"):
        trusted_proxies({"TSUNAGU_TRUSTED_PROXIES": raw})


def test_a_kiosk_token_opens_no_staff_route(app, database, ids):
    with database.write() as db:
        _kiosk, token = kiosk_service.create_kiosk(
            db, name="counter-1", location="1F", actor=Actor.cli()
        )
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    for method, template, _roles in test_access.TABLE:
        path = template.format(**ids)
        response = client.open(path, method=method, headers=bearer, data={})
        assert response.status_code in (302, 401, 403), f"{method} {path}: {response.status_code}"
        if response.status_code == 302:
            assert response.location.startswith("/login"), f"{method} {path} → {response.location}"


def test_database_errors_do_not_carry_the_values_sent(database):
    with pytest.raises(Exception) as caught, database.write() as db:
        db.execute(text("SELECT :reading FROM no_such_table"), {"reading": "はすみ さくたろう"})
    assert "はすみ" not in str(caught.value)


# -- the server's own output while personal data passes through it ------------------------

RESIDENT = {
    "family_name": "蓮見",
    "given_name": "朔太郎",
    "reading": "はすみ さくたろう",
    "phone": "090-7345-2618",
    "birth_year": "1939",
}
KIOSK_RESIDENT = {"reading": "かざま ちよこ", "phone": "080-5521-9043", "birth_year": 1944}
#: what must never appear in a log; the phone numbers also without hyphens
SECRETS = [
    "蓮見",
    "朔太郎",
    "はすみ",
    "7345",
    "2618",
    "かざま",
    "ちよこ",
    "5521",
    "9043",
    "%E3%81%AF%E3%81%99%E3%81%BF",  # はすみ, percent-encoded as it travels in a query
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tsunagu(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tsunagu.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _first_option(html: str, name: str) -> str:
    """The first choice offered for `name`: a select's option or a radio button."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        return next(v for v in re.findall(r'<option[^>]*value="([^"]*)"', select.group(1)) if v)
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]+)"', html).group(1)


def _staff_and_kiosk_handle_personal_data(base: str, login: str, password: str, token: str) -> None:
    web = requests.Session()
    page = web.get(f"{base}/login", timeout=30).text
    r = web.post(
        f"{base}/login",
        data={"csrf_token": _csrf(page), "login": login, "password": password},
        timeout=30,
    )
    assert r.url.endswith("/office/residents"), r.url
    form = web.get(f"{base}/office/residents/new", timeout=30).text
    r = web.post(
        f"{base}/office/residents/new",
        timeout=30,
        data={
            **RESIDENT,
            "csrf_token": _csrf(form),
            "device": _first_option(form, "device"),
            "consent": "y",
            "not_a_duplicate": "y",
            "note": "耳が遠い 090-7345-2618",
        },
    )
    resident_page = r.url
    assert re.search(r"/office/residents/\d+$", resident_page), r.status_code
    for q in ("はすみ", "7345", "蓮見"):
        found = web.get(f"{base}/office/residents/search.json", params={"q": q}, timeout=30).json()
        assert [r["reading"] for r in found["results"]] == [RESIDENT["reading"]], q
        web.get(f"{base}/office/residents", params={"q": q}, timeout=30)
    page = web.get(f"{resident_page}/register", timeout=30).text
    web.post(
        f"{resident_page}/register",
        timeout=30,
        data={
            "csrf_token": _csrf(page),
            "session_id": _first_option(page, "session_id"),
            "source": _first_option(page, "source"),
            "idempotency_key": re.search(r'name="idempotency_key"[^>]*value="([^"]*)"', page).group(
                1
            ),
        },
    )
    web.get(f"{resident_page}/edit", timeout=30)

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    session_id = api.get(f"{base}/api/v1/sessions", timeout=30).json()["sessions"][0]["id"]
    booked = api.post(
        f"{base}/api/v1/registrations",
        timeout=30,
        headers={"Idempotency-Key": "log-scan-0001"},
        json={"session_id": session_id, "device": "android", **KIOSK_RESIDENT},
    )
    assert booked.status_code == 201, booked.text
    # bad input echoes nothing either: a phone with letters, a reading in kanji
    bad = api.post(
        f"{base}/api/v1/registrations",
        timeout=30,
        headers={"Idempotency-Key": "log-scan-0002"},
        json={
            "session_id": session_id,
            "device": "android",
            "reading": "風間千代子",
            "phone": "080-5521-9043x",
            "birth_year": 1944,
        },
    )
    assert bad.status_code == 422


@pytest.mark.wall_clock
@pytest.mark.parametrize("mode", ["serve", "serve --prod"])
def test_no_personal_data_in_the_servers_output(tmp_path: Path, mode: str):
    env = {
        **os.environ,
        "TSUNAGU_INSTANCE_DIR": str(tmp_path),
        "TSUNAGU_DATABASE_URL": f"sqlite:///{tmp_path / 'logs.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    if "--prod" in mode:  # a ward's own content settings: --prod refuses the samples
        own = tmp_path / "ward-settings.yaml"
        sample = (Path(__file__).parents[2] / "content" / "settings.sample.yaml").read_text()
        own.write_text(sample.replace("sample: true", "sample: false"))
        env["TSUNAGU_CONTENT_SETTINGS"] = str(own)
    _tsunagu(env, "db", "upgrade")
    _tsunagu(env, "demo", "--if-empty", "--logins")
    login, _role, password = (tmp_path / "demo-logins.txt").read_text().splitlines()[1].split("\t")
    token = _tsunagu(env, "kiosks", "add", "log-scan", "--location", "1F").strip().splitlines()[-1]
    port = _free_port()
    args = mode.split() + ["--port", str(port)] + (["--workers", "2"] if "--prod" in mode else [])
    log_file = tmp_path / "server.log"
    with log_file.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "tsunagu.cli", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/login", timeout=2)
                break
            except (requests.ConnectionError, requests.Timeout):  # workers still booting
                assert server.poll() is None and time.monotonic() < deadline, log_file.read_text()
                time.sleep(0.2)
        _staff_and_kiosk_handle_personal_data(base, login, password, token)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    output = log_file.read_text(errors="replace")
    # the log did record the requests (so an empty log cannot pass) ...
    assert "/office/residents/search.json" in output and "/api/v1/registrations" in output, output
    # ... and none of what was typed
    leaked = [s for s in SECRETS if s in output]
    assert not leaked, f"personal data in the server's output: {leaked}\n{output[-3000:]}"


def test_ids_beyond_the_database_integer_are_not_found(as_role):
    admin = as_role("admin")
    huge = {k: 99_999_999_999 for k in "rsogcnvk"}
    checked = 0
    for method, template, _roles in test_access.TABLE:
        placeholders = set(re.findall(r"\{(\w)\}", template))
        if not placeholders or not placeholders <= set(huge):
            continue  # no id, or a lesson/guide name rather than a number
        response = admin.open(template.format(**huge), method=method, data={})
        assert response.status_code in (404, 405), f"{method} {template}: {response.status_code}"
        checked += 1
    assert checked >= 20
