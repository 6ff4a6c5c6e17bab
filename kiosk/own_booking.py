"""予約の確認・取り消し (issue 19): a resident finds their booking by its code and their
phone number, and may cancel it. What the screens ask the server and what they say, without
Kivy.

The server decides everything (docs/kiosk-api.md, "Your own booking"): whether the code and
the phone match (a wrong pair is answered as an unknown code), whether a booking may still be
cancelled, the waitlist position and the lottery's result, and how many wrong tries a kiosk
and a code may make. The kiosk only shows its answer; it keeps nothing once the visit ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk import booking_text
from kiosk.i18n import N_, gettext_in
from kiosk.services.api import ApiClient, Rejected, Unreachable

#: the letters and digits of a reservation code, as the slip prints them (the server's
#: alphabet: no 0/O, 1/I/L, U/V, which tired eyes mix up)
CODE_KEYS = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 6
LOOKUP_PATH = "/bookings/lookup"
CANCEL_PATH = "/bookings/cancel"

#: what the view screen is showing (``Outcome.state``)
STATES = ("loading", "found", "not_found", "throttled", "offline", "refused", "cancelled")


@dataclass(frozen=True)
class Outcome:
    """The server's answer as the screen shows it."""

    state: str
    #: the booking (docs/kiosk-api.md "Booking"), for found and cancelled
    booking: dict = field(default_factory=dict)
    #: throttled: whole minutes to wait (at least 1)
    minutes: int = 0
    #: refused: the server's own words, in the kiosk's language
    message: str = ""


def code_complete(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_KEYS for c in code)


def type_code(code: str, key: str) -> str:
    """The code after a key of the code pad: one more character (at most six), or one less."""
    if key == "delete":
        return code[:-1]
    if key in CODE_KEYS and len(code) < CODE_LENGTH:
        return code + key
    return code


def shown_code(code: str) -> str:
    """K7M-4Q2 as typed so far (grouped as the slips print it), ＿ for what is still to come."""
    return booking_text.format_code(code + "＿" * (CODE_LENGTH - len(code)))


