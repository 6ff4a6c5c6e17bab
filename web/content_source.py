"""Where the site reads guides, lessons and FAQ from (issue 18).

Once the content lives in the database (seeded by ``tsunagu db upgrade`` or imported),
what residents see is its published versions, written out as a content folder under the
instance folder, one folder per published state (``instance/content/live-<stamp>``). Every
reader of content — public pages, handouts, the kiosk bundle, the ask index — loads that
folder with ``load_catalog`` as it loaded the shipped one, so one code path serves both.
A publish in this process switches at once; another worker or server notices within
``RECHECK_SECONDS`` (one small query). Before any content is in the database (a test, a
database not upgraded yet) the site reads the configured folder (``CONTENT_DIR``, else the
shipped content).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from classroom.db import Database
from classroom.services import content_store
from content.documents import Doc, folder_documents, same, write_folder
from content.loader import CONTENT_DIR, Catalog, load_catalog, load_settings, settings_path
from content.model import Settings

from .database import found_unavailable

log = logging.getLogger(__name__)
EXTENSION_KEY = "tsunagu_content_source"
#: how often a process asks the database whether someone published
RECHECK_SECONDS = 3.0
#: published folders kept besides the newest (a request in another worker may still read one)
KEEP_OLD = 3


@dataclass
class ContentSource:
    app: Flask
    database: Database
    _root: Path | None = None
    _checked: float = -1e9
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def folder(self) -> Path:
        configured = self.app.config.get("CONTENT_LIVE_DIR")
        return Path(configured) if configured else Path(self.app.instance_path) / "content"

    @property
    def seed_root(self) -> Path:
        """The folder the seed comes from, and the site's content before there is a seed."""
        return Path(self.app.config.get("CONTENT_DIR") or CONTENT_DIR)

    def root(self) -> Path:
        """The content folder residents' pages read now."""
        if found_unavailable():  # its 503 page is being made: no second connect timeout
            return self._root or self._newest_written() or self.seed_root
        now = time.monotonic()
        if self._root is not None and now - self._checked < RECHECK_SECONDS:
            return self._root
        with self._lock:
            if self._root is not None and now - self._checked < RECHECK_SECONDS:
                return self._root
            self._root = self._current()
            self._checked = time.monotonic()
            return self._root

    def changed(self) -> Path:
        """Re-read the database now (after a publish in this process)."""
        with self._lock:
            self._root = self._current()
            self._checked = time.monotonic()
            return self._root

    def _current(self) -> Path:
        try:
            return self._from_database()
        except SQLAlchemyError:
            # the database is down: pages (the 503 page included, which shows the ward's
            # phone from the settings) keep reading the content they read last, or the
            # shipped content; the next request after RECHECK_SECONDS asks again
            log.warning("the published content could not be read; showing the last known")
            return self._root or self._newest_written() or self.seed_root

    def _newest_written(self) -> Path | None:
        """The newest complete published folder on disk (from before a restart)."""
        done = [p.parent for p in self.folder.glob("live-*/.complete")]
        return max(done, key=lambda p: p.stat().st_mtime) if done else None

    def _from_database(self) -> Path:
        with self.database.read() as db:
            if not content_store.has_content(db):
                return self.seed_root
            stamp = content_store.published_stamp(db)
            target = self.folder / f"live-{stamp}"
            if not (target / ".complete").is_file():
                docs = [Doc(d.kind, d.slug, d.body) for d in content_store.published_documents(db)]
                write_folder(
                    target,
                    docs,
                    media_from=self.seed_root,
                    uploads=content_store.media_files(db),
                    extras_from=self.seed_root,
                )
                (target / ".complete").write_text(stamp)
                self._forget_old(target)
            return target

    def _forget_old(self, keep: Path) -> None:
        folders = sorted(
            (p for p in self.folder.glob("live-*") if p != keep and p.is_dir()),
            key=lambda p: p.stat().st_mtime,
        )
        for old in folders[: max(0, len(folders) - KEEP_OLD)]:
            shutil.rmtree(old, ignore_errors=True)

    def catalog(self) -> Catalog:
        return load_catalog(self.root())

    def seed(self) -> content_store.Imported | None:
        """Load the shipped (or configured) content into an empty database."""
        with self.database.write() as db:
            return seed_from(db, self.seed_root)


def seed_from(db: Session, root: Path) -> content_store.Imported | None:
    """The content folder ``root`` into an empty database, in the caller's transaction;
    None when the database holds content already. The one seed of `tsunagu db upgrade`,
    of the site's first read and of the editor's first page."""
    docs = [content_store.Document(d.kind, d.slug, d.body) for d in folder_documents(root)]
    return content_store.seed_if_empty(db, docs, same)


def init_app(app: Flask, database: Database) -> None:
    app.extensions[EXTENSION_KEY] = ContentSource(app, database)


def source(app: Flask | None = None) -> ContentSource:
    return (app or current_app).extensions[EXTENSION_KEY]


def content_root() -> Path:
    """The folder of the content residents see now (call within the app)."""
    return source().root()


def catalog() -> Catalog:
    """The content residents see now, typed (``load_catalog`` caches parsed files)."""
    return source().catalog()


def settings() -> Settings:
    """The ward settings residents see now; readable even when a guide is broken (the
    pages that say "ask the counter" need the counter's phone then most)."""
    return load_settings(settings_path(content_root()))
