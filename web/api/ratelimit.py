"""Rate limiting per kiosk with Flask-Limiter: one count for every worker of every server.

The counting is Flask-Limiter's (its `limits` fixed-window strategy; each hit is one
atomic increment in its storage). The storage is

- Redis when ``TSUNAGU_REDIS_URL`` is set (``redis://127.0.0.1:6379/0``): every gunicorn
  worker of every server counts in the same place, so N workers on M servers allow the
  limit once, not N × M times. ``TSUNAGU_REDIS_PREFIX`` (default ``tsunagu``) starts
  every key, so several sites (or test runs) can share one Redis without meeting;
- else Flask-Limiter's in-memory storage: right for ``tsunagu serve`` (one process);
  under gunicorn each worker then counts on its own (docs/operations.md: use Redis).

The limit is checked after the kiosk's token (web/api/routes.py): a request without a
valid token is refused before it is counted, so nobody can fill Redis with keys or use
up a kiosk's allowance. If Redis cannot be reached, the kiosks go on working: this
process counts in memory until Redis answers again (and says so in the log once).
"""

from __future__ import annotations

import logging
import math
import os
import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
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
        self.limiter = Limiter(get_remote_address, app=app)
        self.item = RateLimitItemPerSecond(limit, seconds)
        self.prefix = app.config["RATELIMIT_KEY_PREFIX"]
        self.shared = not app.config["RATELIMIT_STORAGE_URI"].startswith("memory")
        self._fallback = FixedWindowRateLimiter(MemoryStorage())
        self._fallback_until = 0.0

    def _strategy(self):
        if self._fallback_until > time.monotonic():
            return self._fallback
        return self.limiter.limiter

    def hit(self, kiosk_id: object) -> int:
        """0 when this request is allowed, else the seconds to wait before the next one."""
        identifiers = (self.prefix, "api", "kiosk", str(kiosk_id))
        strategy = self._strategy()
        try:
            allowed = strategy.hit(self.item, *identifiers)
            if allowed:
                return 0
            reset_at = strategy.get_window_stats(self.item, *identifiers).reset_time
        except Exception as exc:  # Redis down or unreachable: never refuse a kiosk for it
            log.warning(
                "rate limit storage unavailable (%s); counting in this process for %d s",
                type(exc).__name__,
                REDIS_RETRY_S,
            )
            self._fallback_until = time.monotonic() + REDIS_RETRY_S
            return self.hit(kiosk_id) if strategy is not self._fallback else 0
        return max(1, math.ceil(reset_at - time.time()))
