"""Kiosks: their tokens, heartbeats, calls for help and anonymous usage events.

A kiosk's bearer token is shown once, when the kiosk is added; only its SHA-256 is
stored, so a copy of the database cannot be used to pose as a kiosk. Nothing here
holds personal data: help requests and usage events say where and what, never who.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from languages import LANGUAGES, N_

from ..models import HelpRequest, Kiosk, UsageEvent, UsageKind, utcnow
from . import audit
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound
from .text import clean_line

#: bytes of randomness in a token (secrets.token_urlsafe: 43 characters)
TOKEN_BYTES = 32
#: a longer "token" is not one of ours; it is refused before hashing
MAX_TOKEN_LENGTH = 200
#: a kiosk seen within this long is shown as online
ONLINE_WINDOW = timedelta(minutes=3)
#: events one request may carry
MAX_EVENTS = 200
#: the kiosk's languages (ja-easy is やさしい日本語) and text sizes (大 / 特大)
TEXT_SIZES = ("large", "xlarge")
#: client ids (UUIDs in practice), guide ids and screens, as the kiosk writes them
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")
_CONTENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
_SCREEN = re.compile(r"^[A-Za-z0-9._:/-]{0,120}$")
_VERSION = re.compile(r"^[A-Za-z0-9._+-]{0,40}$")
_AT_YEAR = re.compile(r"^2[0-9]{3}-")
MAX_STEP = 999


class KioskNameTaken(DomainError):
    message = N_("A kiosk called %(name)s already exists.")


class HelpRequestClosed(DomainError):
    message = N_("This help request is already closed.")


def hash_token(token: str) -> str:
    """The hex SHA-256 stored for a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def create_kiosk(
    db: Session, *, name: str, location: str = "", actor: Actor, now: datetime | None = None
) -> tuple[Kiosk, str]:
    """A new kiosk and its token; the token is returned once and never stored."""
    name, location = clean_line(name), clean_line(location)
    errors: dict[str, DomainError] = {}
    if not name:
        errors["name"] = DomainError(N_("Please give the kiosk a name."), field="name")
    elif len(name) > 60 or any(c.isspace() for c in name):
        errors["name"] = DomainError(
            N_("A kiosk name has at most 60 characters and no spaces."), field="name"
        )
    if len(location) > 200:
        errors["location"] = DomainError(N_("The location is too long."), field="location")
    if errors:
        raise InvalidInput(errors)
    if db.scalar(select(Kiosk.id).where(Kiosk.name == name)) is not None:
        raise KioskNameTaken(field="name", name=name)
    token = new_token()
    kiosk = Kiosk(
        name=name, location=location, token_hash=hash_token(token), created_at=now or utcnow()
    )
    db.add(kiosk)
    db.flush()
    audit.record(db, actor, "kiosk.create", subject_type="kiosk", subject_id=kiosk.id)
    return kiosk, token


def revoke_kiosk(db: Session, name: str, *, actor: Actor, now: datetime | None = None) -> Kiosk:
    """Refuse the kiosk's token from now on; revoking twice changes nothing."""
    kiosk = db.scalar(select(Kiosk).where(Kiosk.name == clean_line(name)))
    if kiosk is None:
        raise NotFound(field="name")
    if kiosk.revoked_at is None:
        kiosk.revoked_at = now or utcnow()
        db.flush()
        audit.record(db, actor, "kiosk.revoke", subject_type="kiosk", subject_id=kiosk.id)
    return kiosk


#: every kiosk request's first statement, built once: its cache key is computed once
_KIOSK_BY_TOKEN = select(Kiosk).where(Kiosk.token_hash == bindparam("digest"))


