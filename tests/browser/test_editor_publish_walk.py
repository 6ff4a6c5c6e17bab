"""Issue 18's proof, end to end: a wording fix published on the staff site reaches residents.

The server is the real site on a seeded database (the shipped content loaded as version 1 of
every item), served from a thread on 127.0.0.1 at the ward's frozen clock. A step of the
juminhyo guide gets a new Japanese wording and is published; then a real kiosk (Kivy under
Xvfb, its own process: tests/kiosk/walk_editor.py) takes the new bundle while idle on Home,
opens that step, shows the new wording and speaks it from the clip the bundle carries.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from werkzeug.serving import make_server

from classroom.db import Database
from classroom.models import Base, Role, User
from classroom.services import content_store
from classroom.services import kiosks as kiosk_service
from classroom.services.actor import Actor
from tests.browser.conftest import WARD_NOW, LiveServer, add_staff
from tests.kiosk.xvfb import run_module

GUIDE, STEP = "juminhyo", 1
OLD = "スマホのカメラで、画面のQRコードを読み取ります。"
NEW = "スマホのカメラを開いて、この画面のQRコードを読み取ります。"
EDITOR = "henshu"

needs_kiosk = pytest.mark.skipif(
    shutil.which("xvfb-run") is None or shutil.which("soxi") is None,
    reason="needs xvfb-run and sox (make system-deps)",
)


@dataclass
class Site(LiveServer):
    kiosk_token: str = ""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site on a seeded SQLite database with a content editor and a kiosk's token."""
    from web import create_app
    from web.content_source import source

    tmp = tmp_path_factory.mktemp("editor-walk")
    with time_machine.travel(WARD_NOW, tick=True):
        database = Database(f"sqlite:///{tmp / 'live.sqlite3'}")
        Base.metadata.create_all(database.engine)
        app = create_app(
            {
                "SECRET_KEY": "browser-test-secret",
                "DATABASE": database,
                "PERMANENT_SESSION_LIFETIME": timedelta(days=3650),
                "CONTENT_LIVE_DIR": str(tmp / "content"),
                "CONTENT_BUNDLE_DIR": str(tmp / "bundles"),
                "AUDIO_CACHE_DIR": str(tmp / "audio"),
            }
        )
        assert source(app).seed().created >= 29
        source(app).changed()
        app.extensions["tsunagu_bundles"].changed()
        with database.write() as db:
            editor = db.get(User, add_staff(db, EDITOR, Role.INSTRUCTOR, "編集 さん"))
            editor.content_editor = True
            token = kiosk_service.create_kiosk(
                db, name="lib-1", location="中央図書館", actor=Actor.cli()
            )[1]
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        try:
            live = Site(f"http://127.0.0.1:{server.server_port}", database, app)
            live.kiosk_token = token
            yield live
        finally:
            server.shutdown()
            thread.join(timeout=10)
            database.dispose()


def published_body(site: Site) -> str:
    with site.database.read() as db:
        item = content_store.get_item(db, "guide", GUIDE)
        return content_store.published(db, item).body


def publish_through_the_store(site: Site) -> None:
    """The wording fix saved and published as the editor's pages do, with the changed text's
    clip made by the offline engine (what publishing does before kiosks are offered it)."""
    from content.speech import AudioCache, Utterance, build_speech
    from web.content_source import source

    with site.database.write() as db:
        item = content_store.get_item(db, "guide", GUIDE)
        body = content_store.published(db, item).body
        assert body.count(OLD) == 1, "the shipped guide's step changed: update this test"
        editor = db.query(User).filter_by(login=EDITOR).one()
        saved = content_store.save_draft(
            db,
            Actor.for_user(editor),
            "guide",
            GUIDE,
            body.replace(OLD, NEW),
            based_on=content_store.head(db, item).number,
            note="手順1の言い回しを直す",
        )
        content_store.publish(db, Actor.for_user(editor), item, saved.version.number)
    report = build_speech(
        [Utterance(NEW, "ja", "normal")],
        AudioCache.open(Path(site.app.config["AUDIO_CACHE_DIR"])),
        engine="offline",
        progress=False,
    )
    assert not report.failures, report.failures
    source(site.app).changed()
    site.app.extensions["tsunagu_bundles"].changed()


def offered_bundle(site: Site) -> dict:
    request = urllib.request.Request(
        f"{site.url}/api/v1/content/bundle",
        headers={"Authorization": f"Bearer {site.kiosk_token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def length_and_peak(path: Path) -> tuple[float, float]:
    """Seconds (soxi -D) and the peak amplitude 0..1 (sox stat) of an audio file."""
    seconds = float(
        subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout
    )
    stat = subprocess.run(
        ["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True
    ).stderr
    peak = next(
        float(line.split(":")[1])
        for line in stat.splitlines()
        if line.startswith("Maximum amplitude")
    )
    return seconds, peak


def kiosk_walk(site: Site, out: Path, artifacts: Path) -> dict:
    """A real kiosk syncs the server's bundle and opens the edited step: what it saw."""
    out.mkdir(parents=True, exist_ok=True)  # Kivy's settings go in it
    started = time.monotonic()
    result = run_module(
        "tests.kiosk.walk_editor",
        str(out),
        site.url,
        site.kiosk_token,
        GUIDE,
        str(STEP),
        home=out,
        timeout=120,
    )
    seen_file = out / "seen.json"
    assert result.returncode == 0 and seen_file.is_file(), result.stderr[-3000:]
    seen = json.loads(seen_file.read_text())
    seen["seconds"] = time.monotonic() - started
    if (out / "step.png").is_file():
        shutil.copyfile(out / "step.png", artifacts / "editor-walk-kiosk-step.png")
    assert "error" not in seen, seen
    return seen


def assert_kiosk_shows_and_speaks_the_fix(site: Site, seen: dict, out: Path) -> None:
    # before its first bundle the kiosk showed the wording it was shipped with
    assert seen["before"] == OLD
    # idle on Home it took the server's bundle: the one made after the publish
    assert seen["version"] == offered_bundle(site)["version"] != seen["version_before"]
    assert Path(seen["catalog_root"]).parent.name == "versions"
    # the step shows the new wording (what the label on the screen reads)
    assert seen["screen"] == "guide"
    assert seen["step_text"] == NEW
    assert NEW in seen["labels"] and OLD not in seen["labels"]
    # 読み上げ played the bundle's clip of the new wording, made ahead by the offline engine
    assert seen["played"], "読み上げ played nothing"
    played = Path(seen["played"][0])
    assert played.parent == Path(seen["audio_dir"]), "the clip did not come from the bundle"
    assert seen["step_clip"] == str(played)
    assert seen["played_entry"]["text"] == NEW
    assert seen["played_entry"]["language"] == "ja"
    assert seen["played_entry"]["engine"] == "offline"
    assert seen["playing"]
    seconds, peak = length_and_peak(next(out.glob("clip-1.*")))
    assert seconds > 2.0 and peak > 0.05, (seconds, peak)


@needs_kiosk
def test_a_published_wording_fix_reaches_a_kiosk_which_shows_and_speaks_it(
    site, tmp_path, artifacts
):
    publish_through_the_store(site)
    with urllib.request.urlopen(f"{site.url}/guides/{GUIDE}", timeout=30) as answer:
        public = answer.read().decode()
    assert NEW in public and OLD not in public
    seen = kiosk_walk(site, tmp_path / "kiosk", artifacts)
    assert_kiosk_shows_and_speaks_the_fix(site, seen, tmp_path / "kiosk")
