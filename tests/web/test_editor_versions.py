"""An item's versions on the staff site (issue 18, web/editor/versions.py), both engines:
publish shows on the public page at once, changes the kiosk bundle and speaks the changed
text; roll back; what is refused and why; the diff; the preview and the handout of a draft."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, User
from classroom.services import accounts
from classroom.services import content_store as store
from classroom.services.actor import Actor
from content import speech
from web.content_source import source

from .conftest import build_app, english_client, log_in
from .test_api import KioskClient, add_kiosk

OLD_STEP = "説明を読んで、「申請する」を押します。"
NEW_STEP = "説明をよく読んで、「申請する」ボタンを押します。"
ITEM = "/editor/guide/juminhyo"


@pytest.fixture
def site(database, tmp_path, staff):
    app = build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )
    assert source(app).seed().created >= 29
    with database.write() as db:
        for login, language in (("editor", "en"), ("henshu", "ja")):
            user = accounts.create_user(
                db,
                login=login,
                role="instructor",
                password="tsunagu-test-pass",
                display_name=f"Editor {login}",
                language=language,
                actor=Actor.cli(),
            )
            user.content_editor = True
    return app


def _as(app, login: str):
    client = english_client(app)
    assert log_in(client, login).status_code == 302
    return client


def _draft(database, old: str = OLD_STEP, new: str = NEW_STEP, based_on: int | None = None):
    """A draft of the juminhyo guide with ``old`` replaced; its number."""
    with database.write() as db:
        item = store.get_item(db, "guide", "juminhyo")
        head = store.head(db, item) if based_on is None else store.version(db, item, based_on)
        assert old in head.body, "the shipped guide changed: update this test"
        saved = store.save_draft(
            db,
            Actor.cli(),
            "guide",
            "juminhyo",
            head.body.replace(old, new, 1),
            based_on=head.number,
            note="手順2を分かりやすく",
        )
        return saved.version.number


def _seconds(path: Path) -> float:
    soxi = shutil.which("soxi")
    assert soxi, "sox is needed to measure the clip"
    return float(subprocess.run([soxi, "-D", str(path)], capture_output=True, text=True).stdout)


def test_publish_shows_the_new_text_at_once_changes_the_bundle_and_speaks_it(site, database):
    number = _draft(database)
    kiosk = KioskClient(site, add_kiosk(database))
    before = kiosk.get("/api/v1/content/bundle").get_json()["version"]
    resident = site.test_client()
    assert NEW_STEP not in resident.get("/guides/juminhyo").get_data(as_text=True)

    editor = _as(site, "editor")
    answer = editor.post(f"{ITEM}/v{number}/publish")
    assert answer.status_code == 303 and answer.location.endswith(ITEM)
    page = editor.get(ITEM).get_data(as_text=True)
    # one Japanese text changed: its clip at normal and slow speed, nothing else (the
    # cache is empty: the guide's unchanged texts are not made here)
    assert f"Published version {number}; 2 new clips of speech." in page

    assert NEW_STEP in resident.get("/guides/juminhyo").get_data(as_text=True)
    after = kiosk.get("/api/v1/content/bundle").get_json()["version"]
    assert after != before
    clip = speech.AudioCache.open(Path(site.config["AUDIO_CACHE_DIR"])).find(NEW_STEP, "ja")
    assert clip is not None and clip.read_bytes()[:4] in (b"OggS", b"RIFF")
    assert _seconds(clip) > 0.3
    with database.read() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "content.publish")).one()
        editor_id = db.scalar(select(User.id).where(User.login == "editor"))
        assert event.actor_id == editor_id
        assert event.details["number"] == number


def test_roll_back_publishes_the_earlier_text_again_as_a_new_version(site, database, monkeypatch):
    number = _draft(database)
    editor = _as(site, "editor")
    assert editor.post(f"{ITEM}/v{number}/publish").status_code == 303
    page = editor.get(ITEM).get_data(as_text=True)
    assert "Roll back to version 1" in page

    answer = editor.post(f"{ITEM}/v1/rollback")
    assert answer.status_code == 303
    page = editor.get(ITEM).get_data(as_text=True)
    assert f"The text of version 1 is published again as version {number + 1}" in page
    public = site.test_client().get("/guides/juminhyo").get_data(as_text=True)
    assert OLD_STEP in public and NEW_STEP not in public
    with database.read() as db:
        item = store.get_item(db, "guide", "juminhyo")
        live = store.published(db, item)
        assert (live.number, live.origin) == (number + 1, "rollback")
        assert [v.number for v in store.versions(db, item)] == [number + 1, number, 1]


def test_a_conflicted_version_is_refused_with_the_reason(site, database):
    mine = _draft(database)
    theirs = _draft(database, OLD_STEP, "説明を全部読んで、「申請する」を押します。", based_on=1)
    editor = _as(site, "editor")
    page = editor.get(ITEM).get_data(as_text=True)
    assert "Conflict:" in page
    # the conflicted one is the newest: compared with the version it was saved over
    assert f"/editor/guide/juminhyo/v{theirs}?against={mine}" in page

    answer = editor.post(f"{ITEM}/v{theirs}/publish")
    assert answer.status_code == 303
    page = editor.get(ITEM).get_data(as_text=True)
    assert "was saved over someone else&#39;s edit" in page
    assert OLD_STEP in site.test_client().get("/guides/juminhyo").get_data(as_text=True)
    assert mine < theirs


def test_an_invalid_version_is_refused_with_the_field_and_message(site, database):
    number = _draft(database, "title:\n  ja: 住民票の写しをオンラインで申し込む\n", "title:\n")
    editor = _as(site, "editor")
    answer = editor.post(f"{ITEM}/v{number}/publish")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert f"Version {number} was not published" in page
    assert "title (日本語)" in page or "<strong>title</strong>" in page
    with database.read() as db:
        assert store.published(db, store.get_item(db, "guide", "juminhyo")).number == 1


def test_the_diff_shows_the_changed_step_old_and_new(site, database):
    number = _draft(database)
    page = _as(site, "editor").get(f"{ITEM}/v{number}").get_data(as_text=True)
    assert "step 2: text (日本語)" in page
    assert "<ins>よく</ins>" in page and "<ins>ボタン</ins>" in page
    assert "説明を" in page and "Compared with version 1, which residents see now." in page
    assert "Compare with the previous version" not in page  # the previous one is published
    assert f"Publish version {number}</button>" in page
    japanese = _as(site, "henshu").get(f"{ITEM}/v{number}").get_data(as_text=True)
    assert "手順2の本文（日本語）" in japanese


def test_the_preview_shows_the_draft_with_furigana_to_staff_only(site, database, staff):
    number = _draft(database)
    coordinator = _as(site, "coordinator")
    answer = coordinator.get(f"{ITEM}/v{number}/preview")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    page = answer.get_data(as_text=True)
    assert "kiosk-frame" in page and "Preview of a draft (residents cannot see it)" in page
    assert "<ruby>" in page
    assert "ボタン" in page and "よく" in page
    english = coordinator.get(f"{ITEM}/v{number}/preview?lang=en").get_data(as_text=True)
    assert "<ruby>" not in english and "Apply online for a copy" in english

    for other in (
        "/editor/lesson/intro-01-power/v1/preview",
        f"/editor/faq/{_any_faq(database)}/v1/preview",
    ):
        shown = coordinator.get(other)
        assert shown.status_code == 200 and "<ruby>" in shown.get_data(as_text=True)

    resident = site.test_client().get(f"{ITEM}/v{number}/preview")
    assert resident.status_code == 302 and resident.location.startswith("/login")


def test_the_handout_of_a_draft(site, database):
    number = _draft(database)
    editor = _as(site, "editor")
    answer = editor.get(f"{ITEM}/v{number}/handout")
    assert answer.status_code == 200
    assert NEW_STEP in answer.get_data(as_text=True)
    lesson = editor.get("/editor/lesson/intro-01-power/v1/handout?device=iphone&furigana=1")
    assert lesson.status_code == 200 and "<ruby>" in lesson.get_data(as_text=True)
    assert editor.get("/editor/faq/" + _any_faq(database) + "/v1/handout").status_code == 404


MARK = "いま公開している内容ではありません。配らないでください。"


def test_a_printed_draft_says_it_is_not_what_residents_are_told(site, database):
    """A draft's handout carries the mark across its top (it prints: not in the toolbar);
    the published version's handout, from the editor or the public page, does not."""
    number = _draft(database)
    editor = _as(site, "editor")
    draft = editor.get(f"{ITEM}/v{number}/handout").get_data(as_text=True)
    assert f"これは第{number}版で、{MARK}" in draft
    main = draft.split('<main id="main">', 1)[1]
    assert MARK in main, "the mark is part of the printed page, not of the hidden toolbar"
    assert MARK not in editor.get(f"{ITEM}/v1/handout").get_data(as_text=True)
    assert MARK not in editor.get("/handouts/guides/juminhyo").get_data(as_text=True)
    lesson = "/editor/lesson/intro-01-power/v1/handout"
    assert MARK not in editor.get(lesson).get_data(as_text=True)


def _any_faq(database) -> str:
    with database.read() as db:
        return store.list_items(db, "faq")[0].item.slug


@pytest.mark.parametrize("login", ["instructor", "coordinator"])
def test_only_editors_publish_and_roll_back(site, database, login):
    number = _draft(database)
    client = _as(site, login)
    assert client.post(f"{ITEM}/v{number}/publish").status_code == 403
    assert client.post(f"{ITEM}/v1/rollback").status_code == 403
    page = client.get(ITEM).get_data(as_text=True)
    assert "Publish version" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/editor/nothing/juminhyo",
        "/editor/guide/nothing",
        "/editor/guide/juminhyo/v99",
        "/editor/guide/juminhyo/v0",
        "/editor/guide/juminhyo/v99999999999",
        "/editor/guide/juminhyo/v99/preview",
        "/editor/guide/juminhyo/v99/handout",
        "/editor/settings/ward/v1/preview",
        "/editor/guide/juminhyo/v1?against=77",
    ],
)
def test_unknown_items_and_versions_are_404(site, path):
    assert _as(site, "editor").get(path).status_code == 404


def test_unknown_version_publish_is_404(site):
    assert _as(site, "editor").post(f"{ITEM}/v99/publish").status_code == 404