def kiosk_for_token(db: Session, token: str | None) -> Kiosk | None:
    """The active kiosk holding this token; None for a missing, unknown or revoked one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(token)
    kiosk = db.scalar(_KIOSK_BY_TOKEN, {"digest": digest})
    if kiosk is None or not hmac.compare_digest(kiosk.token_hash, digest):
        return None
    return kiosk if kiosk.revoked_at is None else None


def list_kiosks(db: Session) -> list[Kiosk]:
    return list(db.scalars(select(Kiosk).order_by(Kiosk.name)))


def is_online(kiosk: Kiosk, now: datetime | None = None) -> bool:
    """Seen within ONLINE_WINDOW (a heartbeat comes every minute) and not revoked."""
    now = now or utcnow()
    return (
        kiosk.revoked_at is None
        and kiosk.last_seen_at is not None
        and now - kiosk.last_seen_at <= ONLINE_WINDOW
    )


def record_heartbeat(
    db: Session,
    kiosk: Kiosk,
    *,
    app_version: object,
    content_version: object,
    now: datetime | None = None,
) -> Kiosk:
    """Note that the kiosk is alive and which app and content it runs."""
    errors: dict[str, DomainError] = {}
    for field, value in (("app_version", app_version), ("content_version", content_version)):
        if not isinstance(value, str) or not _VERSION.match(value):
            errors[field] = DomainError(
                N_("A version has at most 40 letters, digits, dots or dashes."), field=field
            )
    if errors:
        raise InvalidInput(errors)
    kiosk.last_seen_at = now or utcnow()
    kiosk.app_version = app_version
    kiosk.content_version = content_version
    db.flush()
    return kiosk


def touch(kiosk: Kiosk, now: datetime | None = None) -> None:
    """The kiosk just spoke to us (any request that writes)."""
    kiosk.last_seen_at = now or utcnow()


# -- help requests -----------------------------------------------------------------------


def help_status(request: HelpRequest) -> str:
    """ "open", "taken" or "closed"."""
    if request.closed_at is not None:
        return "closed"
    return "taken" if request.taken_at is not None else "open"


def _required(errors: dict, field: str, data: Mapping) -> object:
    if field not in data or data[field] is None:
        errors[field] = DomainError(N_("This field is required."), field=field)
        return None
    return data[field]


def _check_client_id(errors: dict, field: str, value: object) -> None:
    if value is not None and (not isinstance(value, str) or not _CLIENT_ID.match(value)):
        errors[field] = DomainError(
            N_("An id has 1 to 80 letters, digits, dots, colons or dashes."), field=field
        )


def _check_language(errors: dict, field: str, value: object) -> None:
    if not isinstance(value, str) or value not in LANGUAGES:
        errors[field] = DomainError(
            N_("The language must be one of: %(choices)s."),
            field=field,
            choices=", ".join(LANGUAGES),
        )


def _unknown_fields(errors: dict, data: Mapping, allowed: set[str], prefix: str = "") -> None:
    for key in sorted(set(data) - allowed, key=str):
        errors[f"{prefix}{key}"] = DomainError(N_("This field is not expected."), field=key)


def open_help_request(
    db: Session, kiosk: Kiosk, data: Mapping, *, now: datetime | None = None
) -> tuple[HelpRequest, bool]:
    """A call for staff from this kiosk; the same client_id again returns the first one."""
    errors: dict[str, DomainError] = {}
    _unknown_fields(errors, data, {"client_id", "screen", "language"})
    client_id = _required(errors, "client_id", data)
    _check_client_id(errors, "client_id", client_id)
    screen = data.get("screen", "")
    if not isinstance(screen, str) or not _SCREEN.match(screen):
        errors["screen"] = DomainError(
            N_("A screen name has at most 120 letters, digits, dots, colons or dashes."),
            field="screen",
        )
    language = data.get("language", "ja")
    _check_language(errors, "language", language)
    if errors:
        raise InvalidInput(errors)
    existing = _help_request_by_client(db, kiosk.id, client_id)
    if existing is not None:
        return existing, False
    try:
        with db.begin_nested():
            request = HelpRequest(
                kiosk_id=kiosk.id,
                client_id=client_id,
                screen=screen,
                language=language,
                created_at=now or utcnow(),
            )
            db.add(request)
            db.flush()
    except IntegrityError:  # the same request resent at the same moment
        return _help_request_by_client(db, kiosk.id, client_id), False
    return request, True


def _help_request_by_client(db: Session, kiosk_id: int, client_id: str) -> HelpRequest | None:
    return db.scalar(
        select(HelpRequest).where(
            HelpRequest.kiosk_id == kiosk_id, HelpRequest.client_id == client_id
        )
    )


def help_request_of_kiosk(db: Session, kiosk: Kiosk, client_id: object) -> HelpRequest:
    """This kiosk's call with ``client_id`` (the kiosk polls it while its resident waits).

    Another kiosk's call is NotFound, as is an id that is not one.
    """
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise NotFound(field="client_id")
    request = _help_request_by_client(db, kiosk.id, client_id)
    if request is None:
        raise NotFound(field="client_id")
    return request


def open_help_requests(db: Session) -> list[HelpRequest]:
    """Help requests not yet closed, oldest first, with their kiosk."""
    return list(
        db.scalars(
            select(HelpRequest)
            .where(HelpRequest.closed_at.is_(None))
            .options(selectinload(HelpRequest.kiosk))
            .order_by(HelpRequest.created_at, HelpRequest.id)
        )
    )


def take_help_request(
    db: Session, help_request_id: int, *, actor: Actor, now: datetime | None = None
) -> HelpRequest:
    """A coordinator goes to the kiosk; taking it again (by anyone) changes nothing."""
    request = db.get(HelpRequest, help_request_id)
    if request is None:
        raise NotFound(field="help_request_id")
    if request.closed_at is not None:
        raise HelpRequestClosed(field="help_request_id")
    if request.taken_at is None:
        request.taken_at = now or utcnow()
        request.taken_by_id = actor.user_id
        db.flush()
        audit.record(
            db, actor, "help_request.take", subject_type="help_request", subject_id=request.id
        )
    return request


def close_help_request(
    db: Session, help_request_id: int, *, actor: Actor, now: datetime | None = None
) -> HelpRequest:
    """The resident was helped; closing twice changes nothing."""
    request = db.get(HelpRequest, help_request_id)
    if request is None:
        raise NotFound(field="help_request_id")
    if request.closed_at is None:
        now = now or utcnow()
        if request.taken_at is None:
            request.taken_at, request.taken_by_id = now, actor.user_id
        request.closed_at = now
        request.closed_by_id = actor.user_id
        db.flush()
        audit.record(
            db, actor, "help_request.close", subject_type="help_request", subject_id=request.id
        )
    return request


# -- usage events ------------------------------------------------------------------------

_EVENT_FIELDS = {"client_id", "kind", "at", "guide_id", "step", "language", "text_size"}


@dataclass(frozen=True)
class _Event:
    client_id: str
    kind: UsageKind
    at: datetime
    guide_id: str
    step: int | None
    language: str
    text_size: str


def whole_number(value: object) -> int | None:
    """A JSON integer (1, or 1.0 as JSON Schema counts it); None for anything else."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def _parse_at(value: object) -> datetime | None:
    """An aware time in the years 2000-2999 (a kiosk's clock, not a date of history)."""
    if not isinstance(value, str) or len(value) > 40 or not _AT_YEAR.match(value):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _validated_event(errors: dict, index: int, data: object) -> _Event | None:
    prefix = f"events[{index}]."
    if not isinstance(data, Mapping):
        errors[f"events[{index}]"] = DomainError(N_("An event must be an object."))
        return None
    before = len(errors)
    _unknown_fields(errors, data, _EVENT_FIELDS, prefix)
    client_id = data.get("client_id")
    if client_id is None:
        errors[prefix + "client_id"] = DomainError(N_("This field is required."))
    _check_client_id(errors, prefix + "client_id", client_id)
    kind = data.get("kind")
    known = isinstance(kind, str) and kind in UsageKind._value2member_map_
    kind = UsageKind(kind) if known else None
    if kind is None:
        errors[prefix + "kind"] = DomainError(
            N_("The kind must be one of: %(choices)s."),
            choices=", ".join(k.value for k in UsageKind),
        )
    at = _parse_at(data.get("at"))
    if at is None:
        errors[prefix + "at"] = DomainError(
            N_("A time is written like 2026-11-26T01:00:00Z (with its time zone, in 2000-2999).")
        )
    guide_id = data.get("guide_id", "")
    if not isinstance(guide_id, str) or (guide_id and not _CONTENT_ID.match(guide_id)):
        errors[prefix + "guide_id"] = DomainError(N_("This is not a guide or FAQ id."))
    step = data.get("step")
    if step is not None and ((step := whole_number(step)) is None or not 0 <= step <= MAX_STEP):
        errors[prefix + "step"] = DomainError(
            N_("A step is a whole number from 0 to %(max)s."), max=MAX_STEP
        )
    language = data.get("language", "")
    if language != "":
        _check_language(errors, prefix + "language", language)
    text_size = data.get("text_size", "")
    if text_size != "" and text_size not in TEXT_SIZES:
        errors[prefix + "text_size"] = DomainError(
            N_("The text size must be one of: %(choices)s."), choices=", ".join(TEXT_SIZES)
        )
    if len(errors) > before:
        return None
    return _Event(client_id, kind, at, guide_id, step, language, text_size)


