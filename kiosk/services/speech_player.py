"""Reading a screen aloud: its texts become clips, played one after another.

A screen says what to read (``speech_text``: a list of texts in the kiosk's language);
``ScreenSpeaker.read`` turns each text into a clip and plays them in order:

1. a clip built ahead of time for shipped content (``tsunagu content speech``, the
   content audio cache: guide steps, FAQ answers, checklists);
2. else a clip this kiosk already spoke (``<data_dir>/speech``, named by the same
   sha256 key as the content cache), e.g. a button's caption or a class's date;
3. else the offline engine speaks it now (pyopenjtalk for Japanese, espeak-ng for the
   other languages) into that cache, on a background thread, and it is played once made.

What the resident typed (``Typed``: name, phone, birth year, the booking's code) is never
put in that cache: it is spoken into this visit's private directory
(``kiosk.services.visit_speech.VisitClips``), deleted when the visit ends.

The first clip plays as soon as it exists while the next ones are made; ``stop`` (止める,
a screen change, the end of a visit) ends the reading and throws away clips still coming.
Nothing here blocks the GUI thread: lookups are a stat, synthesis runs in a thread, and
clips are handed back with ``post`` (Kivy's Clock in the app).
"""

from __future__ import annotations

import importlib.util
import logging
import re
import shutil
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from languages import N_

log = logging.getLogger(__name__)

#: the kiosk's own cache of clips spoken on first use, under its data dir
CACHE_DIR = "speech"
#: marks drawn on buttons that a voice should not try to say
_MARKS = re.compile(r"[←→●○✓□！!＿]+")
_SPACES = re.compile(r"\s+")

#: why a kiosk cannot speak, in words (English msgids, context "kiosk")
NO_SOUND = N_(
    "Reading aloud does not work on this kiosk: it has no sound output. "
    "Please read the screen, or press Call staff."
)
NO_JAPANESE_VOICE = N_(
    "Reading aloud does not work on this kiosk: the Japanese voice (pyopenjtalk) is not "
    "installed. Please read the screen, or press Call staff."
)
NO_VOICE = N_(
    "Reading aloud does not work on this kiosk in this language: its voice (espeak-ng) is "
    "not installed. Please read the screen, or press Call staff."
)
NOT_NOW = N_("Speech is not available right now. Please read the screen, or press Call staff.")

JAPANESE = ("ja", "ja-easy")


class Typed(str):
    """Text the resident typed (or their booking's code): spoken for this visit only."""


