"""Issue 18's proof, end to end: a wording fix published on the staff site reaches residents.

The server is the real site on a seeded database (the shipped content loaded as version 1 of
every item), served from a thread on 127.0.0.1 at the ward's frozen clock. A step of the
juminhyo guide gets a new Japanese wording in Chromium, as an editor does it: search, edit
form, draft (not on the public page), preview at kiosk size with furigana, publish (the public
page has it); then a real kiosk (Kivy under Xvfb, its own process:
tests/kiosk/walk_editor.py) takes the new bundle while idle on Home, opens that step, shows
the new wording and speaks it from the clip the publish made with the offline engine and the
bundle carries. The guide's other clips are silent placeholders made beforehand (as
`tsunagu content speech` would have made them), so the publish synthesises only what changed.
axe-core checks each editor page on the way.
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
from playwright.sync_api import expect
from werkzeug.serving import make_server

from classroom.db import Database
from classroom.models import Base, Role, User
from classroom.services import content_store
from classroom.services import kiosks as kiosk_service
from classroom.services.actor import Actor
from tests.browser.conftest import WARD_NOW, LiveServer, add_staff, assert_accessible, log_in
from tests.kiosk.xvfb import run_module
from tests.silent_speech import build_silent_speech

GUIDE, STEP = "juminhyo", 1
OLD = "スマホのカメラで、画面のQRコードを読み取ります。"
NEW = "スマホのカメラを開いて、この画面のQRコードを読み取ります。"
EDITOR = "henshu"

#: the kiosk half runs the real Kivy app under Xvfb and measures its clip with sox
KIOSK = shutil.which("xvfb-run") is not None and shutil.which("soxi") is not None


@dataclass
class Site(LiveServer):
    kiosk_token: str = ""
    #: the bundle kiosks were offered before the edit
    first_bundle: str = ""


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
        build_silent_speech(app, GUIDE)
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
            live.first_bundle = offered_bundle(live)["version"]
            yield live
        finally:
            server.shutdown()
            thread.join(timeout=10)
            database.dispose()


def published_body(site: Site) -> str:
    with site.database.read() as db:
        item = content_store.get_item(db, "guide", GUIDE)
        return content_store.published(db, item).body


def readable(page, selector: str = "main") -> str:
    """What ``selector`` says, readings over kanji (furigana, <rt>) left out."""
    return page.locator(selector).first.evaluate(
        "e => { const c = e.cloneNode(true); c.querySelectorAll('rt, rp').forEach(r => r.remove());"
        " return c.textContent.replace(/\\s+/g, ' '); }"
    )


def public_text(browser, site: Site) -> str:
    """The public guide page as a resident opens it (no staff cookie)."""
    context = browser.new_context(locale="ja-JP")
    try:
        resident = context.new_page()
        resident.goto(f"{site.url}/guides/{GUIDE}")
        return readable(resident)
    finally:
        context.close()


def newest(site: Site) -> tuple[int, int | None]:
    """(the newest version's number, the published one's) of the guide."""
    with site.database.read() as db:
        item = content_store.get_item(db, "guide", GUIDE)
        live = content_store.published(db, item)
        return content_store.head(db, item).number, live.number if live else None


def offered_bundle(site: Site) -> dict:
    request = urllib.request.Request(
        f"{site.url}/api/v1/content/bundle",
        headers={"Authorization": f"Bearer {site.kiosk_token}"},
    )
    # the first request after a publish builds the bundle: on a busy machine that can take
    # longer than the kiosk's 8 s (it would then try again 10 minutes later)
    with urllib.request.urlopen(request, timeout=120) as answer:
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
        timeout=150,
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


def test_an_editor_fixes_a_step_and_the_public_page_and_a_kiosk_show_and_speak_it(
    site, browser, page, tmp_path, artifacts
):
    log_in(page, site, EDITOR)
    page.goto(f"{site.url}/editor/")
    assert_accessible(page, "/editor/")
    # find the guide by a word of its text, open its form
    page.fill("#q", "住民票の写し")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    edit = page.locator(f"a[href$='/editor/guide/{GUIDE}/edit']")
    assert edit.count() == 1, readable(page)
    with page.expect_navigation():
        edit.click()
    wording = page.locator(f"textarea[name='steps[{STEP}].text.ja']")
    assert wording.input_value().strip() == OLD
    assert_accessible(page, "the edit form")
    wording.fill(NEW)
    page.fill("#f-note", "手順1の言い回しを直す")
    with page.expect_navigation():
        page.locator("button[name=op][value=save]").click()
    draft, live = newest(site)
    assert (draft, live) == (2, 1), "the draft was not saved as version 2"
    page.screenshot(path=str(artifacts / "editor-walk-saved.png"))
    # a draft never reaches residents
    public = public_text(browser, site)
    assert OLD in public and NEW not in public

    page.goto(f"{site.url}/editor/guide/{GUIDE}")
    assert_accessible(page, "the item's page")
    page.set_viewport_size({"width": 1280, "height": 800})  # the kiosk's screen
    with page.expect_navigation():
        page.locator(f"a[href$='/editor/guide/{GUIDE}/v{draft}/preview']").first.click()
    assert page.locator("ruby rt").count() > 0, "the preview shows no furigana"
    shown = readable(page)
    assert NEW in shown and OLD not in shown
    assert_accessible(page, "the preview")
    page.screenshot(path=str(artifacts / "editor-walk-preview.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{site.url}/editor/guide/{GUIDE}")
    with page.expect_navigation():
        page.locator(f"form[action$='/v{draft}/publish'] button[type=submit]").click()
    assert newest(site) == (draft, draft), "version 2 was not published"
    page.screenshot(path=str(artifacts / "editor-walk-published.png"))
    public = public_text(browser, site)
    assert NEW in public and OLD not in public

    assert offered_bundle(site)["version"] != site.first_bundle
    if not KIOSK:
        pytest.skip("the kiosk half needs xvfb-run and sox (make system-deps)")
    seen = kiosk_walk(site, tmp_path / "kiosk", artifacts)
    assert_kiosk_shows_and_speaks_the_fix(site, seen, tmp_path / "kiosk")


def test_the_editors_other_pages_pass_axe(site, page):
    """The pages the walk above does not open: a version's text and changes, the handout
    preview, the pictures and the ward settings."""
    log_in(page, site, EDITOR)
    for path in (
        f"/editor/guide/{GUIDE}/v1",
        f"/editor/guide/{GUIDE}/v1/handout",
        "/editor/pictures",
        "/editor/settings",
    ):
        response = page.goto(site.url + path)
        assert response is not None and response.status == 200, path
        assert_accessible(page, path)


def test_a_picture_over_2_mb_is_named_when_chosen_and_the_description_is_kept(site, page, tmp_path):
    """The server cuts off a request over 2 MB, and the description typed beside the file
    went with it: the page names the file's size as soon as it is chosen and keeps the form."""
    big = tmp_path / "photo.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024))
    log_in(page, site, EDITOR)
    page.goto(site.url + "/editor/pictures")
    with site.database.read() as db:
        before = len(content_store.media_list(db))
    page.fill("#title", "マルチコピー機のカード読み取り部")
    page.set_input_files("#picture", str(big))
    alert = page.locator("#picture-too-big")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("3.0")
    assert page.locator("#picture").get_attribute("aria-invalid") == "true"
    page.locator("section.upload button[type=submit]").click()
    page.wait_for_timeout(300)
    assert page.url.endswith("/editor/pictures")
    assert page.input_value("#title") == "マルチコピー機のカード読み取り部"  # not lost
    assert_accessible(page, "/editor/pictures with a file too big")
    with site.database.read() as db:
        assert len(content_store.media_list(db)) == before  # nothing was sent
    small = tmp_path / "small.png"
    small.write_bytes(big.read_bytes()[:1024])
    page.set_input_files("#picture", str(small))
    expect(alert).to_be_hidden()
    assert page.locator("#picture").get_attribute("aria-invalid") is None
