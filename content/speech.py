"""Text to audio for the kiosk: gTTS online, pyopenjtalk / espeak-ng offline, a hashed cache.

Offline audio is OGG Vorbis (mono; 24 kHz for Japanese, espeak-ng's 22.05 kHz otherwise)
encoded by sox; without sox it is 16-bit WAV. gTTS gives MP3. The kiosk's SDL2 player
plays all three. Each clip is one file named by the sha256 of (text, language, engine,
voice, speed); ``manifest.json`` in the cache maps texts to files.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from content.loader import CONTENT_DIR, Catalog
from content.model import LANGUAGES, Text
from content.openjtalk import openjtalk
from languages import gettext as _

if TYPE_CHECKING:  # numpy comes with pyopenjtalk (the speech extra); a server may lack it
    import numpy as np

ENGINES: tuple[str, ...] = ("gtts", "offline")
#: engines in order of preference when the kiosk looks a text up
PREFERENCE: tuple[str, ...] = ("gtts", "offline")
SPEEDS: tuple[str, ...] = ("normal", "slow")
CACHE_ENV = "TSUNAGU_AUDIO_CACHE"
DEFAULT_CACHE = CONTENT_DIR.parent / "instance" / "audio"
MANIFEST = "manifest.json"

#: gTTS language for each content language
GTTS_LANGUAGES = {"ja": "ja", "ja-easy": "ja", "en": "en", "zh-Hans": "zh-CN", "ko": "ko"}
#: espeak-ng voice for the languages pyopenjtalk does not speak
ESPEAK_VOICES = {"en": "en", "zh-Hans": "cmn", "ko": "ko"}
JAPANESE = ("ja", "ja-easy")
OPENJTALK_VOICE = "mei_normal"
OPENJTALK_SPEED = {"normal": 1.0, "slow": 0.75}
ESPEAK_WPM = {"normal": 160, "slow": 120}
OPENJTALK_RATE = 48_000
JA_RATE = 24_000
#: loudest int16 sample handed to the encoder (pyopenjtalk's floats can exceed int16)
HEADROOM = 29_000.0
#: sox normalises every OGG clip's peak to this (dBFS): even loudness, room for Vorbis
PEAK_DB = "-2"
VORBIS_QUALITY = "2"
#: (connect, read) seconds for gTTS; the probe of ``auto`` uses a shorter one
GTTS_TIMEOUT = (5.0, 20.0)
PROBE_TIMEOUT = (3.0, 8.0)


class EngineUnavailable(Exception):
    """An engine cannot speak right now (no network, rate-limited, program missing)."""


class CacheError(Exception):
    """The audio cache directory cannot be written; the message says which and why."""


@dataclass(frozen=True)
class Utterance:
    """One text to speak, in one language, at one speed."""

    text: str
    language: str
    speed: str = "normal"


class Engine(Protocol):
    """A text-to-speech engine that writes one audio file per utterance."""

    name: str

    def voice(self, language: str) -> str:
        """The voice this engine uses for ``language`` (part of the cache key)."""
        ...

    def extension(self, language: str) -> str:
        """The file extension of the audio it writes for ``language``, with the dot."""
        ...

    def synthesise(self, utterance: Utterance, target: Path) -> None:
        """Write the audio of ``utterance`` to ``target``; raise EngineUnavailable on failure."""
        ...


def cache_key(text: str, language: str, engine: str, voice: str, speed: str) -> str:
    """The sha256 naming the clip of these five things (stable across runs and machines)."""
    payload = json.dumps([text, language, engine, voice, speed], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def sox_writes_ogg() -> bool:
    """True when sox is installed and can encode OGG Vorbis."""
    sox = shutil.which("sox")
    if sox is None:
        return False
    result = subprocess.run([sox, "-h"], capture_output=True, text=True, check=False)
    return " ogg " in f" {result.stdout} "


class GttsEngine:
    """Google's online TTS through gTTS, always with a timeout; MP3 files."""

    name = "gtts"

    def __init__(self, timeout: tuple[float, float] = GTTS_TIMEOUT) -> None:
        self.timeout = timeout

    def voice(self, language: str) -> str:
        """gTTS's language code (it has one voice per language)."""
        return GTTS_LANGUAGES[language]

    def extension(self, language: str) -> str:
        """gTTS always answers MP3."""
        return ".mp3"

    def synthesise(self, utterance: Utterance, target: Path) -> None:
        """Fetch the MP3; any network, HTTP (429 ...) or format failure is EngineUnavailable."""
        from gtts import gTTS, gTTSError

        tts = gTTS(
            utterance.text,
            lang=self.voice(utterance.language),
            slow=utterance.speed == "slow",
            timeout=self.timeout,
        )
        with _atomic(target) as handle:
            try:
                tts.write_to_fp(handle)
            except gTTSError as exc:
                raise EngineUnavailable(str(exc)) from exc
        if target.stat().st_size == 0:
            target.unlink()
            raise EngineUnavailable(_("gTTS answered without audio"))


