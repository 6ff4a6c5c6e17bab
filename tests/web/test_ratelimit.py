"""The kiosk API's rate limit (issue 13, item 13), in one process.

Two apps on one Redis stand for two servers here (quick); tests/web/test_multi_server.py
does it with two real gunicorn servers. A Redis that is down never stops a kiosk.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest

from tests.web.conftest import build_app
from tests.web.test_api import KioskClient, add_kiosk
from tests.web.test_multi_server import redis_or_skip
from web.api.ratelimit import LocalWindows, storage_uri

REDIS_URL = "redis://127.0.0.1:6379/0"


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_apps_on_one_redis_share_one_limit(database, tmp_path):
    store = redis_or_skip()
    prefix = f"tsunagu-test-{uuid.uuid4().hex[:12]}"
    config = {
        "API_RATE_LIMIT": (4, 600),
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    token = add_kiosk(database)
    one = KioskClient(build_app(database, tmp_path / "a", **config), token)
    two = KioskClient(build_app(database, tmp_path / "b", **config), token)
    try:
        answers = [(one, two)[n % 2].get("/api/v1/sessions").status_code for n in range(6)]
        assert answers == [200, 200, 200, 200, 429, 429]
    finally:
        for key in store.scan_iter(match=f"*{prefix}*"):
            store.delete(key)


def test_a_redis_that_is_down_does_not_stop_the_kiosks(database, tmp_path, caplog):
    app = build_app(
        database,
        tmp_path,
        API_RATE_LIMIT=(3, 60),
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{unused_port()}/0",
    )
    kiosk = KioskClient(app, add_kiosk(database))
    # counted in this process instead, so the limit still holds here
    assert [kiosk.get("/api/v1/sessions").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "rate limit storage unavailable" in caplog.text


def test_the_redis_url_is_checked():
    assert storage_uri({}) == "memory://"
    assert storage_uri({"TSUNAGU_REDIS_URL": " redis://10.0.0.10:6379/0 "}) == (
        "redis://10.0.0.10:6379/0"
    )
    with pytest.raises(ValueError, match="TSUNAGU_REDIS_URL"):
        storage_uri({"TSUNAGU_REDIS_URL": "http://10.0.0.10:6379"})


def test_a_kiosk_window_counts_to_its_limit_and_opens_again_when_it_ends():
    now = [1000.0]
    windows = LocalWindows(clock=lambda: now[0])
    assert [windows.hit("kiosk-1", 2, 60) for _ in range(3)] == [True, True, False]
    assert windows.hit("kiosk-2", 2, 60)  # each kiosk has its own window
    assert windows.retry_after("kiosk-1") == 60
    now[0] += 59.5
    assert not windows.hit("kiosk-1", 2, 60)
    assert windows.retry_after("kiosk-1") == 0.5
    now[0] += 0.5
    assert windows.hit("kiosk-1", 2, 60)


def test_ended_windows_are_dropped_when_the_table_grows():
    now = [0.0]
    windows = LocalWindows(clock=lambda: now[0])
    windows.PRUNE_AT = 3
    for kiosk in ("a", "b", "c"):
        windows.hit(kiosk, 5, 10)
    now[0] = 10.0
    windows.hit("d", 5, 10)
    assert set(windows._windows) == {"d"}


def test_counting_a_kiosk_request_starts_no_thread(database, tmp_path, monkeypatch):
    """The in-memory count of `limits` started a timer thread on nearly every request
    (issue 21: about 2 ms of each, more during a booking burst)."""
    kiosk = KioskClient(build_app(database, tmp_path, API_RATE_LIMIT=(3, 60)), add_kiosk(database))
    kiosk.get("/api/v1/sessions")
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread.name))
    answers = []
    for _ in range(3):
        time.sleep(0.02)  # longer than the timer `limits` kept alive after each count
        answers.append(kiosk.get("/api/v1/sessions").status_code)
    assert answers == [200, 200, 429]
    assert started == []
