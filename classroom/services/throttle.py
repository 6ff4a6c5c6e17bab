"""Login throttling: per (login, address) and per address, with back-off, one atomic step.

What it stops, and what it must not cause:

- Guessing one account's password from one place: after `FREE_PER_PAIR` failures for the
  same (login name, address) that pair must wait, 1 minute after the 5th failure, then
  2, 4, 8 ... minutes after each further one, at most `MAX_LOCK`. The run of failures is
  forgotten after a successful login for that pair or `FORGET_AFTER` without a failure.
- Trying many login names from one place: after `FREE_PER_ADDRESS` failures from one
  address (a counter's PC is shared by several staff members) the address waits the
  same growing times.
- Locking the real user out: nothing is counted per login name alone, so an attacker
  elsewhere can lock out only his own address, never a coordinator at her own desk.

Why a database counter and not Flask-Limiter's storage: the in-memory storage is per
process, so with several gunicorn workers and no Redis each worker would count on its
own (3 workers let 3 × 5 guesses through); the database is the one thing every worker
and every server of a ward already shares, with or without Redis, on SQLite and
PostgreSQL alike. Flask-Limiter (web/api/ratelimit.py) limits the kiosk API.

Why it is atomic: the check and the count are one statement per key,
``INSERT ... ON CONFLICT (key) DO UPDATE SET ... RETURNING``, which counts the attempt
unless the key is locked, sets the lock when the count reaches the limit, and stamps the
row with this attempt's random ticket. The row it returns says whether *this* attempt was
counted (the ticket is ours) or refused (the key was locked). PostgreSQL runs an upsert
atomically on its row and keeps the row locked until the request's transaction ends, so a
second attempt for the same key waits and then sees the first one's count; SQLite has
one writer at a time (write transactions begin IMMEDIATE). The count is taken *before*
the password is checked and undone on success, so N guesses at the same moment are N
counts and no more than the limit of them are checked. Rows hold keyed hashes, never the
typed name nor the address (a password typed into the login box must not be stored).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import LoginThrottle, utcnow
from ..models.base import UTCDateTime

#: failures one (login, address) may make before it has to wait
FREE_PER_PAIR = 5
#: failures one address may make, over every login name, before it has to wait
FREE_PER_ADDRESS = 20
#: the first wait; each further failure doubles it
FIRST_LOCK = timedelta(minutes=1)
#: the longest wait
MAX_LOCK = timedelta(hours=1)
#: a run of failures is forgotten after this long without one
FORGET_AFTER = timedelta(hours=24)
#: how many doublings there are before MAX_LOCK (1, 2, 4, 8, 16, 32 minutes, then 60)
_STEPS = math.ceil(math.log2(MAX_LOCK / FIRST_LOCK))


def lock_after(failures: int, free: int) -> timedelta | None:
    """How long a key waits after its `failures`-th failure in a run (None: not at all)."""
    if failures < free:
        return None
    return min(FIRST_LOCK * 2 ** (failures - free), MAX_LOCK)


@dataclass(frozen=True)
class _Key:
    kind: str  # "pair" or "addr"
    key: str
    free: int


@dataclass(frozen=True)
class Reservation:
    """The outcome of `reserve`: whether the password may be checked, else how long to wait."""

    allowed: bool
    #: when refused: the wait until the next attempt is checked (at least one second)
    retry_after: timedelta = timedelta(0)
    #: when refused: which counter refused ("pair" or "addr")
    refused_by: str = ""
    ticket: str = ""
    keys: tuple[_Key, ...] = field(default=())

    @property
    def retry_after_minutes(self) -> int:
        """The wait in whole minutes, rounded up (what a person is told)."""
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


def _hash(secret: bytes, *parts: str) -> str:
    digest = hashlib.blake2b(digest_size=24, key=secret[:64], person=b"tsunagu-throttle")
    digest.update("\x00".join(parts).encode("utf-8"))
    return digest.hexdigest()


def network(address: str) -> str:
    """What counts as one address: an IPv4 address, or an IPv6 /64 (one household or
    office gets a whole /64, so counting single IPv6 addresses would let one attacker
    start afresh 2**64 times)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _keys(login: str, address: str, secret: bytes) -> tuple[_Key, ...]:
    address = network(address) if address else ""
    pair = _Key("pair", "pair:" + _hash(secret, "pair", login, address), FREE_PER_PAIR)
    if not address:  # the CLI, a test: no address to count
        return (pair,)
    # always the pair first, then the address: rows are locked in one order, so two
    # logins never wait for each other in a circle
    return (pair, _Key("addr", "addr:" + _hash(secret, "addr", address), FREE_PER_ADDRESS))


def _upsert(db: Session):
    return (postgresql if db.get_bind().dialect.name == "postgresql" else sqlite).insert


def _when(moment: datetime):
    return literal(moment, UTCDateTime())


