"""A call for staff (職員を呼ぶ) that nothing but staff or ten minutes undo, without Kivy.

After 職員を呼ぶ the resident waits on the please-wait screen. It stays until the server
says staff took the call (「職員が向かっています」) or closed it, or ``WAIT_LIMIT`` seconds
pass; the idle reset does not wipe it (UX.md: waiting for staff is not "idle"). The app
asks the server every ``POLL_EVERY`` seconds (``GET /api/v1/help-requests/<client_id>``).

``where(screen)`` says on which screen the resident pressed it, as the staff board reads
it: ``guide:juminhyo:3/7``, ``guide_checklist:juminhyo``, ``phone`` — never what they typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kiosk.i18n import N_

#: seconds a call waits for staff before the kiosk gives the screen back
WAIT_LIMIT = 600.0
#: seconds between two questions to the server while the resident waits
POLL_EVERY = 10.0

#: the states of a call on the kiosk
SENDING, WAITING, TAKEN, CLOSED, EXPIRED, FAILED = (
    "sending",
    "waiting",
    "taken",
    "closed",
    "expired",
    "failed",
)
#: the message the please-wait screen shows in each state (English msgids, context kiosk)
MESSAGES = {
    SENDING: N_("Calling the staff…"),
    WAITING: N_("A staff member is coming. Please wait here."),
    TAKEN: N_("A staff member is on the way."),
    FAILED: N_("Please ask at the counter. A staff member will help you."),
}
#: under the message while the call stands
DETAIL = N_("This screen stays until a staff member comes. You may sit down.")


def where(screen) -> str:
    """The screen the resident is on, as the API's ``screen`` field (at most 120 chars)."""
    name = getattr(screen, "name", "") or ""
    guide = getattr(screen, "guide", None)
    guide_id = getattr(guide, "id", "") if guide is not None else ""
    if name == "guide" and guide_id:
        total = len(guide.steps)
        return f"guide:{guide_id}:{int(screen.index) + 1}/{total}"[:120]
    if guide_id:
        return f"{name}:{guide_id}"[:120]
    topic = getattr(getattr(screen, "topic", None), "id", "")
    if name == "faq" and isinstance(topic, str) and topic:
        return f"faq:{topic}"[:120]
    return name[:120]


class HelpCall:
    """One call: its client id, where it was made, and what the server last said."""

    def __init__(self, screen: str, clock: Callable[[], float], came_from: str = ""):
        self.client_id = str(uuid.uuid4())
        self.screen = screen
        self.clock = clock
        self.started_at = clock()
        #: the screen to give back once the call is over
        self.came_from = came_from
        self.state = SENDING

    @property
    def over(self) -> bool:
        """Closed by staff, ten minutes gone, or never sent: the wait has ended."""
        return self.state in (CLOSED, EXPIRED, FAILED)

    @property
    def holds_the_kiosk(self) -> bool:
        """True while the please-wait screen must stay (the idle reset waits)."""
        return not self.over and not self.timed_out()

    def timed_out(self) -> bool:
        return self.clock() - self.started_at >= WAIT_LIMIT

    def delivered(self, ok: bool) -> None:
        """The outbox sent the call (``ok``) or the server refused it for good."""
        if self.state == SENDING:
            self.state = WAITING if ok else FAILED

    def heard(self, status: str) -> bool:
        """The server's status of the call; True when what the screen shows changes."""
        before = self.state
        if status == "taken" and self.state in (SENDING, WAITING):
            self.state = TAKEN
        elif status == "closed" and not self.over:
            self.state = CLOSED
        elif status == "open" and self.state == SENDING:
            self.state = WAITING
        return self.state != before

    def tick(self) -> bool:
        """Called every second or so; True when the ten minutes have just run out."""
        if not self.over and self.timed_out():
            self.state = EXPIRED
            return True
        return False

    @property
    def message(self) -> str:
        return MESSAGES.get(self.state, MESSAGES[WAITING])
