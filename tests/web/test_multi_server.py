"""Two gunicorn servers on one Redis and one database hold one limit (issue 13, item 13).

Before: the kiosk API's limit was counted in each worker's memory, so N workers allowed
N × the limit. Now Flask-Limiter counts in Redis (TSUNAGU_REDIS_URL) and login
throttling in the shared database: both hold across servers and their workers.

Redis: TSUNAGU_TEST_REDIS_URL, else redis://127.0.0.1:6379/0 (development and CI). Every
key of this run starts with a prefix of its own, deleted at the end, so parallel runs
never meet. Without Redis the test is skipped and says why, unless
TSUNAGU_REQUIRE_POSTGRES=1 (CI), where a missing Redis is a failure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests

from classroom.db import Database
from classroom.models import Base, Role
from classroom.services import accounts, throttle
from classroom.services import kiosks as kiosk_service
from classroom.services.actor import Actor
from tests.conftest import ENGINES, PG_URL, PostgresSchema
from tests.web.conftest import csrf_token

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), pytest.mark.wall_clock]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TSUNAGU_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
HOST = "127.0.0.1"
LIMIT, WINDOW = 10, 600
PASSWORD = "tsunagu-multi-server"
STARTUP_S = 90


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}: {exc}"
        if os.environ.get("TSUNAGU_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (TSUNAGU_REQUIRE_POSTGRES=1: CI must have Redis)")
        pytest.skip(reason)
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn web:create_app()` with 2 workers, in its own process group."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"{HOST}:{self.port}"]
            + ["--graceful-timeout", "2", "web:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn ended: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.base + "/login", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        pytest.fail(f"gunicorn did not answer in {STARTUP_S} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture(params=ENGINES)
def two_servers(request, tmp_path):
    """Two gunicorn servers (2 workers each) on one Redis and one database (each engine)."""
    store = redis_or_skip()
    prefix = f"tsunagu-test-{uuid.uuid4().hex[:12]}"
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(f"API_RATE_LIMIT = ({LIMIT}, {WINDOW})\n")
    schema = None
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        database = Database(database_url)
    else:  # a private schema, as for the other tests; the servers find it by search_path
        schema = PostgresSchema(PG_URL)
        database_url = f"{PG_URL}?options=-csearch_path%3D{schema.name}"
        database = Database(database_url)
    Base.metadata.create_all(database.engine)
    with database.write() as db:
        token = kiosk_service.create_kiosk(db, name="lib-1", actor=Actor.cli())[1]
        accounts.create_user(
            db, login="coordinator", role=Role.COORDINATOR, password=PASSWORD, actor=Actor.cli()
        )
    env = {
        **os.environ,
        "TSUNAGU_INSTANCE_DIR": str(instance),
        "TSUNAGU_DATABASE_URL": database_url,
        "TSUNAGU_SECRET_KEY": uuid.uuid4().hex,
        "TSUNAGU_REDIS_URL": REDIS_URL,
        "TSUNAGU_REDIS_PREFIX": prefix,
        "TSUNAGU_TRUSTED_PROXIES": "0",
    }
    servers = [Gunicorn(env, tmp_path / f"gunicorn-{n}.log") for n in (1, 2)]
    try:
        deadline = time.monotonic() + STARTUP_S
        for server in servers:
            server.wait_ready(deadline)
        yield servers, token, database, store, prefix
    finally:
        for server in servers:
            server.stop()
        database.dispose()
        if schema is not None:
            schema.drop()
        for key in store.scan_iter(match=f"*{prefix}*"):
            store.delete(key)


def test_the_kiosk_api_limit_holds_across_two_servers_on_one_redis(two_servers):
    servers, token, _database, store, prefix = two_servers
    headers = {"Authorization": f"Bearer {token}"}
    statuses, last = [], None
    for n in range(LIMIT + 6):  # alternately, each on a new connection (any worker)
        last = requests.get(servers[n % 2].base + "/api/v1/sessions", headers=headers, timeout=30)
        statuses.append(last.status_code)
    # 2 servers × 2 workers counting alone would have let all 16 through
    assert statuses == [200] * LIMIT + [429] * 6, statuses
    assert last.json()["error"] == "rate_limited"
    assert 1 <= int(last.headers["Retry-After"]) <= WINDOW
    # the count lives in Redis, under this run's prefix
    assert [key for key in store.scan_iter(match=f"*{prefix}*")], "nothing counted in Redis"


def login_form(server: Gunicorn) -> tuple[requests.Session, str]:
    browser = requests.Session()
    return browser, csrf_token(browser.get(server.base + "/login", timeout=30).text)


def log_in(server: Gunicorn, password: str, form=None) -> requests.Response:
    browser, token = form or login_form(server)
    return browser.post(
        server.base + "/login",
        data={"login": "coordinator", "password": password, "csrf_token": token},
        headers={"Accept-Language": "en"},
        allow_redirects=False,
        timeout=30,
    )


def test_login_throttling_holds_across_two_servers(two_servers):
    servers = two_servers[0]
    answers = [log_in(servers[n % 2], f"guess-{n}").status_code for n in range(5)]
    assert answers == [200] * throttle.FREE_PER_PAIR
    for server in servers:  # the right password now waits, on either server
        refused = log_in(server, PASSWORD)
        assert refused.status_code == 429
        assert "Please try again in 1 minute." in refused.text


def test_concurrent_guesses_on_two_servers_are_counted_exactly(two_servers):
    """Before: with 3 gunicorn workers on PostgreSQL 7 guesses were checked instead of 5."""
    servers = two_servers[0]
    guesses = 12
    forms = [(servers[n % 2], login_form(servers[n % 2])) for n in range(guesses)]
    start = threading.Barrier(guesses)
    answers: list[int] = []

    def guess(n: int) -> None:
        server, form = forms[n]
        start.wait(timeout=30)
        answers.append(log_in(server, f"guess-{n}", form).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # a wrong password that was checked answers 200; one refused unchecked answers 429
    assert sorted(answers) == [200] * throttle.FREE_PER_PAIR + [429] * (
        guesses - throttle.FREE_PER_PAIR
    ), answers
