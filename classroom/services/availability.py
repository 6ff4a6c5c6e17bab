"""Whether a resident can still book a class at a given moment, and how: one rule for all.

The kiosk API sends it with each session (the kiosk only shows it), the public pages show
it, and it says what ``registration.register`` would do at that moment:

- ``open``: a seat is free; booking confirms one.
- ``waitlist``: every seat is taken; booking puts the resident on the waiting list (it has
  no limit, so a full first-come class is never closed for that reason alone).
- ``lottery``: applications are open until ``deadline``; the draw decides the seats.
- ``closed``: nobody can book: the class was cancelled, has been held or has started,
  or its lottery's application deadline has passed before the draw.

After a lottery's draw, a late booking takes a seat that is still free or joins the
waiting list (``registration.register``), so the class is ``open`` or ``waitlist`` again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import BookingMode, ClassSession, SessionState

OPEN = "open"
WAITLIST = "waitlist"
LOTTERY = "lottery"
CLOSED = "closed"
STATES = (OPEN, WAITLIST, LOTTERY, CLOSED)

#: why a class is closed
CANCELLED = "cancelled"
HELD = "held"
STARTED = "started"
DEADLINE_PASSED = "deadline_passed"
CLOSED_REASONS = (CANCELLED, HELD, STARTED, DEADLINE_PASSED)
#: the reasons that end the class's time, not only its applications
OVER = (CANCELLED, HELD, STARTED)


@dataclass(frozen=True)
class Availability:
    state: str
    seats_left: int
    #: a lottery's application deadline (UTC), for ``lottery`` and ``deadline_passed``
    deadline: datetime | None = None
    #: why, when ``closed``; else ""
    reason: str = ""

    @property
    def bookable(self) -> bool:
        return self.state != CLOSED


def availability(session: ClassSession, now: datetime) -> Availability:
    """What booking ``session`` at ``now`` would do (see the module's docstring)."""
    left = max(0, session.seats_left)
    if session.state == SessionState.CANCELLED:
        return Availability(CLOSED, left, reason=CANCELLED)
    if session.state == SessionState.HELD:
        return Availability(CLOSED, left, reason=HELD)
    if session.starts_at <= now:
        return Availability(CLOSED, left, reason=STARTED)
    if session.booking_mode == BookingMode.LOTTERY and session.lottery_draw is None:
        deadline = session.application_deadline
        if deadline is None or now >= deadline:
            return Availability(CLOSED, left, deadline=deadline, reason=DEADLINE_PASSED)
        return Availability(LOTTERY, left, deadline=deadline)
    return Availability(OPEN if left > 0 else WAITLIST, left)
