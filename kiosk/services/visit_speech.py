"""Clips spoken on the fly for one visit (e.g. the booking confirmation), deleted when it ends.

What a resident typed (name, phone, birth year) has no pre-built clip: the offline engine
(``content.speech.OfflineEngine``) speaks it into a private directory made for this visit
(``tempfile.mkdtemp`` under the kiosk's data dir, mode 0700). ``clear()`` deletes that
directory; the app calls it whenever a visit ends, so personal data does not stay on disk.
Synthesis runs off the GUI thread; an engine that is missing or fails gives no clip, silently.
No Kivy here: ``kiosk.app`` hands the result back to the GUI thread.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
#: the per-visit directories' names start with this (a crash may leave one: see ``purge``)
PREFIX = "visit-speech-"


def offline_engine():
    from content.speech import OfflineEngine

    return OfflineEngine()


class VisitClips:
    """A per-visit clip store: ``synthesise`` into a private directory, ``clear`` deletes it."""

    def __init__(self, data_dir: Path, engine_factory: Callable[[], object] = offline_engine):
        self.data_dir = Path(data_dir)
        self.engine_factory = engine_factory
        self.engine = None
        #: this visit's directory, made on the first clip
        self.directory: Path | None = None
        #: bumped by ``clear``: a clip asked for in an earlier visit is thrown away
        self.generation = 0
        self._count = 0
        self._state = threading.Lock()
        #: one synthesis at a time (the engines are not known to be thread-safe)
        self._engine_lock = threading.Lock()

    def request(self, text: str, language: str) -> Callable[[], Path | None]:
        """A job for a background thread: the clip of ``text``, or None (no engine, visit over).

        Called on the GUI thread, so the directory and the file name belong to this visit.
        """
        with self._state:
            generation = self.generation
            if self.directory is None:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                self.directory = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.data_dir))
                os.chmod(self.directory, 0o700)
            directory = self.directory
            self._count += 1
            number = self._count

        def job() -> Path | None:
            path = self._synthesise(text, language, directory, number)
            with self._state:
                if generation == self.generation:
                    return path
            # the visit ended while the engine spoke: what it wrote goes too
            shutil.rmtree(directory, ignore_errors=True)
            return None

        return job

    def _synthesise(self, text: str, language: str, directory: Path, number: int) -> Path | None:
        from content.speech import EngineUnavailable, Utterance

        with self._engine_lock:
            try:
                if self.engine is None:
                    self.engine = self.engine_factory()
                target = directory / f"clip-{number}{self.engine.extension(language)}"
                self.engine.synthesise(Utterance(text, language), target)
            except (EngineUnavailable, ImportError, OSError, KeyError, ValueError) as exc:
                # never the text: it holds what the resident typed
                log.info("no spoken clip for this visit: %s", type(exc).__name__)
                return None
        return target if target.is_file() else None

    def current(self, generation: int) -> bool:
        """True while the visit of ``generation`` goes on."""
        return generation == self.generation

    def clear(self) -> None:
        """The visit is over: delete its directory and forget clips still being made."""
        with self._state:
            self.generation += 1
            directory, self.directory = self.directory, None
            self._count = 0
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    def purge(self) -> None:
        """Delete any visit directory left in the data dir (a crash or a power cut)."""
        self.clear()
        for leftover in self.data_dir.glob(f"{PREFIX}*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
