"""The content bundle served to kiosks: built once per content version, never per request.

The version is recomputed from the files at most every `recheck_seconds` (about 0.1 s
of hashing); the zip is written into the instance folder only when that version has
no zip yet, and its size and SHA-256 are kept in memory.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from content.bundle import build_bundle, bundle_files, bundle_target, content_version
from content.loader import load_catalog
from content.speech import AudioCache

log = logging.getLogger(__name__)
VERSION = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Bundle:
    version: str
    path: Path
    size: int
    sha256: str


class ContentBundles:
    def __init__(
        self,
        out_dir: Path,
        content_dir: Path | Callable[[], Path] | None = None,
        audio_dir: Path | None = None,
        recheck_seconds: float = 60,
    ) -> None:
        #: the content folder, or a function giving the one in effect (web.content_source)
        self.out_dir, self.content_dir, self.audio_dir = out_dir, content_dir, audio_dir
        self.recheck_seconds = recheck_seconds
        self._current: Bundle | None = None
        self._checked_at: float | None = None
        self._lock = threading.Lock()

    def current(self) -> Bundle | None:
        """The newest bundle; None only when the content could never be read."""
        with self._lock:
            now = time.monotonic()
            if self._checked_at is not None and now - self._checked_at < self.recheck_seconds:
                return self._current
            self._checked_at = now
            try:
                self._current = self._refresh()
            except Exception:  # broken content on disk: keep serving the last good bundle
                log.exception("the content bundle could not be built")
            return self._current

    def changed(self) -> None:
        """Recompute the version at the next request (content was published here)."""
        with self._lock:
            self._checked_at = None

    def _refresh(self) -> Bundle:
        root = self.content_dir() if callable(self.content_dir) else self.content_dir
        catalog = load_catalog(root)
        cache = AudioCache.open(self.audio_dir)
        files, _missing = bundle_files(catalog, cache)
        version, _digests = content_version(files)
        if self._current is not None and self._current.version == version:
            return self._current
        path = bundle_target(self.out_dir, version)
        if not path.is_file():
            path = build_bundle(catalog, cache, self.out_dir).path
        data = path.read_bytes()
        # the content changed (or the server started): the ask index is built now, with
        # the bundle, so that no resident's question waits for it (docs/ask.md)
        self.build_ask_index(catalog)
        return Bundle(version, path, len(data), hashlib.sha256(data).hexdigest())

    @staticmethod
    def build_ask_index(catalog) -> None:
        """Build the ask index of ``catalog``'s content (kept until the content changes)."""
        from content.ask.index import index_for

        try:
            index_for(catalog)
        except Exception:  # a broken synonym list: the questions' own path reports it
            log.warning("the ask index could not be built with the bundle", exc_info=True)

    def warm(self) -> threading.Thread:
        """Build the bundle and the ask index in the background (the server's start)."""
        thread = threading.Thread(target=self.current, daemon=True, name="content-warm")
        thread.start()
        return thread

    def path_for(self, version: str) -> Path | None:
        """The zip of this version, if it was built here."""
        if not VERSION.match(version):
            return None
        path = bundle_target(self.out_dir, version)
        return path if path.is_file() else None
