"""Residents (and their families) check and cancel a booking themselves (issue 19).

Used by the public site's 「予約の確認・取り消し」 page and by the kiosk API alike; the
front ends only ask and show. Two calls, one rule set:

``find_booking(db, code, phone, client=..., secret=...)``
    The booking whose reservation code is `code` (as typed: spaces, dashes, full-width
    and lower case are fine) *and* whose resident's phone number is `phone` (any
    spelling of the same digits), as a `BookingView`; or None. A wrong phone for a real
    code answers exactly as an unknown code does (None, same work, same counts), so the
    answer never tells whether a code exists.

``cancel_by_code(db, code, phone, actor=..., client=..., secret=...)``
    The same look-up, then the office's own cancel
    (`registration.cancel_registration`): a confirmed seat goes to the first on the
    waitlist in the same transaction and that person goes on the coordinators' call list;
    audited with `actor` (`Actor.kiosk(name, addr)` at a kiosk, `Actor.resident(addr)` on
    the web). Returns the `BookingView` as it is after the cancel (status "cancelled"), or
    None as `find_booking` does. Cancelling an already cancelled booking changes nothing.
    A class that has started, been held or been cancelled by the ward raises
    `NotCancellable` (nothing changed; `view.cancellable` says so beforehand).

Throttling (so that codes cannot be guessed): every look-up is counted *before* the code
is checked, on two counters kept by classroom/services/throttle.py (one row per counter in
the database, atomic on SQLite and PostgreSQL, shared by every worker):

- per client (`client`: the web request's address; a kiosk's name or address): after
  `FREE_PER_CLIENT` misses in a run the client waits 1, 2, 4 ... minutes (at most an hour);
- per code (whatever phone, whatever client): after `FREE_PER_CODE` misses, the same.

A matching pair takes its own count back, so a resident who gets it right is never slowed
by her own success. When a counter refuses, `TooManyAttempts` is raised (its
`retry_after_minutes` is what to tell the person), the same whether or not the code exists.
With 29⁶ ≈ 6×10⁸ codes, ten tries then a doubling wait per address make guessing hopeless.

What a `BookingView` holds is only what the slip already shows: the class, its time and
place, the status and the code; never the resident's name, reading, phone or birth year.
Front ends translate `course_title`/`venue_name` with the `*_translations` dicts as the
schedule does, and show times in the ward's zone (languages.clock).

The caller owns the transaction (`database.write()`): counts are written even when the
answer is None, so do not roll back on None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from languages import N_

from ..models import (
    BookingMode,
    ClassSession,
    LotteryDraw,
    Participant,
    Registration,
    RegistrationStatus,
    SessionState,
    utcnow,
)
from . import registration as registration_service
from . import throttle
from .actor import Actor
from .codes import format_code, looks_like_code, normalize_code
from .errors import DomainError
from .text import phone_digits

#: misses one client may make before it has to wait
FREE_PER_CLIENT = 10
#: misses on one code, from anywhere, before it has to wait
FREE_PER_CODE = 5
#: a phone number has at most this many digits (with the trunk 0)
_MAX_PHONE_DIGITS = 11

# statuses of a BookingView
BOOKED = "booked"
WAITLISTED = "waitlisted"
LOTTERY_PENDING = "lottery_pending"
LOTTERY_WON = "lottery_won"
LOTTERY_LOST = "lottery_lost"  # waitlisted after the draw, with a position
CANCELLED = "cancelled"


class TooManyAttempts(DomainError):
    message = N_("Too many attempts. Please try again in %(minutes)s minutes.")
    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after = retry_after
        super().__init__(minutes=self.retry_after_minutes)

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


class NotCancellable(DomainError):
    message = N_(
        "This booking can no longer be cancelled here (the class has started or was "
        "cancelled). Please contact the ward office."
    )
    code = "not_cancellable"


@dataclass(frozen=True)
class BookingView:
    """One booking as its holder may see it: nothing that names the person."""

    #: the code as printed on the slip (ABC-DEF)
    code: str
    #: opaque QR token of the slip (says nothing about the person)
    qr_token: str
    session_id: int
    course_title: str
    course_title_translations: dict
    venue_id: int
    venue_name: str
    venue_name_translations: dict
    #: UTC; show in the ward's zone
    starts_at: datetime
    ends_at: datetime
    #: BOOKED, WAITLISTED, LOTTERY_PENDING, LOTTERY_WON, LOTTERY_LOST or CANCELLED
    status: str
    #: 1-based place on the waitlist (WAITLISTED, LOTTERY_LOST), else None
    position: int | None
    #: the ward cancelled the class itself
    class_cancelled: bool
    #: a lottery's application deadline (UTC), for LOTTERY_PENDING
    lottery_deadline: datetime | None
    #: whether `cancel_by_code` would cancel it now
    cancellable: bool


def _status(db: Session, registration: Registration, session: ClassSession) -> str:
    if registration.status == RegistrationStatus.CANCELLED:
        return CANCELLED
    if registration.status == RegistrationStatus.APPLIED:
        return LOTTERY_PENDING
    drawn = None
    if session.booking_mode == BookingMode.LOTTERY:
        drawn = db.scalar(select(LotteryDraw).where(LotteryDraw.session_id == session.id))
    in_draw = drawn is not None and registration.id in (drawn.drawn_order or [])
    if registration.status == RegistrationStatus.CONFIRMED:
        return LOTTERY_WON if in_draw else BOOKED
    return LOTTERY_LOST if in_draw else WAITLISTED


def _cancellable(registration: Registration, session: ClassSession, now: datetime) -> bool:
    return (
        registration.status != RegistrationStatus.CANCELLED
        and session.state == SessionState.SCHEDULED
        and session.starts_at > now
    )


def view_of(db: Session, registration: Registration, now: datetime | None = None) -> BookingView:
    """The holder's view of a registration (for a page that just made it: the slip)."""
    now = now or utcnow()
    session = registration.session
    course, venue = session.course, session.venue
    return BookingView(
        code=format_code(registration.code),
        qr_token=registration.qr_token,
        session_id=session.id,
        course_title=course.title,
        course_title_translations=dict(course.title_translations or {}),
        venue_id=venue.id,
        venue_name=venue.name,
        venue_name_translations=dict(venue.name_translations or {}),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        status=_status(db, registration, session),
        position=registration_service.waitlist_position(db, registration),
        class_cancelled=session.state == SessionState.CANCELLED,
        lottery_deadline=session.application_deadline
        if session.booking_mode == BookingMode.LOTTERY
        else None,
        cancellable=_cancellable(registration, session, now),
    )


