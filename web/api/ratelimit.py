"""Rate limiting per kiosk: a fixed window kept in this process's memory.

Each worker process counts on its own, so with N gunicorn workers a kiosk may make up
to N times the limit; the limit is there to stop a kiosk in a loop, not an attacker
(an attacker without a token is refused before being counted).
"""

from __future__ import annotations

import math
import threading
import time


class FixedWindowLimiter:
    """At most `limit` requests per key in each window of `seconds`."""

    def __init__(self, limit: int, seconds: float, clock=time.monotonic) -> None:
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._windows: dict[object, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: object) -> int:
        """0 when this request is allowed, else the seconds to wait before the next one."""
        now = self.clock()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.seconds:
                start, count = now, 0
            if count >= self.limit:
                return max(1, math.ceil(start + self.seconds - now))
            self._windows[key] = (start, count + 1)
            return 0
