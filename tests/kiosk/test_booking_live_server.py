"""One booking touched through the real kiosk under Xvfb against the real server on 127.0.0.1.

The server is ``web.create_app`` on a fresh SQLite file, served by werkzeug in a thread;
the kiosk runs in its own process (tests/kiosk/walk_booking.py with a server and a token).
Afterwards the database itself is asked what the booking left behind.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.kiosk.xvfb import needs_xvfb, run_module

pytest.importorskip("flask")
pytestmark = needs_xvfb

from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from classroom.db import Database  # noqa: E402
from classroom.models import Base, Participant, Registration, Source, utcnow  # noqa: E402
from classroom.services import courses, sessions, venues  # noqa: E402
from classroom.services import kiosks as kiosk_service  # noqa: E402
from classroom.services.actor import Actor  # noqa: E402
from web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live(tmp_path):
    """A fresh SQLite server with one upcoming session and a kiosk token: (url, token, db, id)."""
    database = Database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    Base.metadata.create_all(database.engine)
    with database.write() as db:
        course = courses.create_course(
            db,
            code="intro-iphone",
            title="スマホ入門（iPhone）",
            kind="intro",
            device_track="iphone",
            actor=Actor.cli(),
        )
        venue = venues.create_venue(
            db, name="中央図書館", kind="library", capacity=20, actor=Actor.cli()
        )
        starts = utcnow() + timedelta(days=7)
        session_id = sessions.create_session(
            db,
            course_id=course.id,
            venue_id=venue.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=10,
            actor=Actor.cli(),
        ).id
        token = kiosk_service.create_kiosk(
            db, name="lib-1", location="中央図書館", actor=Actor.cli()
        )[1]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": database,
            "WTF_CSRF_ENABLED": False,
            "CONTENT_BUNDLE_DIR": str(tmp_path / "bundles"),
            "AUDIO_CACHE_DIR": str(tmp_path / "audio"),
        }
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", token, database, session_id
    httpd.shutdown()
    thread.join(5)
    database.dispose()


def test_a_touch_booking_lands_in_the_database_once_with_the_code_shown(live, tmp_path):
    url, token, database, session_id = live
    out = tmp_path / "seen.json"
    result = run_module("tests.kiosk.walk_booking", str(out), url, token, home=tmp_path, timeout=90)
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    seen = json.loads(out.read_text())
    assert seen["sessions_state"] == "list" and seen["sessions"] == 1
    assert seen["screen"] == "result" and seen["outbox"] == 0
    assert seen["result"]["status"] == "confirmed"
    if seen["confirm_clip"]:  # the offline engine is installed: the confirmation was spoken
        assert seen["clip_dir_mode"] == "0o700" and seen["playing"]
        assert not seen["clip_left"] and seen["visit_dirs_left"] == [], "deleted once booked"

    with database.read() as db:
        booked = db.scalars(select(Registration).where(Registration.session_id == session_id)).all()
        assert len(booked) == 1, "the double tap on 申し込む booked once"
        registration = booked[0]
        assert registration.source == Source.KIOSK
        assert registration.entered_via == "lib-1"
        resident = db.get(Participant, registration.participant_id)
        assert resident.reading == "ヤマダ ハナコ"
        assert resident.phone_digits == "09000000001"
        assert resident.birth_year == 1948
        assert resident.source == Source.KIOSK
        assert seen["shown_code"] == registration.code == seen["result"]["code"]
