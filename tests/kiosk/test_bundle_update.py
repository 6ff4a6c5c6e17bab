"""A newer content bundle downloaded, checked and switched to, against a fake server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.services.api import ApiClient, Unreachable
from kiosk.services.bundle import BundleRefused, BundleStore, BundleUpdater, IdleUpdates

TOKEN = "secret"


def make_zip(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return raw.getvalue()


class BundleServer:
    """GET /api/v1/content/bundle describes ``self.zip``; its URL serves it (counted)."""

    def __init__(self) -> None:
        self.version = ""
        self.zip = b""
        self.sha256 = ""
        self.size = 0
        self.downloads = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, b'{"error": "unauthorized"}', "application/json")
                if self.path == "/api/v1/content/bundle":
                    info = {
                        "version": server.version,
                        "size": server.size,
                        "sha256": server.sha256,
                        "url": f"/api/v1/content/bundle/{server.version}.zip",
                    }
                    return self._send(200, json.dumps(info).encode(), "application/json")
                if self.path == f"/api/v1/content/bundle/{server.version}.zip":
                    server.downloads += 1
                    return self._send(200, server.zip, "application/zip")
                return self._send(404, b'{"error": "not_found"}', "application/json")

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def offer(
        self,
        version: str,
        files: dict[str, bytes] | None = None,
        *,
        sha256: str | None = None,
        zip_bytes: bytes | None = None,
    ) -> None:
        self.version = version
        self.zip = (
            zip_bytes
            if zip_bytes is not None
            else make_zip(files or {"guides/a.yaml": f"version {version}\n".encode()})
        )
        self.size = len(self.zip)
        self.sha256 = sha256 or hashlib.sha256(self.zip).hexdigest()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server():
    with BundleServer() as running:
        yield running


def updater(server: BundleServer, data_dir: Path) -> BundleUpdater:
    return BundleUpdater(ApiClient(server.url, TOKEN, timeout=5), BundleStore(data_dir))


def test_newer_version_installed_and_previous_kept(server, tmp_path):
    up = updater(server, tmp_path)
    assert up.store.current_version() == ""
    server.offer("aaaaaaaaaaaaaaa1")
    result = up.update()
    assert (result.outcome, result.version) == ("installed", "aaaaaaaaaaaaaaa1")
    assert up.store.current_version() == "aaaaaaaaaaaaaaa1"
    assert (
        up.store.current_dir() / "guides" / "a.yaml"
    ).read_text() == "version aaaaaaaaaaaaaaa1\n"

    server.offer("bbbbbbbbbbbbbbb2")
    assert up.update().outcome == "installed"
    assert up.store.current_version() == "bbbbbbbbbbbbbbb2"
    # the previous version stays until the next switch (a loaded catalog may still use it)
    assert sorted(p.name for p in up.store.versions.iterdir()) == [
        "aaaaaaaaaaaaaaa1",
        "bbbbbbbbbbbbbbb2",
    ]

    server.offer("ccccccccccccccc3")
    up.update()
    assert sorted(p.name for p in up.store.versions.iterdir()) == [
        "bbbbbbbbbbbbbbb2",
        "ccccccccccccccc3",
    ]
    # nothing half-written is left beside them
    assert sorted(p.name for p in up.store.root.iterdir()) == ["current", "versions"]


def test_bad_sha256_refused_and_old_one_kept(server, tmp_path):
    up = updater(server, tmp_path)
    server.offer("aaaaaaaaaaaaaaa1")
    up.update()
    server.offer("bbbbbbbbbbbbbbb2", sha256="0" * 64)
    with pytest.raises(BundleRefused):
        up.update()
    assert server.downloads == 2
    assert up.store.current_version() == "aaaaaaaaaaaaaaa1"
    assert [p.name for p in up.store.versions.iterdir()] == ["aaaaaaaaaaaaaaa1"]
    assert sorted(p.name for p in up.store.root.iterdir()) == ["current", "versions"]


def test_wrong_size_and_unsafe_names_refused(server, tmp_path):
    up = updater(server, tmp_path)
    server.offer("aaaaaaaaaaaaaaa1")
    server.size += 1  # announced one byte more than is sent
    with pytest.raises(BundleRefused):
        up.update()
    server.offer("bbbbbbbbbbbbbbb2", {"../escape.yaml": b"x"})
    with pytest.raises(BundleRefused):
        up.update()
    assert up.store.current_version() == ""
    assert not (tmp_path / "escape.yaml").exists()
    assert not (tmp_path / "content" / "escape.yaml").exists()


def test_same_version_downloads_nothing(server, tmp_path):
    up = updater(server, tmp_path)
    server.offer("aaaaaaaaaaaaaaa1")
    up.update()
    assert server.downloads == 1
    result = up.update()
    assert result.outcome == "same"
    assert server.downloads == 1


def test_server_unreachable_changes_nothing(tmp_path):
    up = BundleUpdater(ApiClient("http://127.0.0.1:9", TOKEN, timeout=2), BundleStore(tmp_path))
    with pytest.raises(Unreachable):
        up.update()
    assert up.store.current_version() == ""


def test_idle_hands_over_a_loaded_catalog_on_the_next_idle(server, tmp_path):
    from content.bundle import build_bundle
    from content.loader import load_catalog
    from content.speech import AudioCache

    built = build_bundle(load_catalog(), AudioCache(tmp_path / "no-audio"), tmp_path / "out")
    server.offer(built.version, zip_bytes=built.path.read_bytes())
    now = [1000.0]
    idle = IdleUpdates(
        ApiClient(server.url, TOKEN, timeout=5),
        tmp_path / "kiosk",
        clock=lambda: now[0],
        check_every=600,
    )
    assert idle.on_idle() is None  # starts a look in its own thread
    idle.thread.join(30)
    catalog, audio_dir, version = idle.on_idle()
    assert version == built.version
    assert catalog.active_guides and audio_dir.parent.name == built.version
    # nothing new: no second hand-over, and no look before check_every has passed
    assert idle.on_idle() is None
    assert idle.thread is not None and not idle.thread.is_alive()
    now[0] += 601
    assert idle.on_idle() is None
    idle.thread.join(30)
    assert idle.on_idle() is None
    assert server.downloads == 1
