"""One resident's visit: what they chose and typed, forgotten at once when it ends.

No Kivy: screens read and write a ``Visit``; the app resets it on はじめにもどる and
on the idle timeout. The Idempotency-Key of a booking is fixed when the resident
confirms and kept until the visit ends, so a second tap sends the same booking.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from kiosk.services.outbox import new_key


@dataclass
class Visit:
    """The booking being made; every field back to its default on ``reset``."""

    session: dict | None = None
    consent: bool = False
    reading: str = ""
    phone_digits: str = ""
    era: str = "昭和"
    year_digits: str = ""
    birth_year: int | None = None
    #: the resident's own phone: iphone, android, senior or none ("" until known)
    device: str = ""
    #: the Idempotency-Key of the current attempt ("" until the resident confirms)
    attempt_key: str = ""
    #: the server's answer (status, position, code, qr_token) or {"status": "pending"}
    result: dict = field(default_factory=dict)

    def reset(self) -> None:
        """Forget everything entered."""
        for f in fields(self):
            default = f.default_factory() if callable(f.default_factory) else f.default  # type: ignore[misc]
            setattr(self, f.name, default)

    @property
    def empty(self) -> bool:
        return self == Visit()

    def confirm(self) -> str:
        """The key of this attempt: made on the first tap of 予約する, the same on any later."""
        if not self.attempt_key:
            self.attempt_key = new_key()
        return self.attempt_key

    def change_booking(self) -> None:
        """Something was changed after confirming: the next confirm is a new attempt."""
        self.attempt_key = ""
        self.result = {}

    def booking(self) -> dict:
        """The request body of ``POST /registrations`` (only what the server needs)."""
        from kiosk.kana import reading_for_api
        from kiosk.numbers import format_phone

        if self.session is None or self.birth_year is None:
            raise ValueError("the booking is not complete")
        body = {
            "session_id": self.session["id"],
            "reading": reading_for_api(self.reading),
            "phone": format_phone(self.phone_digits),
            "birth_year": self.birth_year,
        }
        body["device"] = self.device or course_device(self.session) or "none"
        return body

    @property
    def needs_device(self) -> bool:
        """True when the course does not say which phone the resident brings."""
        return self.session is not None and course_device(self.session) is None


#: the phones a resident may bring (the API's ``device``)
DEVICES = ("iphone", "android", "senior", "none")


def course_device(session: dict) -> str | None:
    """The phone a course is for (an iPhone class: an iPhone), None for any phone."""
    track = (session.get("course") or {}).get("device_track")
    return track if track in ("iphone", "android", "senior") else None
