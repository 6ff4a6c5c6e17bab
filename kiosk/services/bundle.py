"""A newer content bundle, downloaded while the kiosk is idle (docs/kiosk-api.md), without Kivy.

Layout under the kiosk's data dir::

    content/versions/<version>/   one unpacked bundle each (guides/, faq/, audio/, ...)
    content/current               a small file naming the version in use

``update()`` asks ``GET /api/v1/content/bundle``; when the version differs from the
installed one it downloads the zip to a temporary file, checks its size and sha256,
unpacks it into a new versioned directory, then switches ``current`` with one
``os.replace``. The previous version stays on disk until the next switch, so a catalog
loaded from it keeps its files. It never touches the catalog in memory: the app loads
the new one itself, on the home screen between visits (``load_installed``).
Blocking by design: run it off the UI thread.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.services.api import ApiClient, ApiError, Unreachable

log = logging.getLogger(__name__)

#: a version is a directory name: what content.bundle makes (16 hex), nothing that can escape
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
#: a bundle larger than this is refused before it is downloaded
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60.0
CHUNK = 256 * 1024
#: seconds between two looks at the server's bundle (only ever while idle on Home)
CHECK_EVERY = 600.0


class BundleRefused(ApiError):
    """The server's bundle cannot be used (bad size, sha256, zip or version): the old one stays."""


@dataclass(frozen=True)
class Update:
    """What ``update`` did: ``same`` (nothing downloaded), ``installed``."""

    outcome: str
    version: str
    path: Path | None = None


