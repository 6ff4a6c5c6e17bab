"""The offline speech engine in a process of its own, started when needed, gone when idle.

pyopenjtalk with its dictionaries, Sudachi and numpy take about 170 MiB once they have
spoken; in the kiosk's own process that memory stays for the day, though most of the day
the kiosk speaks clips it already has (the content bundle brings them). Here the engine
runs in a child process (``python -m kiosk.services.speech_process``): the first clip that
must be made starts it, it answers one request at a time over a pipe, and it leaves when
nothing was asked for ``idle_seconds`` or when the kiosk goes away. The kiosk sees an
engine like any other (``voice``, ``extension``, ``synthesise``); a child that cannot start,
crashes or hangs is an ``EngineUnavailable`` — the screen says speech is not available,
as for a missing engine, and the next request starts a new child.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

#: the child leaves after this long without a request (its memory goes back to the system)
IDLE_SECONDS = 120.0
#: a clip longer than this to make is a hung engine: the child is stopped
REQUEST_TIMEOUT = 60.0


class EngineProcess:
    """``content.speech.OfflineEngine`` run in a child process (see the module's text)."""

    name = "offline"

    def __init__(self, idle_seconds: float = IDLE_SECONDS, timeout: float = REQUEST_TIMEOUT):
        from content.speech import OfflineEngine

        self._local = OfflineEngine()  # its voice and extension are cheap: asked here
        self.idle_seconds = idle_seconds
        self.timeout = timeout
        self._child: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def voice(self, language: str) -> str:
        return self._local.voice(language)

    def extension(self, language: str) -> str:
        return self._local.extension(language)

    @property
    def running(self) -> bool:
        """A child is there now (it may leave by itself when idle)."""
        return self._child is not None and self._child.poll() is None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self.running else None

    def synthesise(self, utterance, target: Path) -> None:
        """Write the clip of ``utterance`` to ``target`` (in the child); raises as the engine does."""
        from content.speech import EngineUnavailable

        request = {
            "text": utterance.text,
            "language": utterance.language,
            "speed": utterance.speed,
            "target": str(target),
        }
        with self._lock:
            answer = self._ask(request)
            if answer is None:  # the child had left (idle) or died: one new child, once
                answer = self._ask(request)
        if answer is None:
            raise EngineUnavailable("the speech process did not answer")
        if not answer.get("ok"):
            kind = answer.get("kind", "")
            if kind == "OSError":  # the disk, not the engine: the caller reports it as such
                raise OSError(answer.get("errno") or 0, answer.get("message", ""))
            raise EngineUnavailable(f"{kind}: {answer.get('message', '')}")

    def close(self) -> None:
        """Stop the child now (the kiosk is closing)."""
        with self._lock:
            self._stop()

    # -- the pipe -----------------------------------------------------------------
    def _ask(self, request: dict) -> dict | None:
        child = self._child if self.running else self._start()
        if child is None:
            return None
        try:
            child.stdin.write(json.dumps(request, ensure_ascii=False).encode() + b"\n")
            child.stdin.flush()
        except (BrokenPipeError, OSError):
            self._stop()
            return None
        ready, _w, _x = select.select([child.stdout], [], [], self.timeout)
        line = child.stdout.readline() if ready else b""
        if not line:
            log.warning("speech process gave no answer; stopped")
            self._stop()
            return None
        try:
            return json.loads(line)
        except ValueError:
            self._stop()
            return None

    def _start(self) -> subprocess.Popen | None:
        self._stop()
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "kiosk.services.speech_process", str(self.idle_seconds)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=str(Path(__file__).resolve().parents[2]),
            )
        except OSError as exc:
            log.warning("speech process cannot start: %s", exc.strerror or type(exc).__name__)
            self._child = None
        return self._child

    def _stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        for stream in (child.stdin, child.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


# -- the child ------------------------------------------------------------------------
def serve(idle_seconds: float) -> None:
    """Answer requests on stdin until it closes or nothing comes for ``idle_seconds``."""
    from content.speech import OfflineEngine, Utterance

    # pyopenjtalk and sox may print: the answers get a pipe of their own, stdout goes to stderr
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    engine = OfflineEngine()
    requests = sys.stdin.buffer
    while True:
        ready, _w, _x = select.select([requests], [], [], idle_seconds)
        if not ready:
            return  # idle: the memory goes back to the system
        line = requests.readline()
        if not line:
            return  # the kiosk closed the pipe (or is gone)
        try:
            asked = json.loads(line)
            utterance = Utterance(asked["text"], asked["language"], asked.get("speed", "normal"))
            engine.synthesise(utterance, Path(asked["target"]))
            answer = {"ok": True}
        except OSError as exc:
            answer = {"ok": False, "kind": "OSError", "errno": exc.errno, "message": exc.strerror}
        except Exception as exc:  # noqa: BLE001 - reported to the kiosk, which goes on silent
            answer = {"ok": False, "kind": type(exc).__name__, "message": str(exc)[:200]}
        answers.write(json.dumps(answer).encode() + b"\n")


if __name__ == "__main__":
    serve(float(sys.argv[1]) if len(sys.argv) > 1 else IDLE_SECONDS)