def ask(api: ApiClient, path: str, code: str, phone_digits: str) -> Outcome:
    """POST the code and phone to ``path``; never raises (the screen shows every outcome)."""
    try:
        _status, body = api.request("POST", path, {"code": code, "phone": phone_digits})
    except Unreachable as exc:
        if str(exc) == "HTTP 429":  # too many wrong tries (or this kiosk's own rate limit)
            wait = exc.retry_after or 60
            return Outcome("throttled", minutes=max(1, -(-int(wait) // 60)))
        return Outcome("offline")
    except Rejected as exc:
        if exc.status == 404:
            return Outcome("not_found")
        if exc.status == 422:  # the kiosk sent what its pads cannot type: as unknown
            return Outcome("not_found")
        return Outcome("refused", message=exc.message)
    booking = body.get("booking")
    if not isinstance(booking, dict) or not isinstance(booking.get("session"), dict):
        return Outcome("offline")  # an answer that is not the API's: as if none came
    state = "cancelled" if path == CANCEL_PATH else "found"
    return Outcome(state, booking=booking)


def lookup(api: ApiClient, code: str, phone_digits: str) -> Outcome:
    return ask(api, LOOKUP_PATH, code, phone_digits)


def cancel(api: ApiClient, code: str, phone_digits: str) -> Outcome:
    """取り消す: the same code and phone again; a second cancel answers the same (cancelled)."""
    return ask(api, CANCEL_PATH, code, phone_digits)


# -- what the screens say ----------------------------------------------------------------

#: the view's heading by state, where it does not depend on the booking (English msgids)
HEADINGS = {
    "loading": N_("Looking for your booking…"),
    "not_found": N_("No booking was found with this code and phone number."),
    "throttled": N_("Too many tries."),
    "offline": N_("This kiosk cannot reach the office right now."),
    "refused": N_("This booking cannot be changed here."),
    "cancelled": N_("Your booking is cancelled."),
}
#: the sentences under it (English msgids); "throttled" takes the minutes
LINES = {
    "not_found": (
        N_("Please check the code on your slip and the phone number, and try again."),
        N_("The staff can also look it up for you."),
    ),
    "throttled": (N_("Please try again in %(minutes)d minutes, or ask the staff."),),
    "offline": (N_("Please try again in a moment, or ask the staff."),),
    "refused": (N_("Please ask the staff."),),
    "cancelled": (N_("Thank you for letting us know."),),
}
#: the booking as the server has it (classroom/services/self_service.py: the lottery's
#: result is the server's word), by its status (English msgids)
STATUS_HEADINGS = {
    "booked": N_("You have a seat in this class."),
    "lottery_won": N_("You won the lottery. You have a seat in this class."),
    "waitlisted": N_("Waiting list: you are number %(position)d."),
    "lottery_lost": N_("The lottery did not give you a seat. Waiting list: number %(position)d."),
    "lottery_pending": N_("You have applied for the lottery. It has not been drawn yet."),
    "cancelled": N_("This booking is cancelled."),
    "class_cancelled": N_("The ward has cancelled this class."),
}
#: each status as the booking's own result (booking_text: what happens next, the code's name)
AS_RESULT = {
    "booked": "confirmed",
    "lottery_won": "confirmed",
    "waitlisted": "waitlisted",
    "lottery_lost": "waitlisted",
    "lottery_pending": "applied",
}
CANCEL_QUESTION = N_("Do you want to cancel this booking?")
CANCEL_NOTE = N_("Your seat goes to the next person waiting. This cannot be undone here.")


def status_key(booking: dict) -> str:
    """Which of STATUS_HEADINGS (an unknown status reads as cancelled: nothing to act on)."""
    if booking.get("class_cancelled"):
        return "class_cancelled"
    status = str(booking.get("status") or "")
    return status if status in STATUS_HEADINGS else "cancelled"


def heading(outcome: Outcome, language: str) -> str:
    if outcome.state == "found":
        key = status_key(outcome.booking)
        position = int(outcome.booking.get("position") or 0)
        return gettext_in(STATUS_HEADINGS[key], language) % {"position": position}
    return gettext_in(HEADINGS.get(outcome.state, HEADINGS["offline"]), language)


def lines(outcome: Outcome, language: str) -> list[str]:
    """The sentences under the heading: what happens next, or what to do now."""
    if outcome.state == "found":
        status = AS_RESULT.get(status_key(outcome.booking))
        return booking_text.result_lines({"status": status}, language) if status else []
    found = [gettext_in(line, language) for line in LINES.get(outcome.state, ())]
    if outcome.state == "throttled":
        found = [line % {"minutes": outcome.minutes} for line in found]
    if outcome.state == "refused" and outcome.message:
        found.insert(0, outcome.message)
    return found


def rows(booking: dict, language: str) -> list[tuple[str, str]]:
    """(label, value): the class, its date (with 和暦), its hours, the place, the code."""
    session = booking.get("session") or {}
    if not session.get("starts_at"):
        return []
    tr = gettext_in
    found = [
        (tr("Class", language), booking_text.title(session, language)),
        (tr("Date", language), booking_text.long_date(session, language)),
        (tr("From – to", language), booking_text.hours(session, language)),
        (tr("Place", language), booking_text.venue(session, language)),
    ]
    if booking.get("code"):
        # the reservation code but for a waiting list or an application (受付番号)
        label = booking_text.code_label(AS_RESULT.get(status_key(booking), "confirmed"))
        found.append((tr(label, language), booking_text.format_code(str(booking["code"]))))
    return found


def cancellable(outcome: Outcome) -> bool:
    return outcome.state == "found" and bool(outcome.booking.get("cancellable"))