class BundleStore:
    """The installed bundles of one kiosk (``data_dir/content``)."""

    def __init__(self, data_dir: Path):
        self.root = Path(data_dir) / "content"
        self.versions = self.root / "versions"
        self.pointer = self.root / "current"

    def current_version(self) -> str:
        """The version in use, "" when none was installed (or the pointer is unreadable)."""
        try:
            version = self.pointer.read_text(encoding="utf-8").strip()
        except OSError:
            return ""
        return version if VERSION_RE.match(version) and (self.versions / version).is_dir() else ""

    def current_dir(self) -> Path | None:
        version = self.current_version()
        return self.versions / version if version else None

    def install(self, version: str, archive: Path) -> Path:
        """Unpack ``archive`` as ``version`` and make it current; keep the previous one."""
        if not VERSION_RE.match(version):
            raise BundleRefused(f"bad version {version!r}")
        self.versions.mkdir(parents=True, exist_ok=True)
        previous = self.current_version()
        staging = Path(tempfile.mkdtemp(dir=self.versions, prefix=f".{version}-"))
        try:
            _unpack(archive, staging)
            target = self.versions / version
            if target.exists() and version != previous:
                shutil.rmtree(target)  # a half-kept copy from an earlier try, never the one in use
            if not target.exists():
                os.rename(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._point_to(version)
        self._prune(keep={version, previous})
        return self.versions / version

    def _point_to(self, version: str) -> None:
        fd, temporary = tempfile.mkstemp(dir=self.root, prefix=".current-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(version + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.pointer)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _prune(self, keep: set[str]) -> None:
        """Remove every version but ``keep`` (the new one and the one it replaced)."""
        for path in self.versions.iterdir():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()


def _unpack(archive: Path, target: Path) -> None:
    """Extract every member inside ``target``; refuse names that would leave it."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                name = PurePosixPath(info.filename)
                if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                    raise BundleRefused(f"unsafe name in the bundle: {info.filename!r}")
            bundle.extractall(target)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise BundleRefused(f"not a usable zip: {exc}") from None


class BundleUpdater:
    """Checks the server for a newer bundle and installs it into a ``BundleStore``."""

    def __init__(self, api: ApiClient, store: BundleStore, timeout: float = DOWNLOAD_TIMEOUT):
        self.api = api
        self.store = store
        self.timeout = timeout

    def update(self) -> Update:
        """Download and switch to the server's bundle when it differs from the installed one.

        Raises ``Unreachable`` (try later) or ``BundleRefused`` (this bundle is not usable;
        the installed one stays current).
        """
        _status, info = self.api.request("GET", "/content/bundle")
        version, size, digest, url = (info.get(k) for k in ("version", "size", "sha256", "url"))
        if not (
            isinstance(version, str)
            and VERSION_RE.match(version)
            and isinstance(size, int)
            and 0 < size <= MAX_BUNDLE_BYTES
            and isinstance(digest, str)
            and isinstance(url, str)
            and url.startswith("/")
        ):
            raise BundleRefused("malformed bundle description")
        if version == self.store.current_version():
            return Update("same", version, self.store.current_dir())
        self.store.root.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.store.root, prefix=".download-", suffix=".zip")
        os.close(fd)
        archive = Path(temporary)
        try:
            self._download(url, archive, size, digest.lower())
            path = self.store.install(version, archive)
        finally:
            archive.unlink(missing_ok=True)
        log.info("content bundle %s installed", version)
        return Update("installed", version, path)

    def _download(self, url: str, target: Path, size: int, digest: str) -> None:
        request = urllib.request.Request(self.api.server + url, method="GET")
        if self.api.token:
            request.add_header("Authorization", f"Bearer {self.api.token}")
        sha, received = hashlib.sha256(), 0
        try:
            with (
                urllib.request.urlopen(request, timeout=self.timeout) as response,
                target.open("wb") as out,
            ):
                while chunk := response.read(CHUNK):
                    received += len(chunk)
                    if received > size:
                        raise BundleRefused("the bundle is larger than announced")
                    sha.update(chunk)
                    out.write(chunk)
        except urllib.error.HTTPError as exc:
            raise Unreachable(f"HTTP {exc.code}") from None
        except OSError as exc:  # URLError, timeouts, resets, a full disk
            raise Unreachable(type(exc).__name__) from None
        if received != size:
            raise BundleRefused(f"size {received} instead of {size}")
        if sha.hexdigest() != digest:
            raise BundleRefused("sha256 does not match")


def load_installed(data_dir: Path):
    """(catalog, audio dir, version) of the installed bundle, or None when none is usable."""
    from content.loader import forget_parsed, load_catalog

    store = BundleStore(data_dir)
    where = store.current_dir()
    if where is None:
        return None
    try:
        catalog = load_catalog(where)
    except Exception as exc:  # a broken bundle must not stop the kiosk: the shipped content
        log.warning("installed content bundle unusable: %s", type(exc).__name__)
        return None
    finally:
        forget_parsed()  # the kiosk reads these files once (kiosk.app, catalog)
    return catalog, where / "audio", store.current_version()


class IdleUpdates:
    """The app's side: called when Home sits idle with nothing entered (``on_idle``).

    A look at the server runs in its own thread (a large download never delays the
    outbox's worker), at most every ``check_every`` seconds. What it installed is loaded
    there too and handed over by the next ``on_idle``, so the catalog only ever changes
    on Home between visits. After a restart the installed bundle is handed over the same way.
    """

    def __init__(
        self,
        api: ApiClient,
        data_dir: Path,
        clock: Callable[[], float] = time.monotonic,
        check_every: float = CHECK_EVERY,
    ):
        self.updater = BundleUpdater(api, BundleStore(data_dir))
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.check_every = check_every
        self.applied = ""
        self.last_check: float | None = None
        self.ready = None
        self.thread: threading.Thread | None = None

    def on_idle(self):
        """(catalog, audio dir, version) to switch to now, or None; may start a look."""
        if self.ready is not None:
            ready, self.ready = self.ready, None
            self.applied = ready[2]
            return ready
        busy = self.thread is not None and self.thread.is_alive()
        now = self.clock()
        if not busy and (self.last_check is None or now - self.last_check >= self.check_every):
            self.last_check = now
            self.thread = threading.Thread(target=self.check, name="kiosk-bundle", daemon=True)
            self.thread.start()
        return None

    def check(self) -> None:
        """Download a newer bundle if there is one; load what is installed but not in use."""
        try:
            self.updater.update()
        except ApiError as exc:
            log.info("content bundle not updated: %s", exc)
        except Exception as exc:  # never worth stopping the kiosk for
            log.warning("content bundle check failed: %s", type(exc).__name__)
        if self.updater.store.current_version() not in ("", self.applied):
            self.ready = load_installed(self.data_dir)
