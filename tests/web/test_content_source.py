"""Where residents' pages and kiosks read content from (issue 18): once seeded, the
database's published versions, on both engines; the CLI's seed, import and export."""

from __future__ import annotations

import filecmp
import io
import zipfile
from pathlib import Path

from click.testing import CliRunner

from classroom.db import Database
from classroom.migrate import upgrade
from classroom.services import content_store as store
from classroom.services.actor import Actor
from content.documents import same
from content.loader import CONTENT_DIR
from tsunagu.cli import main
from web.content_source import source

from .conftest import build_app
from .test_api import KioskClient, add_kiosk


def _seed(app) -> None:
    assert source(app).seed().created >= 29


def _title_edit(db, actor: Actor, new_title: str) -> None:
    item = store.get_item(db, "guide", "juminhyo")
    body = store.published(db, item).body
    old_title = "住民票の写しをオンラインで申し込む"
    assert old_title in body, "the shipped guide's title changed: update this test"
    saved = store.save_draft(
        db,
        actor,
        "guide",
        "juminhyo",
        body.replace(old_title, new_title, 1),
        based_on=store.head(db, item).number,
    )
    store.publish(db, actor, item, saved.version.number)


def test_pages_show_the_published_version_and_never_a_draft(app, database):
    client = app.test_client()  # a resident: no Accept-Language, the site in Japanese
    before = client.get("/guides/juminhyo").get_data(as_text=True)
    _seed(app)
    assert client.get("/guides/juminhyo").get_data(as_text=True) == before
    with database.write() as db:
        item = store.get_item(db, "guide", "juminhyo")
        body = store.head(db, item).body
        store.save_draft(
            db, Actor.cli(), "guide", "juminhyo", body.replace("住民票", "下書き票"), based_on=1
        )
    source(app).changed()
    assert "下書き票" not in client.get("/guides/juminhyo").get_data(as_text=True)
    with database.write() as db:
        _title_edit(db, Actor.cli(), "住民票の写しを家からオンラインで申し込む")
    source(app).changed()
    html = client.get("/guides/juminhyo").get_data(as_text=True)
    assert "住民票の写しを家からオンラインで申し込む" in html


def test_the_kiosk_bundle_changes_version_on_publish(database, tmp_path):
    app = build_app(
        database,
        tmp_path,
        CONTENT_BUNDLE_DIR=str(tmp_path / "bundles"),
        AUDIO_CACHE_DIR=str(tmp_path / "audio"),
    )
    _seed(app)
    kiosk = KioskClient(app, add_kiosk(database))
    first = kiosk.get("/api/v1/content/bundle").get_json()
    with database.write() as db:
        _title_edit(db, Actor.cli(), "住民票の写しを家からオンラインで申し込む")
    source(app).changed()
    app.extensions["tsunagu_bundles"].changed()
    second = kiosk.get("/api/v1/content/bundle").get_json()
    assert first["version"] != second["version"]
    archive = kiosk.get(second["url"])
    with zipfile.ZipFile(io.BytesIO(archive.data)) as bundle:
        assert "家からオンライン" in bundle.read("guides/juminhyo.yaml").decode()


def test_db_upgrade_seeds_and_export_import_export_is_identical(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'content.sqlite3'}"
    monkeypatch.setenv("TSUNAGU_DATABASE_URL", url)
    monkeypatch.setenv("TSUNAGU_INSTANCE_DIR", str(tmp_path))
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    # the command line speaks the ward's language (TSUNAGU_LANGUAGE, else Japanese)
    assert "初期の内容を読み込みました" in upgraded.output
    again = runner.invoke(main, ["db", "upgrade"])
    assert "初期の内容を読み込みました" not in again.output

    first, second = tmp_path / "first", tmp_path / "second"
    assert runner.invoke(main, ["content", "export", str(first)]).exit_code == 0
    # the export is the shipped files, byte for byte
    for section in ("guides", "lessons", "faq"):
        shipped = sorted(p.name for p in (CONTENT_DIR / section).glob("*.yaml"))
        assert sorted(p.name for p in (first / section).glob("*.yaml")) == shipped
        assert not filecmp.cmpfiles(CONTENT_DIR / section, first / section, shipped, False)[1]
    imported = runner.invoke(main, ["content", "import", str(first)])
    assert imported.exit_code == 0, imported.output
    assert "新規0件、変更0件" in imported.output
    assert runner.invoke(main, ["content", "export", str(second)]).exit_code == 0
    compared = filecmp.dircmp(first, second)
    assert compared.diff_files == [] and compared.left_only == compared.right_only == []

    checked = runner.invoke(main, ["content", "check", "--db"])
    assert checked.exit_code == 0, checked.output


def test_import_refuses_a_broken_folder_and_changes_nothing(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'content.sqlite3'}"
    monkeypatch.setenv("TSUNAGU_DATABASE_URL", url)
    database = Database(url)
    upgrade(database)
    with database.write() as db:
        store.seed_if_empty(db, [store.Document("faq", "covid", "id: covid\n")], same)
    broken = tmp_path / "broken"
    (broken / "guides").mkdir(parents=True)
    (broken / "guides" / "juminhyo.yaml").write_text("id: juminhyo\nsteps: [\n")
    result = CliRunner().invoke(main, ["content", "import", str(broken)])
    assert result.exit_code != 0
    assert "何も取り込んでいません" in result.output
    with database.read() as db:
        assert [d.slug for d in store.published_documents(db)] == ["covid"]
    database.dispose()


def test_a_folder_written_for_residents_holds_the_shipped_pictures(app, database):
    _seed(app)
    root = source(app).root()
    assert root != CONTENT_DIR and Path(root, "media", "qr-scan.svg").is_file()
