"""Browser tests: the real site on a live server, driven by Playwright and Debian's Chromium.

`live_server` serves `web.create_app()` from a thread (werkzeug's make_server on a free
port) against a fresh SQLite file, on the ward's clock frozen at `WARD_NOW` (10:00 on a
Friday in Tokyo, ticking on), so "today's class" and "tomorrow" mean the same at any hour
the suite runs; `page` is a new Chromium tab in Japanese. Chromium itself lives in real
time, so staff sessions here last long enough that its cookies are never expired on
arrival. Screenshots
and PDFs go to test-artifacts/ (git-ignored). Chromium comes from the system
(/usr/bin/chromium): never `playwright install`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from werkzeug.serving import make_server

from classroom.db import Database
from classroom.models import Base
from tests.conftest import TOKYO_SAME_DAY

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WARD_NOW = TOKYO_SAME_DAY  # Friday 4 December 2026, 10:00 in Tokyo

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM}", allow_module_level=True)


@dataclass
class LiveServer:
    url: str
    database: Database
    app: Flask


@pytest.fixture
def live_server(tmp_path):
    """The web site on http://127.0.0.1:<free port>, on a fresh SQLite database, at WARD_NOW."""
    from web import create_app

    with time_machine.travel(WARD_NOW, tick=True):
        database = Database(f"sqlite:///{tmp_path / 'live.sqlite3'}")
        Base.metadata.create_all(database.engine)
        app = create_app(
            {
                "SECRET_KEY": "browser-test-secret",
                "DATABASE": database,
                "PERMANENT_SESSION_LIFETIME": timedelta(days=3650),
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(f"http://127.0.0.1:{server.server_port}", database, app)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            database.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=PAGE_TIMEOUT_MS)  # expect(...) waits as long as a page may
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: how long a page, a navigation or an element may take before the test fails. Generous:
#: the live server runs in the test's own process, and near the end of `make test` the
#: other worker may be drawing three Kivy windows on the same two cores (a login's
#: navigation once took over 10 s there); a page that never comes still fails.
PAGE_TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser):
    """A fresh tab (its own cookies) in Japanese, at a tablet-sized window."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(PAGE_TIMEOUT_MS)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/: screenshots and PDFs to look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def assert_accessible(page, name: str) -> None:
    """axe-core on the page as it is now: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: " + results.generate_report()


#: every member of staff the browser tests create logs in with this
STAFF_PASSWORD = "browser-test-pass-42"


def add_staff(db, login: str, role, display_name: str, language: str = "ja") -> int:
    """A member of staff (inside the caller's write transaction); her id."""
    from classroom.services import accounts
    from classroom.services.actor import Actor

    return accounts.create_user(
        db,
        login=login,
        role=role,
        password=STAFF_PASSWORD,
        display_name=display_name,
        language=language,
        actor=Actor.cli(),
    ).id


def log_in(page, site: LiveServer | str, login: str) -> None:
    """Log in on the login page as a person does: type, press Enter, land on her home.
    `site` is the live server or its base URL."""
    base = site if isinstance(site, str) else site.url
    page.goto(f"{base}/login")
    page.fill("#login", login)
    page.fill("#password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url, f"{login} could not log in"
