"""Venues: the rooms where classes are held, their seats and their loaner phones."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from languages import N_

from ..models import ClassSession, PhoneLoan, SessionState, Venue, VenueKind, utcnow
from . import audit, translations
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound

NAME_MAX, ADDRESS_MAX, ACCESS_MAX = 120, 200, 1000
#: seats and loaner phones: more than any room holds, well inside a database integer
COUNT_MAX = 9999


class VenueNameTaken(DomainError):
    message = N_("There is already a venue called %(name)s.")


class SeatsBelowAClass(DomainError):
    message = N_(
        "A class on %(when)s at this venue has %(capacity)s seats; the room cannot hold fewer."
    )


class PhonesStillOut(DomainError):
    message = N_("%(out)s loaner phones are out now; the venue cannot keep fewer.")


def _text(value: str | None) -> str:
    """As the ward writes it (full-width brackets stay), without surrounding spaces."""
    return (value or "").strip()


def _whole_number(errors, field, value, *, minimum: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = DomainError(N_("Please enter a whole number."), field=field)
        return None
    if number < minimum:
        errors[field] = DomainError(
            N_("Please enter %(minimum)s or more."), field=field, minimum=minimum
        )
        return None
    if number > COUNT_MAX:
        errors[field] = DomainError(
            N_("Please enter %(maximum)s or less."), field=field, maximum=COUNT_MAX
        )
        return None
    return number


def _validated(db: Session, venue: Venue | None, now: datetime, **raw) -> dict:
    errors: dict[str, DomainError] = {}
    name = _text(raw["name"])
    if not name:
        errors["name"] = DomainError(N_("Please enter the name of the venue."), field="name")
    elif len(name) > NAME_MAX:
        errors["name"] = DomainError(N_("At most %(max)s characters."), field="name", max=NAME_MAX)
    elif db.scalar(
        select(Venue.id).where(Venue.name == name, Venue.id != (venue.id if venue else -1))
    ):
        errors["name"] = VenueNameTaken(field="name", name=name)
    try:
        kind = VenueKind(raw["kind"])
    except ValueError:
        errors["kind"] = DomainError(N_("Please choose the kind of venue."), field="kind")
        kind = None
    address, access = _text(raw["address"]), (raw["access"] or "").strip()
    if len(address) > ADDRESS_MAX:
        errors["address"] = DomainError(
            N_("At most %(max)s characters."), field="address", max=ADDRESS_MAX
        )
    if len(access) > ACCESS_MAX:
        errors["access"] = DomainError(
            N_("At most %(max)s characters."), field="access", max=ACCESS_MAX
        )
    # beside the Japanese: the same lengths; the sign's name alone must be unique
    names = translations.validated(
        errors,
        "name",
        raw["name_translations"],
        venue.name_translations if venue else None,
        maximum=NAME_MAX,
    )
    accesses = translations.validated(
        errors,
        "access",
        raw["access_translations"],
        venue.access_translations if venue else None,
        maximum=ACCESS_MAX,
    )
    capacity = _whole_number(errors, "capacity", raw["capacity"], minimum=1)
    phones = _whole_number(errors, "loaner_phones", raw["loaner_phones"], minimum=0)
    if venue is not None and capacity is not None and "capacity" not in errors:
        biggest = db.execute(
            select(ClassSession.starts_at, ClassSession.capacity)
            .where(
                ClassSession.venue_id == venue.id,
                ClassSession.state == SessionState.SCHEDULED,
                ClassSession.starts_at > now,
                ClassSession.capacity > capacity,
            )
            .order_by(ClassSession.capacity.desc(), ClassSession.starts_at)
            .limit(1)
        ).first()
        if biggest:
            errors["capacity"] = SeatsBelowAClass(
                field="capacity", when=biggest.starts_at, capacity=biggest.capacity
            )
    if venue is not None and phones is not None and "loaner_phones" not in errors:
        out = db.scalar(
            select(func.count(PhoneLoan.id))
            .join(ClassSession, ClassSession.id == PhoneLoan.session_id)
            .where(ClassSession.venue_id == venue.id, PhoneLoan.returned_at.is_(None))
        )
        if out > phones:
            errors["loaner_phones"] = PhonesStillOut(field="loaner_phones", out=out)
    if errors:
        raise InvalidInput(errors)
    return dict(
        name=name,
        name_translations=names,
        kind=kind,
        address=address,
        access=access,
        access_translations=accesses,
        capacity=capacity,
        loaner_phones=phones,
    )


def _save(db: Session, venue: Venue, name: str) -> None:
    try:
        with db.begin_nested():
            db.add(venue)
            db.flush()
    except IntegrityError:
        # another administrator saved the same name at the same moment
        raise InvalidInput({"name": VenueNameTaken(field="name", name=name)}) from None


def create_venue(
    db: Session,
    *,
    name: str,
    kind: VenueKind | str,
    capacity: int | str,
    actor: Actor,
    address: str = "",
    access: str = "",
    loaner_phones: int | str = 0,
    name_translations: Mapping[str, str] | None = None,
    access_translations: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Venue:
    """A new venue with a unique name, at least one seat and no negative phones.

    ``name_translations`` and ``access_translations`` map the other languages
    (translations.OTHER_LANGUAGES) to the name and access line in them; empty ones are left out.
    """
    values = _validated(
        db,
        None,
        now or utcnow(),
        name=name,
        kind=kind,
        address=address,
        access=access,
        capacity=capacity,
        loaner_phones=loaner_phones,
        name_translations=name_translations,
        access_translations=access_translations,
    )
    venue = Venue(**values)
    _save(db, venue, values["name"])
    audit.record(db, actor, "venue.create", subject_type="venue", subject_id=venue.id)
    return venue


def update_venue(
    db: Session,
    venue_id: int,
    *,
    name: str,
    kind: VenueKind | str,
    capacity: int | str,
    actor: Actor,
    address: str = "",
    access: str = "",
    loaner_phones: int | str = 0,
    name_translations: Mapping[str, str] | None = None,
    access_translations: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Venue:
    """Change a venue; never fewer seats than a scheduled class there, nor fewer phones
    than are out. The languages given in ``name_translations`` and ``access_translations``
    are replaced (an empty text removes one); None leaves them as they are."""
    venue = db.get(Venue, venue_id)
    if venue is None:
        raise NotFound(field="venue_id")
    values = _validated(
        db,
        venue,
        now or utcnow(),
        name=name,
        kind=kind,
        address=address,
        access=access,
        capacity=capacity,
        loaner_phones=loaner_phones,
        name_translations=name_translations,
        access_translations=access_translations,
    )
    for key, value in values.items():
        setattr(venue, key, value)
    _save(db, venue, values["name"])
    audit.record(db, actor, "venue.update", subject_type="venue", subject_id=venue.id)
    return venue
