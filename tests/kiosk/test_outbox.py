"""The outbox: on disk, in order, exactly once; the API client's errors. No window needed."""

from __future__ import annotations

import json
import os
import socket

import pytest

from kiosk.services import outbox as outbox_module
from kiosk.services.api import ApiClient, Rejected, Unreachable
from kiosk.services.outbox import Outbox, backoff
from tests.kiosk.fake_server import SESSION, FakeApi

BOOKING = {
    "session_id": 12,
    "reading": "ヤマダ ハナコ",
    "phone": "090-0000-0001",
    "birth_year": 1948,
    "device": "iphone",
}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def api():
    with FakeApi() as server:
        yield server


@pytest.fixture
def client(api):
    return ApiClient(api.url, "secret", timeout=2)


def test_an_entry_is_one_json_file_written_atomically(tmp_path, monkeypatch):
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((os.path.basename(src), os.path.basename(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(outbox_module.os, "replace", spy)
    box = Outbox(tmp_path / "outbox")
    entry_id = box.put("booking", {**BOOKING, "name_kanji": "山田花子"}, key="k" * 16)
    files = list((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == [f"{entry_id}.json"]
    assert replaced and replaced[0][0].startswith(".tmp-") and replaced[0][1] == files[0].name
    stored = json.loads(files[0].read_text(encoding="utf-8"))
    assert stored["key"] == "k" * 16
    # only what the booking needs is written
    assert set(stored["payload"]) == set(BOOKING)
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"


def test_a_half_written_temporary_file_is_cleared_and_never_sent(tmp_path):
    directory = tmp_path / "outbox"
    directory.mkdir()
    (directory / ".tmp-000000000001-booking-abcd").write_text("{partial")
    box = Outbox(directory)
    assert box.entries() == [] and not list(directory.iterdir())


def test_entries_are_sent_in_order_and_deleted_on_delivery(tmp_path, api, client):
    box = Outbox(tmp_path)
    box.put("event", {"kind": "booking_started", "at": "2026-11-26T00:00:00Z"})
    box.put("help", {"screen": "home", "language": "ja"})
    box.put("booking", BOOKING)
    box.put("event", {"kind": "language_chosen", "at": "2026-11-26T00:00:01Z"})
    deliveries = box.flush(client)
    assert [d.outcome for d in deliveries] == ["delivered"] * 4
    paths = [p for _m, p, _k in api.requests]
    assert paths == [
        "/api/v1/events",
        "/api/v1/help-requests",
        "/api/v1/registrations",
        "/api/v1/events",
    ]
    assert len(box) == 0 and not list(tmp_path.iterdir())
    assert len(api.registrations) == 1 and len(api.help_requests) == 1 and len(api.events) == 2


def test_a_server_down_keeps_the_entry_with_backoff_then_delivers_exactly_once(
    tmp_path, api, client
):
    clock = FakeClock()
    box = Outbox(tmp_path, clock=clock)
    box.put("booking", BOOKING, key="attempt-key-1")
    api.fail_next = 3
    assert [d.outcome for d in box.flush(client)] == ["pending"]
    assert len(box) == 1
    # inside the backoff nothing is sent
    assert box.flush(client) == [] and len(api.requests) == 1
    for _ in range(2):
        clock.now += backoff(10)
        assert box.flush(client)[0].outcome == "pending"
    clock.now += backoff(10)
    (delivery,) = box.flush(client)
    assert delivery.outcome == "delivered" and delivery.answer["status"] == "confirmed"
    assert len(box) == 0
    assert len(api.registrations) == 1
    assert {k for _m, _p, k in api.requests} == {"attempt-key-1"}


def test_a_later_entry_waits_behind_one_that_cannot_be_sent(tmp_path, api, client):
    box = Outbox(tmp_path, clock=FakeClock())
    box.put("booking", BOOKING)
    box.put("help", {"screen": "home", "language": "ja"})
    api.fail_next = 1
    assert [d.outcome for d in box.flush(client)] == ["pending"]
    assert api.help_requests == {} and len(box) == 2
    assert [d.outcome for d in box.flush(client, force=True)] == ["delivered", "delivered"]


def test_a_crash_between_sending_and_deleting_resends_the_same_key(
    tmp_path, api, client, monkeypatch
):
    box = Outbox(tmp_path)
    box.put("booking", BOOKING, key="confirmed-once-0001")

    def power_cut(self, entry_id):
        raise SystemExit("power cut")

    monkeypatch.setattr(Outbox, "_delete", power_cut)
    with pytest.raises(SystemExit):
        box.flush(client)
    monkeypatch.undo()
    assert len(api.registrations) == 1 and len(Outbox(tmp_path)) == 1
    # the kiosk starts again and sends what it still has
    (delivery,) = Outbox(tmp_path).flush(client)
    assert delivery.outcome == "delivered"
    keys = [k for _m, p, k in api.requests if p == "/api/v1/registrations"]
    assert keys == ["confirmed-once-0001", "confirmed-once-0001"]
    assert len(api.registrations) == 1, "the server deduped the resend"
    assert len(Outbox(tmp_path)) == 0


def test_a_definitive_refusal_is_deleted_and_reported_as_failed(tmp_path, api, client):
    box = Outbox(tmp_path)
    box.put("booking", {**BOOKING, "session_id": 99})
    box.put("help", {"screen": "home", "language": "ja"})
    failed, delivered = box.flush(client)
    assert failed.outcome == "failed" and failed.error.status == 409
    assert failed.error.error == "session_not_open"
    assert delivered.outcome == "delivered" and len(box) == 0


def test_the_client_maps_errors(api):
    good = ApiClient(api.url, "secret", timeout=2)
    assert good.sessions()[0]["id"] == SESSION["id"]
    with pytest.raises(Rejected) as refused:
        ApiClient(api.url, "wrong", timeout=2).sessions()
    assert refused.value.status == 401 and refused.value.error == "unauthorized"
    api.fail_next = 1
    with pytest.raises(Unreachable):
        good.sessions()
    with pytest.raises(Unreachable):
        ApiClient("", "secret").sessions()


def test_a_closed_port_and_a_silent_server_are_unreachable_quickly():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(Unreachable):  # bound, not listening: refused
            ApiClient(f"http://127.0.0.1:{port}", "t", timeout=1).sessions()
        sock.listen(1)  # listening but never answering: a timeout
        with pytest.raises(Unreachable):
            ApiClient(f"http://127.0.0.1:{port}", "t", timeout=0.5).sessions()


def test_backoff_grows_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3)] == [5, 10, 20]
    assert backoff(50) == outbox_module.BACKOFF_MAX