def _count(db: Session, key: _Key, ticket: str, now: datetime) -> tuple[bool, datetime | None]:
    """Count one attempt for `key` unless it is locked: (counted, locked_until)."""
    t = LoginThrottle.__table__.c
    locked = and_(t.locked_until.is_not(None), t.locked_until > _when(now))
    forgotten = t.last_failure_at < _when(now - FORGET_AFTER)
    failures = case((forgotten, 0), else_=t.failures) + 1
    lock_until = case(
        *[
            (failures == key.free + step, _when(now + lock_after(key.free + step, key.free)))
            for step in range(_STEPS)
        ],
        (failures >= key.free + _STEPS, _when(now + MAX_LOCK)),
        else_=literal(None, UTCDateTime()),
    )
    first_lock = lock_after(1, key.free)
    insert = _upsert(db)(LoginThrottle).values(
        key=key.key,
        failures=1,
        last_failure_at=now,
        locked_until=now + first_lock if first_lock else None,
        ticket=ticket,
    )
    statement = insert.on_conflict_do_update(
        index_elements=[t.key],
        set_={
            "failures": case((locked, t.failures), else_=failures),
            "locked_until": case((locked, t.locked_until), else_=lock_until),
            "last_failure_at": case((locked, t.last_failure_at), else_=_when(now)),
            "ticket": case((locked, t.ticket), else_=literal(ticket)),
        },
    ).returning(t.ticket, t.locked_until)
    row = db.execute(statement).one()
    return row.ticket == ticket, row.locked_until


def reserve(
    db: Session, login: str, address: str, *, secret: bytes = b"", now: datetime | None = None
) -> Reservation:
    """Count this attempt before its password is checked, or refuse it: one step per key."""
    return _reserve(db, _keys(login, address, secret), now or utcnow())


def reserve_counters(
    db: Session,
    counters: tuple[tuple[str, str, int], ...],
    *,
    secret: bytes = b"",
    now: datetime | None = None,
) -> Reservation:
    """The same counting for other guessable secrets (a reservation code and its phone).

    `counters` are (kind, value, free failures): kind is a short name of its own (at most
    8 letters, never "pair" nor "addr", so these never add to a login's counts), value what
    is counted (an address: pass it through `network`). Take back a right guess with
    `take_back`.
    """
    keys = tuple(
        _Key(kind, f"{kind}:" + _hash(secret, kind, value), free) for kind, value, free in counters
    )
    return _reserve(db, keys, now or utcnow())


def take_back(db: Session, reservation: Reservation) -> None:
    """This attempt was no failure: undo its counts (others' failures stay counted)."""
    _take_back(db, reservation.keys, reservation.ticket)


def _reserve(db: Session, keys: tuple[_Key, ...], now: datetime) -> Reservation:
    ticket = secrets.token_hex(16)
    for done, key in enumerate(keys):
        counted, locked_until = _count(db, key, ticket, now)
        if not counted:
            # a refused attempt counts nowhere: someone pressing "log in" again during
            # the wait neither lengthens it nor locks the colleagues at the same desk
            _take_back(db, keys[:done], ticket)
            wait = max((locked_until or now) - now, timedelta(seconds=1))
            return Reservation(allowed=False, retry_after=wait, refused_by=key.kind)
    return Reservation(allowed=True, ticket=ticket, keys=keys)


def _take_back(db: Session, keys: tuple[_Key, ...], ticket: str) -> None:
    """Undo this attempt's count on `keys` (and the lock it set, if it set one)."""
    t = LoginThrottle.__table__.c
    for key in keys:
        db.execute(
            update(LoginThrottle)
            .where(t.key == key.key)
            .values(
                failures=case((t.failures > 0, t.failures - 1), else_=0),
                locked_until=case(
                    (t.ticket == ticket, literal(None, UTCDateTime())), else_=t.locked_until
                ),
            )
        )


def succeeded(db: Session, reservation: Reservation, now: datetime | None = None) -> None:
    """The password was right: this attempt was no failure, and its pair's run is over."""
    t = LoginThrottle.__table__.c
    pairs = tuple(key for key in reservation.keys if key.kind == "pair")
    db.execute(delete(LoginThrottle).where(t.key.in_([key.key for key in pairs])))
    # one login does not wipe the address's count (one valid account would otherwise
    # reset it between guesses); it only takes back its own count
    _take_back(db, tuple(k for k in reservation.keys if k.kind != "pair"), reservation.ticket)
    forget_stale(db, now or utcnow())


def forget_stale(db: Session, now: datetime, batch: int = 100) -> int:
    """Delete runs nobody has added to for FORGET_AFTER and that no longer lock anything.

    Rows another request holds are skipped (SKIP LOCKED on PostgreSQL), so tidying up
    never waits for, nor deadlocks with, a login in progress.
    """
    t = LoginThrottle.__table__.c
    stale = (
        select(t.key)
        .where(
            t.last_failure_at < now - FORGET_AFTER,
            (t.locked_until.is_(None)) | (t.locked_until < now),
        )
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    keys = list(db.scalars(stale))
    if keys:
        db.execute(delete(LoginThrottle).where(t.key.in_(keys)))
    return len(keys)
