"""The staff web site under the Flask test client, on each database engine.

`app` is built on the shared `database` fixture (SQLite and PostgreSQL). CSRF is off
here so tests read like a person using the site; tests/web/test_csrf.py turns it on.
Staff here read the site in English (their `language`), so tests can assert on the
msgids; tests/web/test_app.py checks that Japanese comes first.

Every test here runs on the ward's clock frozen at `WARD_NOW` (10:00 on a Friday in Tokyo),
never on the wall clock: "today's class", tomorrow's reminders and deadlines give the same
answer at any hour. A test may travel further with `frozen_clock`. Tests that start a server
in another process (which reads the real clock) are marked `wall_clock` and build their
rows from the real time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from argon2 import PasswordHasher

from classroom.models import Course, CourseKind, DeviceTrack, Role, Source, Venue, VenueKind, utcnow
from classroom.services import accounts, residents, sessions
from classroom.services.actor import Actor
from tests.conftest import TOKYO_SAME_DAY
from web import create_app

PASSWORD = "tsunagu-test-pass"
WARD_NOW = TOKYO_SAME_DAY  # Friday 4 December 2026, 10:00 in Tokyo


@pytest.fixture(autouse=True)
def ward_clock(request):
    """The web tests' clock: WARD_NOW, ticking on; the real one for `wall_clock` tests."""
    if request.node.get_closest_marker("wall_clock"):
        yield None
        return
    with time_machine.travel(WARD_NOW, tick=True):
        yield WARD_NOW


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """argon2id with tiny costs: the same code path, a hundred times faster."""
    monkeypatch.setattr(
        accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    )
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


def build_app(database, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": database,
        "WTF_CSRF_ENABLED": False,
        # the published content's folders (issue 18), never the checkout's instance/
        "CONTENT_LIVE_DIR": str(tmp_path / "content-live"),
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database, tmp_path):
    return build_app(database, tmp_path)


@dataclass
class Staff:
    admin: int
    coordinator: int
    instructor: int
    other_instructor: int


@pytest.fixture
def staff(database) -> Staff:
    ids = {}
    with database.write() as db:
        for login, role in [
            ("admin", Role.ADMIN),
            ("coordinator", Role.COORDINATOR),
            ("instructor", Role.INSTRUCTOR),
            ("other_instructor", Role.INSTRUCTOR),
        ]:
            ids[login] = accounts.create_user(
                db,
                login=login,
                role=role,
                password=PASSWORD,
                display_name=login.title(),
                language="en",
                actor=Actor.cli(),
            ).id
    return Staff(**ids)


@dataclass
class WardIds:
    """The ids of the rows the web tests' `ward` fixture seeds."""

    course_id: int
    venue_id: int
    session_id: int  # taught by `instructor`, a week ahead, 2 seats
    other_session_id: int  # taught by `other_instructor`
    today_session_id: int  # taught by `instructor`, in an hour (11:00 in Tokyo on WARD_NOW)
    resident_id: int


@pytest.fixture
def ward(database, staff) -> WardIds:
    now = utcnow()
    with database.write() as db:
        course = Course(
            code="intro-iphone",
            title="スマホ入門（iPhone）",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.IPHONE,
            title_translations={},
            lesson_ids=[],
        )
        venue = Venue(name="中央図書館", kind=VenueKind.LIBRARY, capacity=20, name_translations={})
        db.add_all([course, venue])
        db.flush()

        def session(starts, instructor, capacity=2):
            return sessions.create_session(
                db,
                course_id=course.id,
                venue_id=venue.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1, minutes=30),
                capacity=capacity,
                instructor_ids=[instructor],
                actor=Actor.system(),
            ).id

        week = now + timedelta(days=7)
        ids = dict(
            course_id=course.id,
            venue_id=venue.id,
            session_id=session(week, staff.instructor),
            other_session_id=session(week + timedelta(days=1), staff.other_instructor),
            today_session_id=session(now + timedelta(hours=1), staff.instructor),
        )
        ids["resident_id"] = residents.create_participant(
            db,
            family_name="山田",
            given_name="花子",
            reading="ヤマダ ハナコ",
            phone="090-1234-5678",
            birth_year=1948,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        ).id
    return WardIds(**ids)


def log_in(client, login: str, password: str = PASSWORD):
    return client.post("/login", data={"login": login, "password": password})


def english_client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def client(app):
    return english_client(app)


@pytest.fixture
def as_role(app, staff):
    """as_role("coordinator") -> a test client logged in as that member of staff."""

    def make(login: str):
        c = english_client(app)
        response = log_in(c, login)
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return make


@pytest.fixture
def coordinator(as_role, ward):
    """A coordinator logged in, in the ward above (classes and a resident)."""
    return as_role("coordinator")


def count(database, model, **filters) -> int:
    """Rows of `model` matching `filters`: shows that a refused form wrote nothing."""
    with database.read() as db:
        return db.query(model).filter_by(**filters).count()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)