def _matching(db: Session, code: str, phone: str) -> Registration | None:
    """The registration with this code whose resident has this phone; None for any miss."""
    digits = phone_digits(phone or "")[: _MAX_PHONE_DIGITS + 1]
    if not looks_like_code(code or "") or not 10 <= len(digits) <= _MAX_PHONE_DIGITS:
        return None
    return db.scalar(
        select(Registration)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Registration.code == normalize_code(code),
            Participant.erased_at.is_(None),
            Participant.phone_digits == digits,
        )
    )


def _counted_lookup(
    db: Session, code: str, phone: str, *, client: str, secret: bytes | str, now: datetime
) -> Registration | None:
    secret = secret.encode() if isinstance(secret, str) else secret
    # the code is counted as stored, so "abc-def" and "ABCDEF" share one counter
    counted_code = normalize_code(code or "")[:32]
    reservation = throttle.reserve_counters(
        db,
        (
            ("lkclient", throttle.network(client or "")[:64], FREE_PER_CLIENT),
            ("lkcode", counted_code, FREE_PER_CODE),
        ),
        secret=secret,
        now=now,
    )
    if not reservation.allowed:
        raise TooManyAttempts(reservation.retry_after)
    found = _matching(db, code, phone)
    if found is not None:
        throttle.take_back(db, reservation)
    return found


def find_booking(
    db: Session,
    code: str,
    phone: str,
    *,
    client: str,
    secret: bytes | str = b"",
    now: datetime | None = None,
) -> BookingView | None:
    """The booking with this code and phone, or None (see the module docstring).

    `client` is who is asking (request address, or the kiosk's name); `secret` keys the
    throttle's hashes (the web passes its SECRET_KEY). Raises `TooManyAttempts`.
    """
    now = now or utcnow()
    found = _counted_lookup(db, code, phone, client=client, secret=secret, now=now)
    return None if found is None else view_of(db, found, now)


def cancel_by_code(
    db: Session,
    code: str,
    phone: str,
    *,
    actor: Actor,
    client: str,
    secret: bytes | str = b"",
    now: datetime | None = None,
) -> BookingView | None:
    """Cancel the booking with this code and phone as the office would; None if no match.

    Raises `TooManyAttempts` (throttled) or `NotCancellable` (the class has started, was
    held or was cancelled); both change nothing.
    """
    now = now or utcnow()
    found = _counted_lookup(db, code, phone, client=client, secret=secret, now=now)
    if found is None:
        return None
    if found.status != RegistrationStatus.CANCELLED:
        if not _cancellable(found, found.session, now):
            raise NotCancellable(field="code")
        registration_service.cancel_registration(db, found.id, actor=actor, now=now)
        db.refresh(found)
    return view_of(db, found, now)
