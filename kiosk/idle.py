"""The idle rules (UX.md 8), without Kivy: warn after 90 s untouched, give 20 s, then reset.

``IdleWatcher`` is told of every touch and polled about once a second with a clock it
was given, so the tests drive it with a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable

IDLE_AFTER = 90.0
GRACE = 20.0

ACTIVE, WARNING = "active", "warning"


class IdleWatcher:
    """Says when to ask 「続けますか？」 and when to forget the visit."""

    def __init__(
        self, clock: Callable[[], float], idle_after: float = IDLE_AFTER, grace: float = GRACE
    ):
        self.clock = clock
        self.idle_after = idle_after
        self.grace = grace
        self.state = ACTIVE
        self.last_touch = clock()
        self.warned_at = 0.0

    def touch(self) -> None:
        """A touch anywhere: the resident is here. (Answering the warning is a touch.)"""
        self.last_touch = self.clock()
        self.state = ACTIVE

    def poll(self) -> str | None:
        """ "warn" once when the wait begins, "reset" once when it ran out, else None."""
        now = self.clock()
        if self.state == ACTIVE and now - self.last_touch >= self.idle_after:
            self.state = WARNING
            self.warned_at = now
            return "warn"
        if self.state == WARNING and now - self.warned_at >= self.grace:
            self.touch()  # the next visit starts its own 90 s
            return "reset"
        return None

    def seconds_left(self) -> int:
        """Whole seconds left to answer the warning (shown as the countdown)."""
        if self.state != WARNING:
            return int(self.grace)
        left = self.grace - (self.clock() - self.warned_at)
        return max(0, int(left + 0.999))