def record_usage_events(
    db: Session, kiosk: Kiosk, events: object, *, now: datetime | None = None
) -> int:
    """Store a batch of anonymous events, each client_id once; returns how many were accepted.

    A batch with one wrong event is refused whole (InvalidInput), so nothing half-stored
    is resent; events already stored are accepted again without a second row.
    """
    if not isinstance(events, Sequence) or isinstance(events, str | bytes):
        raise InvalidInput.single("events", N_("The events must be a list."))
    if len(events) > MAX_EVENTS:
        raise InvalidInput.single(
            "events", N_("At most %(max)s events can be sent at once."), max=MAX_EVENTS
        )
    errors: dict[str, DomainError] = {}
    parsed = [_validated_event(errors, i, e) for i, e in enumerate(events)]
    if errors:
        raise InvalidInput(errors)
    received = now or utcnow()
    unique = {e.client_id: e for e in reversed(parsed)}  # the first of twins in one batch wins
    for _attempt in range(2):
        try:
            with db.begin_nested():
                stored = set(
                    db.scalars(
                        select(UsageEvent.client_id).where(
                            UsageEvent.kiosk_id == kiosk.id,
                            UsageEvent.client_id.in_(list(unique)),
                        )
                    )
                )
                db.add_all(
                    UsageEvent(
                        kiosk_id=kiosk.id,
                        client_id=e.client_id,
                        kind=e.kind,
                        at=e.at,
                        received_at=received,
                        guide_id=e.guide_id,
                        step=e.step,
                        language=e.language,
                        text_size=e.text_size,
                    )
                    for cid, e in unique.items()
                    if cid not in stored
                )
                db.flush()
            break
        except IntegrityError:  # the same batch resent at the same moment: look again
            continue
    return len(parsed)
