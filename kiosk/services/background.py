"""Network and disk work off the UI thread: one worker, answers handed back by Clock.

One thread does every job in turn, so the outbox is flushed by one writer at a time
and a slow server never freezes a touch. ``done`` runs on the UI thread with the
job's result, or the exception it raised.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock

log = logging.getLogger(__name__)


class Worker:
    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="kiosk-worker", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        self._jobs.put((job, done))

    def _run(self) -> None:
        while True:
            job, done = self._jobs.get()
            try:
                result = job()
            except Exception as exc:  # handed to ``done``: the UI decides what to show
                log.warning("background job failed: %s", type(exc).__name__)
                result = exc
            if done is not None:
                Clock.schedule_once(lambda _dt, d=done, r=result: d(r), 0)
