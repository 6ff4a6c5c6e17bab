"""The kiosk API's rate limit through Flask-Limiter (issue 13, item 13), in one process.

Two apps on one Redis stand for two servers here (quick); tests/web/test_multi_server.py
does it with two real gunicorn servers. A Redis that is down never stops a kiosk.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from tests.web.conftest import build_app
from tests.web.test_api import KioskClient, add_kiosk
from tests.web.test_multi_server import redis_or_skip
from web.api.ratelimit import storage_uri

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
