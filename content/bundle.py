"""The kiosk's content bundle: one deterministic, versioned zip of content, media and audio.

The version is a hash of every file's path and sha256, so it changes exactly when the
content, the settings, a picture or a clip changes; entries are sorted and carry a fixed
timestamp, so the same content always gives the same bytes. Each SVG picture travels
with the PNG the kiosk draws, rendered here by resvg (same SVG, same bytes).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from content.loader import CONTENT_DIR, SECTIONS, Catalog, settings_path
from content.media import raster_name, rasterise
from content.speech import MANIFEST, AudioCache, utterances

log = logging.getLogger(__name__)

#: a fixed timestamp for every entry (the earliest a zip can hold)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: audio is compressed already; deflating it again only costs time
STORED_SUFFIXES = (".ogg", ".mp3", ".wav", ".png", ".jpg")
DEFAULT_BUNDLES = CONTENT_DIR.parent / "instance" / "bundles"


@dataclass(frozen=True)
class BundleResult:
    """A built bundle: where it is, its version, how many files, texts without audio."""

    path: Path
    version: str
    files: int
    missing_audio: int


def bundle_files(catalog: Catalog, cache: AudioCache) -> tuple[dict[str, bytes], int]:
    """Path in the zip -> bytes for everything a kiosk needs, and the count of unvoiced texts."""
    root = catalog.root
    files: dict[str, bytes] = {}
    for section in SECTIONS:
        for path in sorted((root / section).glob("*.yaml")):
            files[f"{section}/{path.name}"] = path.read_bytes()
    files.update(_media(root))
    files["settings.yaml"] = settings_path(root).read_bytes()
    audio, missing = _audio(catalog, cache)
    files.update(audio)
    return files, missing


def _media(root: Path) -> dict[str, bytes]:
    """The illustrations, each SVG with the PNG the kiosk shows (Kivy cannot draw SVG), and
    the pictures uploaded on the staff site (media/uploads/, kept as PNG) as they are."""
    files: dict[str, bytes] = {}
    media = root / "media"
    for path in sorted(media.rglob("*")) if media.is_dir() else []:
        if not path.is_file() or path.name.startswith("."):
            continue
        name = path.relative_to(root).as_posix()
        files[name] = path.read_bytes()
        if path.suffix == ".svg":
            try:
                files[raster_name(name)] = _raster(files[name], path)
            except ValueError as exc:  # content check reports it when a step uses it
                log.warning("%s cannot be drawn, the kiosk will not show it: %s", name, exc)
    return files


#: PNG drawings by their SVG's sha256: a server recomputes its bundle's version every minute
#: and drawing 16 pictures each time cost about a second of a worker's CPU
_rasters: dict[str, bytes] = {}


def _raster(svg: bytes, path: Path) -> bytes:
    """The PNG of this SVG (drawn once per distinct SVG in this process)."""
    key = hashlib.sha256(svg).hexdigest()
    if key not in _rasters:
        _rasters[key] = rasterise(path)
    return _rasters[key]


def _audio(catalog: Catalog, cache: AudioCache) -> tuple[dict[str, bytes], int]:
    """The clips of the catalog's texts with their own manifest, and how many are missing."""
    files: dict[str, bytes] = {}
    clips: dict[str, dict[str, str]] = {}
    missing = 0
    for utterance in utterances(catalog):
        path = cache.find(utterance.text, utterance.language, utterance.speed)
        if path is None:
            missing += 1
            continue
        files[f"audio/{path.name}"] = path.read_bytes()
        clips[path.name] = cache.entries[path.name]
    if clips:
        manifest = {"version": 1, "clips": clips}
        files[f"audio/{MANIFEST}"] = _json(manifest)
    return files, missing


def _json(data: object) -> bytes:
    """Canonical JSON bytes: sorted keys, UTF-8, a final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def content_version(files: dict[str, bytes]) -> tuple[str, dict[str, str]]:
    """The bundle version (16 hex digits) and the sha256 of each file it hashes."""
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    listing = "".join(f"{name}\0{digest}\n" for name, digest in digests.items())
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()[:16], digests


def write_zip(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` as a zip whose bytes depend only on the files (atomically)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.create_system = 3  # unix, whatever machine builds it
                info.external_attr = 0o644 << 16
                stored = name.endswith(STORED_SUFFIXES)
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name], compresslevel=None if stored else 9)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def bundle_target(out: Path, version: str) -> Path:
    """``out`` itself when it names a .zip file, else the versioned file name inside it."""
    if out.suffix == ".zip" and not out.is_dir():
        return out
    return out / f"tsunagu-content-{version}.zip"


def build_bundle(catalog: Catalog, cache: AudioCache, out: Path | None = None) -> BundleResult:
    """Write the bundle zip (to ``out``, a file or a directory) and say what went in."""
    files, missing = bundle_files(catalog, cache)
    version, digests = content_version(files)
    files["manifest.json"] = _json(
        {
            "version": version,
            "sample_settings": catalog.settings.sample,
            "files": digests,
        }
    )
    target = bundle_target(Path(out) if out is not None else DEFAULT_BUNDLES, version)
    write_zip(target, files)
    return BundleResult(target, version, len(files), missing)