#: each digit's name, so a phone number is read digit by digit (ゼロ キュウ ゼロ, not 九十)
DIGIT_NAMES = {
    "ja": ("ゼロ", "イチ", "ニ", "サン", "ヨン", "ゴ", "ロク", "ナナ", "ハチ", "キュウ"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "zh-Hans": ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九"),
    "ko": ("공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"),
}
DIGIT_NAMES["ja-easy"] = DIGIT_NAMES["ja"]


def spell_digits(shown: str, language: str) -> str:
    """``090-1234-5678`` as it is said: each digit by name, a pause at each hyphen."""
    names = DIGIT_NAMES.get(language, DIGIT_NAMES["en"])
    pause = "、" if language in ("ja", "ja-easy", "zh-Hans") else ", "
    groups = [g for g in shown.split("-") if g]
    return pause.join(" ".join(names[int(d)] for d in g if d.isdigit()) for g in groups)


def spoken_form(text: str) -> str:
    """``text`` as a voice should get it: no arrows, ticks or ●/○, spaces folded."""
    return _SPACES.sub(" ", _MARKS.sub(" ", text)).strip()


def _module_installed(name: str) -> bool:
    if name in sys.modules:
        return sys.modules[name] is not None
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def engine_problem(language: str) -> str:
    """Why the offline engine cannot speak ``language`` here (a msgid), "" when it can."""
    if language in JAPANESE:
        return "" if _module_installed("pyopenjtalk") else NO_JAPANESE_VOICE
    return "" if shutil.which("espeak-ng") else NO_VOICE


def sound_problem() -> str:
    """NO_SOUND when Kivy found no audio provider (no SDL2 mixer, no GStreamer ...)."""
    from kivy.core.audio import SoundLoader

    return "" if SoundLoader._classes else NO_SOUND


class ScreenSpeaker:
    """Reads lists of texts aloud, one clip after another; one reading at a time.

    ``find(text, language)`` is the content cache's lookup (a path or None);
    ``post(fn)`` runs ``fn`` on the GUI thread; ``load(path)`` gives a Sound.
    """

    def __init__(
        self,
        data_dir: Path,
        visit_clips,
        find: Callable[[str, str], Path | None],
        post: Callable[[Callable[[], None]], None],
        load: Callable[[str], object],
        volume: Callable[[], float] = lambda: 0.8,
    ):
        self.cache = Path(data_dir) / CACHE_DIR
        self.visit_clips = visit_clips
        self.find = find
        self.post = post
        self.load = load
        self.volume = volume
        #: the Sound playing now, None when silent
        self.sound = None
        #: bumped by every read and stop: clips of an older reading are dropped
        self.token = 0
        self._queue: deque[Path] = deque()
        self._making = False
        #: called on the GUI thread with a msgid when a reading produced no sound at all
        self.on_silent: Callable[[str], None] = lambda _reason: None
        self._engine = None
        #: a clip of the current reading has started (else, when all are made: silent)
        self._played = False

    # -- where a clip is ------------------------------------------------------------
    def _engine_for(self):
        if self._engine is None:
            self._engine = self.visit_clips.shared_engine()
        return self._engine

    def cached(self, text: str, language: str) -> Path | None:
        """The clip of a public ``text`` already on disk (content cache, then ours), or None."""
        found = self.find(text, language)
        if found is not None:
            return found
        target = self.own_clip(text, language)
        return target if target is not None and target.is_file() else None

    def own_clip(self, text: str, language: str) -> Path | None:
        """Where this kiosk keeps its offline clip of ``text`` (None: no engine for it)."""
        from content.speech import cache_key

        try:
            engine = self._engine_for()
            voice = engine.voice(language)
            key = cache_key(text, language, engine.name, voice, "normal")
            return self.cache / f"{key}{engine.extension(language)}"
        except (ImportError, KeyError, ValueError, AttributeError):
            return None

    def can_speak(self, texts: Iterable[str], language: str) -> str:
        """ "" when a reading of ``texts`` would sound; else why not (a msgid)."""
        problem = sound_problem()
        if problem:
            return problem
        problem = engine_problem(language)
        if not problem:
            return ""
        # no engine: clips built ahead of time still speak, if every text has one
        pieces = [spoken_form(t) for t in texts if t and spoken_form(t)]
        typed = any(isinstance(t, Typed) for t in texts)
        if pieces and not typed and all(self.cached(p, language) for p in pieces):
            return ""
        return problem

    # -- reading --------------------------------------------------------------------
    def read(self, texts: Iterable[str], language: str) -> int:
        """Read ``texts`` in order (GUI thread); returns this reading's token."""
        self.stop()
        token = self.token
        pieces = []
        for text in texts:
            form = spoken_form(text or "")
            if form:
                pieces.append(Typed(form) if isinstance(text, Typed) else form)
        if not pieces:
            return token
        jobs: list[Callable[[], Path | None]] = []
        first = pieces[0]
        if not isinstance(first, Typed):
            clip = self.cached(first, language)
            if clip is not None:  # tap → sound at once, no thread in between
                self._queue.append(clip)
                self._play_next(token)
                pieces = pieces[1:]
        for piece in pieces:
            jobs.append(self._job(piece, language))
        if not jobs:
            return token
        self._making = True
        threading.Thread(
            target=self._make, args=(token, jobs, language), daemon=True, name="screen-speech"
        ).start()
        return token

    def _job(self, text: str, language: str) -> Callable[[], Path | None]:
        if isinstance(text, Typed):
            return self.visit_clips.request(str(text), language)  # made on this thread
        return lambda: self._public(text, language)

    def _public(self, text: str, language: str) -> Path | None:
        """The clip of a public text: found, or spoken now into the kiosk's cache."""
        from content.speech import EngineUnavailable, Utterance

        found = self.cached(text, language)
        if found is not None:
            return found
        target = self.own_clip(text, language)
        if target is None:
            return None
        health = self.visit_clips.health
        with self.visit_clips.engine_lock:
            if target.is_file():
                return target
            try:
                self.cache.mkdir(parents=True, exist_ok=True)
                self._engine_for().synthesise(Utterance(text, language), target)
            except OSError as exc:  # the kiosk's disk (full, read-only): as for the visit's clips
                health.report(self.visit_clips.data_dir, exc)
                return None
            except (EngineUnavailable, ImportError, KeyError, ValueError) as exc:
                log.info("no clip for a screen text: %s", type(exc).__name__)
                return None
        health.fine(self.visit_clips.data_dir)
        return target if target.is_file() else None

    def _make(self, token: int, jobs: list[Callable[[], Path | None]], language: str) -> None:
        """Background: make each clip in order, hand it to the GUI thread as soon as it exists."""
        for job in jobs:
            if token != self.token:
                return
            path = job()
            if path is not None:
                self.post(lambda p=path: self._arrived(token, p))
        self.post(lambda: self._finished(token, language))

    def _arrived(self, token: int, path: Path) -> None:
        if token != self.token:
            return
        self._queue.append(path)
        if self.sound is None:
            self._play_next(token)

    def _finished(self, token: int, language: str) -> None:
        if token != self.token:
            return
        self._making = False
        if self.sound is None and not self._queue and not self._played:
            self.on_silent(sound_problem() or engine_problem(language) or NOT_NOW)

    def _play_next(self, token: int) -> None:
        while self._queue and token == self.token:
            path = self._queue.popleft()
            sound = self.load(str(path))
            if sound is None:
                continue
            self._played = True
            self.sound = sound
            sound.volume = self.volume()
            sound.bind(on_stop=lambda *_a, s=sound: self._ended(token, s))
            sound.play()
            return

    def _ended(self, token: int, sound) -> None:
        if token != self.token or self.sound is not sound:
            return  # stopped on purpose (stop sets sound to None first)
        self.sound = None
        # the next clip after this callback has returned (the sound finishes stopping)
        self.post(lambda: self._play_next(token) if self.sound is None else None)

    def play_file(self, path: Path) -> None:
        """Play one clip at once (a clip a screen already has)."""
        self.stop()
        self._queue.append(Path(path))
        self._played = False
        self._play_next(self.token)

    def set_volume(self, volume: float) -> None:
        if self.sound is not None:
            self.sound.volume = volume

    @property
    def busy(self) -> bool:
        """True while a reading plays or is still being made."""
        return self.sound is not None or self._making or bool(self._queue)

    def stop(self) -> None:
        """Silence now; clips of the reading still being made are dropped when they come."""
        self.token += 1
        self._queue.clear()
        self._making = False
        self._played = False
        sound, self.sound = self.sound, None
        if sound is not None:
            sound.stop()
