"""The kiosk's client and outbox against the real server (web/api) on 127.0.0.1."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("flask")

from sqlalchemy import func, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from classroom.models import Registration  # noqa: E402
from classroom.services import kiosks as kiosk_service  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from kiosk.services.api import ApiClient  # noqa: E402
from kiosk.services.outbox import Outbox  # noqa: E402
from kiosk.visit import Visit  # noqa: E402
from tests.web.conftest import (  # noqa: E402, F401 - fixtures used by name
    build_app,
    fast_password_hashing,
    staff,
    ward,
)


@pytest.fixture
def server(database, tmp_path):
    app = build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def token(database):
    with database.write() as db:
        return kiosk_service.create_kiosk(
            db, name="lib-1", location="中央図書館", actor=Actor.cli()
        )[1]


def registrations(database) -> int:
    with database.read() as db:
        return db.scalar(select(func.count()).select_from(Registration))


def test_a_kiosk_booking_reaches_the_server_once_even_after_a_crash(
    server, token, database, tmp_path, monkeypatch, request
):
    town = request.getfixturevalue("ward")
    client = ApiClient(server, token, timeout=10)
    sessions = client.sessions()
    session = next(s for s in sessions if s["id"] == town.session_id)
    visit = Visit(
        session=session,
        reading="サトウ\u3000ユウコ",
        phone_digits="09011112222",
        era="昭和",
        year_digits="25",
        birth_year=1950,
    )
    box = Outbox(tmp_path / "outbox")
    box.put("booking", visit.booking(), key=visit.confirm())
    box.put("help", {"screen": "confirm", "language": "ja"})
    box.put(
        "event",
        {
            "kind": "booking_started",
            "at": "2026-11-26T00:00:00Z",
            "language": "ja",
            "text_size": "large",
        },
    )

    def power_cut(self, entry_id):
        raise SystemExit("power cut after the server answered")

    monkeypatch.setattr(Outbox, "_delete", power_cut)
    with pytest.raises(SystemExit):
        box.flush(client)
    monkeypatch.undo()
    assert registrations(database) == 1
    deliveries = Outbox(tmp_path / "outbox").flush(client)
    assert [d.outcome for d in deliveries] == ["delivered"] * 3
    booked = deliveries[0].answer
    assert booked["status"] == "confirmed" and booked["code"] and booked["qr_token"]
    assert registrations(database) == 1, "the resend with the same key booked nothing new"
    assert len(Outbox(tmp_path / "outbox")) == 0
    # the heartbeat is answered
    assert "server_time" in client.heartbeat("0.1.0", "test")


def test_the_server_down_during_a_booking_then_back_books_exactly_once(database, tmp_path, request):
    """Server stopped while a resident books: the booking waits (pending); when the server
    is back on the same database, the outbox delivers it once, with the same key."""
    town = request.getfixturevalue("ward")
    with database.write() as db:
        token = kiosk_service.create_kiosk(
            db, name="lib-2", location="東地域センター", actor=Actor.cli()
        )[1]
    app = build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )

    def serve(port: int = 0):
        httpd = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    first = serve()
    port = first.server_port
    client = ApiClient(f"http://127.0.0.1:{port}", token, timeout=5)
    session = next(s for s in client.sessions() if s["id"] == town.session_id)
    first.shutdown()
    first.server_close()  # the server is gone: connections are refused from here on

    visit = Visit(
        session=session,
        reading="タナカ\u3000ミノル",
        phone_digits="09033334444",
        era="昭和",
        year_digits="20",
        birth_year=1945,
    )
    box = Outbox(tmp_path / "outbox")
    box.put("booking", visit.booking(), key=visit.confirm())
    assert [d.outcome for d in box.flush(client, force=True)] == ["pending"]
    assert registrations(database) == 0 and box.pending("booking") == 1

    back = serve(port)
    try:
        deliveries = box.flush(client, force=True)
        assert [d.outcome for d in deliveries] == ["delivered"]
        assert deliveries[0].answer["status"] == "confirmed"
        assert registrations(database) == 1
        # a second flush (a double tap, a heartbeat) sends nothing more
        assert box.flush(client, force=True) == [] and registrations(database) == 1
        assert len(box) == 0
    finally:
        back.shutdown()
        back.server_close()