class OfflineEngine:
    """pyopenjtalk for Japanese and espeak-ng for the other languages; no network."""

    name = "offline"

    def voice(self, language: str) -> str:
        """The OpenJTalk voice for Japanese, else the espeak-ng voice."""
        return OPENJTALK_VOICE if language in JAPANESE else f"espeak-ng:{ESPEAK_VOICES[language]}"

    def extension(self, language: str) -> str:
        """OGG when sox can encode it, else WAV."""
        return ".ogg" if sox_writes_ogg() else ".wav"

    def synthesise(self, utterance: Utterance, target: Path) -> None:
        """Write the clip of ``utterance`` in this engine's format."""
        if utterance.language in JAPANESE:
            self._openjtalk(utterance, target)
        else:
            self._espeak(utterance, target)

    def _openjtalk(self, utterance: Utterance, target: Path) -> None:
        try:
            import numpy as np

            pyopenjtalk = openjtalk()
        except ImportError as exc:
            raise EngineUnavailable(_("pyopenjtalk is not installed")) from exc
        samples, rate = pyopenjtalk.tts(utterance.text, speed=OPENJTALK_SPEED[utterance.speed])
        peak = float(np.abs(samples).max()) if len(samples) else 0.0
        scale = min(1.0, HEADROOM / peak) if peak else 1.0  # never clip: scale the loud ones
        pcm = (samples * scale).astype("<i2")
        if sox_writes_ogg():
            _sox(
                [
                    "-t",
                    "raw",
                    "-r",
                    str(rate),
                    "-e",
                    "signed-integer",
                    "-b",
                    "16",
                    "-c",
                    "1",
                    "-",
                    "-C",
                    VORBIS_QUALITY,
                    "-r",
                    str(JA_RATE),
                ],
                pcm.tobytes(),
                target,
            )
        else:
            _write_wav(target, _halve_rate(pcm).tobytes(), rate // 2)

    def _espeak(self, utterance: Utterance, target: Path) -> None:
        espeak = shutil.which("espeak-ng")
        if espeak is None:
            raise EngineUnavailable(_("espeak-ng is not installed"))
        command = [
            espeak,
            "-v",
            ESPEAK_VOICES[utterance.language],
            "-s",
            str(ESPEAK_WPM[utterance.speed]),
            "--stdin",
        ]
        if not sox_writes_ogg():
            with _atomic(target) as handle:
                handle.close()
                _run([*command, "-w", handle.name], utterance.text.encode("utf-8"))
            return
        wav = _run([*command, "--stdout"], utterance.text.encode("utf-8"))
        _sox(["-t", "wav", "-", "-C", VORBIS_QUALITY], wav, target)


def _halve_rate(pcm: np.ndarray) -> np.ndarray:
    """Half the sample rate: the mean of each pair of samples (a gentle low-pass), as int16."""
    pairs = pcm[: len(pcm) // 2 * 2].astype("<i4").reshape(-1, 2)
    return (pairs.sum(axis=1) // 2).astype("<i2")


def _run(command: list[str], stdin: bytes) -> bytes:
    """Run a program; its failure becomes EngineUnavailable with its own message."""
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise EngineUnavailable(str(exc)) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip() or str(result.returncode)
        raise EngineUnavailable(f"{Path(command[0]).name}: {detail}")
    return result.stdout


def _sox(arguments: list[str], stdin: bytes, target: Path) -> None:
    """Encode with sox to OGG Vorbis at ``target``, atomically."""
    with _atomic(target) as handle:
        handle.close()
        _run(["sox", *arguments, "-t", "ogg", handle.name, "gain", "-n", PEAK_DB], stdin)


def _write_wav(target: Path, pcm: bytes, rate: int) -> None:
    """Write mono 16-bit PCM as a WAV file at ``target``, atomically."""
    with _atomic(target) as handle, wave.open(handle, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)


@contextmanager
def _atomic(target: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside ``target`` that replaces it only if the block succeeds."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed or removed below
        dir=target.parent, prefix=".", suffix=".part", delete=False
    )
    try:
        yield handle
        handle.close()
        os.chmod(handle.name, 0o644)  # the kiosk's player runs as another user
        os.replace(handle.name, target)
    except BaseException:
        handle.close()
        Path(handle.name).unlink(missing_ok=True)
        raise


@dataclass
class AudioCache:
    """A directory of clips named by ``cache_key`` plus ``manifest.json`` to look them up."""

    root: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path | None = None) -> AudioCache:
        """The cache at ``root`` (default $TSUNAGU_AUDIO_CACHE, else instance/audio)."""
        root = cache_root(root)
        return cls(root, _read_manifest(root / MANIFEST))

    def file_for(self, utterance: Utterance, engine: Engine) -> Path:
        """Where this engine's clip of ``utterance`` lives (whether or not it exists yet)."""
        language, speed = utterance.language, utterance.speed
        voice = engine.voice(language)
        key = cache_key(utterance.text, language, engine.name, voice, speed)
        return self.root / f"{key}{engine.extension(language)}"

    def has(self, utterance: Utterance, engine: Engine) -> bool:
        """True when this engine's clip is on disk; records it in the manifest if missing."""
        path = self.file_for(utterance, engine)
        if not path.is_file():
            return False
        self.record(utterance, engine, path)
        return True

    def record(self, utterance: Utterance, engine: Engine, path: Path) -> None:
        """Add a clip to the manifest (saved by ``save``)."""
        self.entries[path.name] = {
            "text": utterance.text,
            "language": utterance.language,
            "speed": utterance.speed,
            "engine": engine.name,
            "voice": engine.voice(utterance.language),
        }

    def find(self, text: str, language: str, speed: str = "normal") -> Path | None:
        """The best clip on disk for this text (gTTS before offline), or None."""
        found = _index(self.root / MANIFEST, self.entries_stamp()).get((text, language, speed), {})
        for engine in PREFERENCE:
            name = found.get(engine)
            if name and (self.root / name).is_file():
                return self.root / name
        return None

    def entries_stamp(self) -> tuple[int, int]:
        """(mtime, size) of the manifest file, so lookups re-read it only when it changed."""
        try:
            stat = (self.root / MANIFEST).stat()
        except OSError:
            return (0, 0)
        return (stat.st_mtime_ns, stat.st_size)

    def ensure_writable(self) -> None:
        """Create the directory and prove a file can be written there, else raise CacheError."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".probe-"):
                pass
        except OSError as exc:
            raise cache_error(self.root, exc) from exc

    def save(self) -> None:
        """Write the manifest atomically (sorted, so it is the same for the same clips)."""
        data = json.dumps(
            {"version": 1, "clips": self.entries}, ensure_ascii=False, indent=1, sort_keys=True
        )
        try:
            with _atomic(self.root / MANIFEST) as handle:
                handle.write(data.encode("utf-8"))
        except OSError as exc:
            raise cache_error(self.root, exc) from exc


def cache_root(root: Path | str | None = None) -> Path:
    """The audio cache directory: ``root``, else $TSUNAGU_AUDIO_CACHE, else instance/audio."""
    return Path(root or os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def cache_problem(root: Path) -> OSError | None:
    """Why clips cannot be read from ``root`` (a file where it should be, unreadable), or None.

    A cache that does not exist yet is no problem: nothing was built, the texts are silent.
    """
    try:
        mode = os.stat(root).st_mode
        if not stat.S_ISDIR(mode):
            return NotADirectoryError(errno.ENOTDIR, "a file, not a directory", str(root))
        with open(root / MANIFEST, "rb"):
            pass
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc
    return None


def cache_error(root: Path, exc: OSError) -> CacheError:
    """A CacheError that names the directory and the system's reason (full, read-only ...)."""
    return CacheError(
        _("The audio cache %(dir)s cannot be written: %(reason)s.")
        % {"dir": root, "reason": exc.strerror or exc}
    )


def _read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """The clips listed in a manifest file; none when it is absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    clips = data.get("clips") if isinstance(data, dict) else None
    return clips if isinstance(clips, dict) else {}


@lru_cache(maxsize=8)
def _index(manifest: Path, stamp: tuple[int, int]) -> dict[tuple[str, str, str], dict[str, str]]:
    """(text, language, speed) -> {engine: file name}, built once per manifest version."""
    index: dict[tuple[str, str, str], dict[str, str]] = {}
    for name, clip in _read_manifest(manifest).items():
        key = (clip["text"], clip["language"], clip["speed"])
        index.setdefault(key, {})[clip["engine"]] = name
    return index


def audio_path(
    text: str, language: str, speed: str = "normal", cache_dir: Path | None = None
) -> Path | None:
    """The audio file to play for ``text`` in ``language``, or None when none was built."""
    return AudioCache(cache_root(cache_dir)).find(text, language, speed)


def utterances(
    catalog: Catalog,
    languages: Iterable[str] = LANGUAGES,
    speeds: Iterable[str] = SPEEDS,
) -> list[Utterance]:
    """What the kiosk speaks: active guides' texts and FAQ answers, each language written."""
    wanted = tuple(languages)
    texts: list[Text] = [t for g in catalog.active_guides for t in g.spoken_texts()]
    texts += [t for topic in catalog.faq.values() for t in topic.spoken_texts()]
    found = {
        Utterance(t.values[lang], lang, speed): None
        for t in texts
        for lang in t.languages
        if lang in wanted
        for speed in speeds
    }
    return list(found)


@dataclass
class BuildReport:
    """What a speech build did: clips made, clips already there, what went wrong."""

    synthesised: int = 0
    cached: int = 0
    engine: str = ""
    fallback_reason: str | None = None
    failures: list[tuple[Utterance, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line such as ``0 synthesised, 812 already cached``."""
        return _("%(new)d synthesised, %(cached)d already cached") % {
            "new": self.synthesised,
            "cached": self.cached,
        }


def build_speech(
    items: Iterable[Utterance],
    cache: AudioCache,
    engine: str = "auto",
    progress: bool = True,
    online: GttsEngine | None = None,
    offline: OfflineEngine | None = None,
) -> BuildReport:
    """Make every missing clip; gTTS trouble switches the rest of the run to offline."""
    online = online or GttsEngine()
    offline = offline or OfflineEngine()
    cache.ensure_writable()
    report = BuildReport(engine=engine)
    todo = [u for u in items if not _cached(cache, u, engine, online, offline, report)]
    if not todo:
        return report
    chosen: Engine = offline if engine == "offline" else online
    if engine == "auto":
        chosen = _probe(todo[0], cache, online, offline, report)
    from tqdm import tqdm

    try:
        for utterance in tqdm(todo, disable=not progress, unit=_("clip"), desc=_("speech")):
            chosen = _speak(utterance, cache, chosen, offline, report)
    finally:
        cache.save()
    report.engine = chosen.name
    return report


def _cached(
    cache: AudioCache,
    utterance: Utterance,
    engine: str,
    online: GttsEngine,
    offline: OfflineEngine,
    report: BuildReport,
) -> bool:
    """True (and counted) when a clip the run would accept is on disk already."""
    accepted = {"auto": (online, offline), "gtts": (online,), "offline": (offline,)}[engine]
    hit = any(cache.has(utterance, e) for e in accepted)
    report.cached += hit
    return hit


def _probe(
    first: Utterance,
    cache: AudioCache,
    online: GttsEngine,
    offline: OfflineEngine,
    report: BuildReport,
) -> Engine:
    """Try gTTS once with a short timeout; the engine for the whole run (``auto``)."""
    probe = GttsEngine(PROBE_TIMEOUT)
    try:
        _write(first, cache, probe)
    except EngineUnavailable as exc:
        report.fallback_reason = str(exc)
        return offline
    report.synthesised += 1
    return online


def _speak(
    utterance: Utterance,
    cache: AudioCache,
    engine: Engine,
    offline: OfflineEngine,
    report: BuildReport,
) -> Engine:
    """Make one clip (unless the probe made it); returns the engine for the next ones."""
    if cache.has(utterance, engine):
        return engine
    try:
        _write(utterance, cache, engine)
    except EngineUnavailable as exc:
        if engine.name == "offline":
            report.failures.append((utterance, str(exc)))
            return engine
        report.fallback_reason = str(exc)
        return _speak(utterance, cache, offline, offline, report)
    report.synthesised += 1
    return engine


def _write(utterance: Utterance, cache: AudioCache, engine: Engine) -> None:
    """Synthesise into the cache and record it; a full or read-only disk is a CacheError."""
    path = cache.file_for(utterance, engine)
    try:
        engine.synthesise(utterance, path)
    except OSError as exc:
        raise cache_error(cache.root, exc) from exc
    cache.record(utterance, engine, path)
