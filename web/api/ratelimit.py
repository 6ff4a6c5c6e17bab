"""Rate limiting per kiosk: one count for every worker of every server (with Redis).

A fixed window per kiosk: at most `limit` requests in `seconds` from its first one. The
count is

- in Redis when ``TSUNAGU_REDIS_URL`` is set (``redis://127.0.0.1:6379/0``), by
  Flask-Limiter's library `limits` (its fixed-window strategy; each hit is one atomic
  increment): every gunicorn worker of every server counts in the same place, so N
  workers on M servers allow the limit once, not N × M times. ``TSUNAGU_REDIS_PREFIX``
  (default ``tsunagu``) starts every key, so several sites (or test runs) can share one
  Redis without meeting;
- else in this process's memory (`LocalWindows`): right for ``tsunagu serve`` (one
  process); under gunicorn each worker then counts on its own (docs/operations.md: use
  Redis). Not `limits`' memory storage: it started a timer thread on nearly every
  request to expire its keys (about 2 ms of each kiosk request, more while a booking
  burst keeps the CPUs busy: issue 21), and Flask-Limiter's own hook ran before every
  request of the site although the site sets no limit through it.

The limit is checked after the kiosk's token (web/api/routes.py): a request without a
valid token is refused before it is counted, so nobody can fill Redis with keys or use
up a kiosk's allowance. If Redis cannot be reached, the kiosks go on working: this
process counts in memory until Redis answers again (and says so in the log once).
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time

from flask import Flask
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

#: seconds to wait for Redis before counting in memory instead
REDIS_TIMEOUT_S = 0.5
#: after Redis failed, how long to count in memory before trying it again
REDIS_RETRY_S = 30.0


def storage_uri(env: dict[str, str] | None = None) -> str:
    """TSUNAGU_REDIS_URL, else Flask-Limiter's in-memory storage."""
    url = (os.environ if env is None else env).get("TSUNAGU_REDIS_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "redis+unix://")):
        raise ValueError("TSUNAGU_REDIS_URL must start with redis://, rediss:// or redis+unix://")
    return url or "memory://"


def key_prefix(env: dict[str, str] | None = None) -> str:
    prefix = (os.environ if env is None else env).get("TSUNAGU_REDIS_PREFIX", "").strip()
    return prefix or "tsunagu"


class LocalWindows:
    """Fixed windows counted in this process: `hit` says whether a request is allowed
    (it is counted either way, as `limits` does); `retry_after`, when the key's window
    ends. An ended window is dropped when its key is next used, and all ended ones when
    the table grows past `PRUNE_AT` keys (no thread)."""

    PRUNE_AT = 4096

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        #: key -> [window end, count]
        self._windows: dict[str, list] = {}

    def hit(self, key: str, limit: int, seconds: float) -> bool:
        now = self._clock()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[0] <= now:
                if len(self._windows) >= self.PRUNE_AT:
                    self._prune(now)
                window = self._windows[key] = [now + seconds, 0]
            window[1] += 1
            return window[1] <= limit

    def retry_after(self, key: str) -> float:
        window = self._windows.get(key)
        return 0.0 if window is None else max(0.0, window[0] - self._clock())

    def _prune(self, now: float) -> None:
        for key in [k for k, (end, _count) in self._windows.items() if end <= now]:
            del self._windows[key]


class KioskRateLimit:
    """At most `limit` API requests per kiosk in each window of `seconds`."""

    def __init__(self, app: Flask, limit: int, seconds: int) -> None:
        app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri())
        app.config.setdefault("RATELIMIT_KEY_PREFIX", key_prefix())
        app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
        if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
            app.config.setdefault(
                "RATELIMIT_STORAGE_OPTIONS",
                {"socket_timeout": REDIS_TIMEOUT_S, "socket_connect_timeout": REDIS_TIMEOUT_S},
            )
        self.limit, self.seconds = limit, seconds
        self.item = RateLimitItemPerSecond(limit, seconds)
        self.prefix = app.config["RATELIMIT_KEY_PREFIX"]
        uri = app.config["RATELIMIT_STORAGE_URI"]
        self.shared = not uri.startswith("memory")
        self._shared = (
            FixedWindowRateLimiter(
                storage_from_string(uri, **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
            )
            if self.shared
            else None
        )
        self._local = LocalWindows()
        self._fallback_until = 0.0

    def hit(self, kiosk_id: object) -> int:
        """0 when this request is allowed, else the seconds to wait before the next one."""
        identifiers = (self.prefix, "api", "kiosk", str(kiosk_id))
        if self._shared is None or self._fallback_until > time.monotonic():
            key = "/".join(identifiers)
            if self._local.hit(key, self.limit, self.seconds):
                return 0
            return max(1, math.ceil(self._local.retry_after(key)))
        try:
            if self._shared.hit(self.item, *identifiers):
                return 0
            reset_at = self._shared.get_window_stats(self.item, *identifiers).reset_time
        except Exception as exc:  # Redis down or unreachable: never refuse a kiosk for it
            log.warning(
                "rate limit storage unavailable (%s); counting in this process for %d s",
                type(exc).__name__,
                REDIS_RETRY_S,
            )
            self._fallback_until = time.monotonic() + REDIS_RETRY_S
            return self.hit(kiosk_id)
        return max(1, math.ceil(reset_at - time.time()))
