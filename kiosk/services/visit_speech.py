"""Clips spoken on the fly for one visit (e.g. the booking confirmation), deleted when it ends.

What a resident typed (name, phone, birth year) has no pre-built clip: the offline engine
(``content.speech.OfflineEngine``) speaks it into a private directory made for this visit
(``tempfile.mkdtemp`` under the kiosk's data dir, mode 0700). ``clear()`` deletes that
directory; the app calls it whenever a visit ends, so personal data does not stay on disk.
Synthesis runs off the GUI thread; an engine that is missing or fails gives no clip, silently.
No Kivy here: ``kiosk.app`` hands the result back to the GUI thread.

A directory that cannot be written (a full or read-only disk, a file where the directory
should be) or an audio cache that cannot be read is a different matter: ``SpeechHealth``
logs it once, in one line naming the directory and the reason (never the text: it holds
what the resident typed), and tells the speech bars (kiosk/widgets/speech_bar.py)
so the resident reads instead of waiting for a voice. Everything else keeps working.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
#: one synthesis at a time in the whole kiosk (the engines are not known to be thread-safe):
#: shared by the visit's clips and the screens' clips (kiosk.services.speech_player)
ENGINE_LOCK = threading.Lock()
#: the per-visit directories' names start with this (a crash may leave one: see ``purge``)
PREFIX = "visit-speech-"


class SpeechHealth:
    """Which audio directories cannot be used now, and why; each new problem logged once.

    Listeners (the notice on screen) are called on whichever thread found the change.
    """

    def __init__(self) -> None:
        self._problems: dict[str, str] = {}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    @property
    def problem(self) -> str:
        """The reason of one current problem, "" when speech can be used."""
        with self._lock:
            return next(iter(self._problems.values()), "")

    def problem_besides(self, directory: Path) -> str:
        """The reason of a current problem with any directory but ``directory``, else ""."""
        with self._lock:
            return next((r for d, r in self._problems.items() if d != str(directory)), "")

    def report(self, directory: Path, exc: OSError) -> None:
        """``directory`` cannot be used because of ``exc``: one log line, the first time."""
        reason = _reason(directory, exc)
        with self._lock:
            new = self._problems.get(str(directory)) != reason
            self._problems[str(directory)] = reason
        if new:
            log.warning(
                "speech unavailable: the audio directory %s cannot be used: %s", directory, reason
            )
            self._notify()

    def fine(self, directory: Path) -> None:
        """``directory`` works (again)."""
        with self._lock:
            was = self._problems.pop(str(directory), None)
        if was is not None:
            log.info("speech available again: %s", directory)
            self._notify()

    def check_cache(self, root: Path) -> bool:
        """Look at the audio cache the clips are read from; True when it can be used."""
        from content.speech import cache_problem

        problem = cache_problem(root)
        if problem is None:
            self.fine(root)
            return True
        self.report(root, problem)
        return False

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()


def _reason(directory: Path, exc: OSError) -> str:
    """The system's reason in plain words, e.g. "No space left on device"."""
    in_the_way = directory.exists() and not directory.is_dir()
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and in_the_way:
        return "a file, not a directory"
    return exc.strerror or type(exc).__name__


def offline_engine():
    """The offline engine, run in a child process that leaves when idle (speech_process)."""
    from kiosk.services.speech_process import EngineProcess

    return EngineProcess()


class VisitClips:
    """A per-visit clip store: ``synthesise`` into a private directory, ``clear`` deletes it."""

    def __init__(
        self,
        data_dir: Path,
        engine_factory: Callable[[], object] = offline_engine,
        health: SpeechHealth | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.engine_factory = engine_factory
        #: what cannot be written or read now; the screens' notice listens to it
        self.health = health or SpeechHealth()
        self.engine = None
        #: this visit's directory, made on the first clip
        self.directory: Path | None = None
        #: bumped by ``clear``: a clip asked for in an earlier visit is thrown away
        self.generation = 0
        self._count = 0
        self._state = threading.Lock()
        #: one synthesis at a time (the engines are not known to be thread-safe)
        self.engine_lock = ENGINE_LOCK

    def shared_engine(self):
        """The one engine of this kiosk (the screens' reading uses it too), made when first needed."""
        if self.engine is None:
            self.engine = self.engine_factory()
        return self.engine

    def close(self) -> None:
        """The kiosk is closing: an engine with a process of its own stops it."""
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()

    def request(self, text: str, language: str) -> Callable[[], Path | None]:
        """A job for a background thread: the clip of ``text``, or None (no engine, visit over).

        Called on the GUI thread, so the directory and the file name belong to this visit.
        """
        with self._state:
            generation = self.generation
            try:
                if self.directory is None:
                    self.data_dir.mkdir(parents=True, exist_ok=True)
                    self.directory = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.data_dir))
                    os.chmod(self.directory, 0o700)
            except OSError as exc:  # full, read-only, a file in the way: no clip, no crash
                self.health.report(self.data_dir, exc)
                return lambda: None
            directory = self.directory
            self._count += 1
            number = self._count

        def job() -> Path | None:
            path = self._synthesise(text, language, directory, number, generation)
            with self._state:
                if generation == self.generation:
                    return path
            # the visit ended while the engine spoke: what it wrote goes too
            shutil.rmtree(directory, ignore_errors=True)
            return None

        return job

    def _synthesise(
        self, text: str, language: str, directory: Path, number: int, generation: int
    ) -> Path | None:
        from content.speech import EngineUnavailable, Utterance

        with self.engine_lock:
            try:
                engine = self.shared_engine()
                target = directory / f"clip-{number}{engine.extension(language)}"
                engine.synthesise(Utterance(text, language), target)
            except OSError as exc:  # the disk, not the engine: the notice says speech is off
                # unless the visit ended meanwhile: ``clear`` deleting the directory under
                # the engine (its half-written file gone) is no fault of the disk, and would
                # silence the next residents' speech bars until a clip is made again
                if self.current(generation) and (directory.is_dir() or not self.data_dir.is_dir()):
                    self.health.report(self.data_dir, exc)
                return None
            except (EngineUnavailable, ImportError, KeyError, ValueError) as exc:
                # never the text: it holds what the resident typed
                log.info("no spoken clip for this visit: %s", type(exc).__name__)
                return None
        if not target.is_file():
            return None
        self.health.fine(self.data_dir)
        return target

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
