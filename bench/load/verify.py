"""What the database says: every answer compared with what is stored, invariant by
invariant (overbooked, lost, duplicated, mismatched, ...)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from classroom.db import Database
from classroom.models import (
    ClassSession,
    Kiosk,
    Participant,
    Registration,
    RegistrationStatus,
    UsageEvent,
)

from .drive import Booking
from .world import World


def verify_bookings(
    database: Database, session_id: int, prebooked: int, bookings: list[Booking]
) -> dict:
    """Compare every answer with the stored registrations; failures name each invariant."""
    with database.read() as db:
        capacity, seats_taken = db.execute(
            select(ClassSession.capacity, ClassSession.seats_taken).where(
                ClassSession.id == session_id
            )
        ).one()
        rows = list(db.scalars(select(Registration).where(Registration.session_id == session_id)))
        twins = db.execute(
            select(Participant.phone_digits, func.count())
            .group_by(Participant.phone_digits)
            .having(func.count() > 1)
        ).all()
    by_key = {r.idempotency_key: r for r in rows if r.idempotency_key}
    waitlist = sorted(
        (r for r in rows if r.status == RegistrationStatus.WAITLISTED), key=lambda r: r.waitlist_seq
    )
    rank = {r.id: n for n, r in enumerate(waitlist, start=1)}
    confirmed = sum(r.status == RegistrationStatus.CONFIRMED for r in rows)
    keys = {b.stored_key for b in bookings}
    answered = [b for b in bookings if b.status_code == 201]
    refused = Counter(
        f"{b.status_code} {b.answer.get('error')}"
        for b in bookings
        if b.status_code not in (None, 201)
    )
    mismatched = [
        b
        for b in answered
        if b.stored_key in by_key
        and (
            by_key[b.stored_key].status.value != b.answer["status"]
            or by_key[b.stored_key].code != b.answer["code"]
            or rank.get(by_key[b.stored_key].id) != b.answer["position"]
        )
    ]
    positions = sorted(b.answer["position"] for b in answered if b.answer["position"] is not None)
    result = {
        "capacity": capacity,
        "seats_left_before": capacity - prebooked,
        "bookings": len(bookings),
        "confirmed": confirmed - prebooked,
        "waitlisted": len(waitlist),
        "overbooked": max(0, confirmed - capacity),
        "empty_seats_while_waitlisted": (capacity - confirmed) if waitlist else 0,
        "seat_counter_off": abs(seats_taken - confirmed),
        "lost": sum(b.stored_key not in by_key for b in answered),
        "duplicated": (len(rows) - prebooked - len(keys & set(by_key)))
        + sum(n - 1 for _phone, n in twins),
        "mismatched": len(mismatched),
        "unresolved": sum(b.status_code is None for b in bookings),
        "refused": dict(refused),
        "waitlist_positions_ok": positions == list(range(1, len(positions) + 1))
        and len({r.waitlist_seq for r in waitlist}) == len(waitlist),
        "attempts": sum(b.attempts for b in bookings),
    }
    result["failures"] = [
        name
        for name in (
            "overbooked",
            "empty_seats_while_waitlisted",
            "seat_counter_off",
            "lost",
            "duplicated",
            "mismatched",
            "unresolved",
        )
        if result[name]
    ]
    if refused:
        result["failures"].append("refused")
    if not result["waitlist_positions_ok"]:
        result["failures"].append("waitlist_positions")
    return result


def verify_resends(
    database: Database, session_id: int, pairs: list[tuple[Booking, Booking]]
) -> dict:
    """A booking sent twice at once with one key: both must get the same answer.

    The kiosk outbox sends a booking again when its first attempt timed out, and the
    server may still be working on that one (docs/kiosk-api.md: "The same key again
    returns the same status code and body and creates nothing").
    """
    differ = Counter(
        f"{a.status_code} {a.answer and a.answer.get('error')} / "
        f"{b.status_code} {b.answer and b.answer.get('error')}"
        for a, b in pairs
        if (a.status_code, a.answer) != (b.status_code, b.answer)
    )
    # what is stored is judged by the answer the kiosk would keep: a 201 if either got one
    kept = [b if a.status_code != 201 and b.status_code == 201 else a for a, b in pairs]
    stored = verify_bookings(database, session_id, 0, kept)
    return {
        "pairs": len(pairs),
        "different_answers": sum(differ.values()),
        "kinds": dict(differ),
        "stored": stored,
        "failures": (["resend_answers_differ"] if differ else [])
        + [f"resend {f}" for f in stored["failures"] if f != "refused"],
    }


def verify_kiosks(
    database: Database, world: World, events_accepted: int, acknowledged: list[str]
) -> dict:
    """Every event the server acknowledged is stored, once.

    A batch whose answer came after the client's timeout is stored too but never counted
    as accepted (the kiosk's outbox would send it again, the same client ids, stored once):
    counted apart as answered late, not as lost.
    """
    ids = [k for k, _token in world.kiosks]
    with database.read() as db:
        stored_ids = set(
            db.scalars(select(UsageEvent.client_id).where(UsageEvent.kiosk_id.in_(ids)))
        )
        unseen = db.scalar(
            select(func.count())
            .select_from(Kiosk)
            .where(Kiosk.id.in_(ids), Kiosk.last_seen_at.is_(None))
        )
    lost = len(set(acknowledged) - stored_ids)
    failures = (["events_lost"] if lost or len(stored_ids) < events_accepted else []) + (
        ["kiosks_never_seen"] if unseen else []
    )
    return {
        "events_accepted": events_accepted,
        "events_stored": len(stored_ids),
        "events_lost": lost,
        "events_answered_late": len(stored_ids - set(acknowledged)),
        "kiosks_never_seen": unseen,
        "failures": failures,
    }
