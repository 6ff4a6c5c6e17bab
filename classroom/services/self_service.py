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

``book_on_web(db, session_id=..., reading=..., phone=..., ...)`` is the public site's
「申し込む」: the kiosk's fields and seat rules (`residents.find_or_create_for_kiosk`,
`registration.register`, source WEB), limited per address and per phone
(`FREE_BOOKINGS_PER_CLIENT`, `FREE_BOOKINGS_PER_PHONE`, then a doubling wait) and to
`DAILY_CAP_PER_PHONE` web bookings per phone number and ward day; a booking for a
family member keeps that it was, and the family member's phone as its contact (which
also finds the booking here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from languages import N_

from ..models import (
    BookingMode,
    ClassSession,
    Device,
    LotteryDraw,
    Participant,
    Registration,
    RegistrationStatus,
    SessionState,
    Source,
    utcnow,
)
from ..settings import ward_zone
from . import registration as registration_service
from . import residents, throttle
from .actor import Actor
from .codes import format_code, looks_like_code, normalize_code
from .errors import DomainError, InvalidInput
from .phones import check_phone, phone_number_digits
from .text import phone_digits

#: misses one client may make before it has to wait
FREE_PER_CLIENT = 10
#: misses on one code, from anywhere, before it has to wait
FREE_PER_CODE = 5
#: a phone number has at most this many digits (with the trunk 0)
_MAX_PHONE_DIGITS = 11
#: web booking attempts one address may make in a run before it waits (a family may
#: book several classes for several people; a script may not book a whole class)
FREE_BOOKINGS_PER_CLIENT = 10
#: web booking attempts for one phone number in a run before it waits
FREE_BOOKINGS_PER_PHONE = 5
#: web bookings one phone number (the resident's or the family contact's) may make in
#: one ward day
DAILY_CAP_PER_PHONE = 3

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


class DailyCapReached(DomainError):
    message = N_(
        "This phone number has already made %(cap)s bookings on the web today. To book "
        "more, please use a touch screen (kiosk), come to the counter or call us."
    )
    status = 429
    code = "daily_cap_reached"


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
            or_(Participant.phone_digits == digits, Registration.contact_phone_digits == digits),
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


def _web_bookings_today(db: Session, digits: set[str], now: datetime) -> int:
    """Web bookings made this ward day with one of these phones (resident's or contact)."""
    local = now.astimezone(ward_zone())
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return db.scalar(
        select(func.count(Registration.id))
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Registration.source == Source.WEB,
            Registration.created_at >= day_start,
            or_(
                Participant.phone_digits.in_(digits),
                Registration.contact_phone_digits.in_(digits),
            ),
        )
    )


def book_on_web(
    db: Session,
    *,
    session_id: int,
    reading: str,
    phone: str,
    birth_year: int | str | None,
    device: Device | str,
    consent: bool,
    idempotency_key: str,
    client: str,
    for_family: bool = False,
    contact_phone: str = "",
    secret: bytes | str = b"",
    now: datetime | None = None,
) -> registration_service.RegistrationResult:
    """Book a class from the public site with the kiosk's fields and seat rules.

    `idempotency_key` comes from the form (a double tap or a resend books once and gets
    the first answer, uncounted). Raises `InvalidInput` (every wrong field, consent and
    the contact phone included), `TooManyAttempts`, `DailyCapReached`, or the seat rules'
    errors (`AlreadyRegistered`, `SessionNotOpen`, `LotteryClosed`); the caller rolls
    back on any of them except `TooManyAttempts` and `DailyCapReached`, whose counts
    should be kept (nothing else was written).
    """
    now = now or utcnow()
    actor = Actor.resident(client)

    def register(participant_id: int) -> registration_service.RegistrationResult:
        return registration_service.register(
            db,
            session_id=session_id,
            participant_id=participant_id,
            source=Source.WEB,
            actor=actor,
            idempotency_key=idempotency_key,
            now=now,
        )

    registration_service.hold_idempotency_key(db, idempotency_key)
    if first := db.scalar(
        select(Registration).where(Registration.idempotency_key == idempotency_key)
    ):
        return register(first.participant_id)  # the first answer again, uncounted
    errors: dict[str, DomainError] = {}
    contact_digits = ""
    if for_family and (contact_phone or "").strip():
        try:
            contact_digits = check_phone(contact_phone, field="contact_phone")
        except DomainError as error:
            errors["contact_phone"] = error
    if not consent:
        errors["consent"] = DomainError(
            N_("Please read how we use what you enter, and tick the box to agree."),
            field="consent",
        )
    resident_digits = phone_number_digits(phone or "")
    phones = {d for d in (resident_digits, contact_digits) if d}
    if resident_digits and not errors:
        # counted before anything is written: a refusal keeps its counts and nothing else
        secret = secret.encode() if isinstance(secret, str) else secret
        reservation = throttle.reserve_counters(
            db,
            (("bkclient", throttle.network(client or "")[:64], FREE_BOOKINGS_PER_CLIENT),)
            + tuple(("bkphone", d, FREE_BOOKINGS_PER_PHONE) for d in sorted(phones)),
            secret=secret,
            now=now,
        )
        if not reservation.allowed:
            raise TooManyAttempts(reservation.retry_after)
        if _web_bookings_today(db, phones, now) >= DAILY_CAP_PER_PHONE:
            raise DailyCapReached(cap=DAILY_CAP_PER_PHONE)
    try:
        participant = residents.find_or_create_for_kiosk(
            db,
            reading=reading,
            phone=phone,
            birth_year=birth_year,
            device=device,
            actor=actor,
            now=now,
            source=Source.WEB,
        )
    except InvalidInput as invalid:
        raise InvalidInput({**invalid.errors, **errors}) from None
    if errors:
        raise InvalidInput(errors)
    result = register(participant.id)
    if result.created and for_family:
        result.registration.booked_by_family = True
        result.registration.contact_phone = contact_phone.strip() if contact_digits else ""
        result.registration.contact_phone_digits = contact_digits
        db.flush()
    return result
