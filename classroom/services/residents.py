"""Residents: creating, finding (by kana or phone), correcting, and spotting duplicates."""

from __future__ import annotations

import contextlib
from datetime import datetime

from sqlalchemy import bindparam, insert, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from languages import N_

from ..models import Device, Need, Participant, Source, utcnow
from . import audit
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound
from .phones import check_phone, looks_like_a_number
from .text import clean_line, has_kana_letter, is_kana, nfkc, phone_digits, reading_key

#: the purpose of collection, shown wherever personal data is collected (APPI)
PURPOSE_OF_COLLECTION = N_(
    "We use your name, reading, phone number and year of birth only to run the ward's "
    "smartphone classes: to register you, to call you about changes, and to count "
    "participants anonymously for the ward's reports."
)

MIN_BIRTH_YEAR = 1900
#: no year of birth beyond this is compared (nor could it be stored)
MAX_YEAR = 9999
_EDITABLE = {
    "family_name",
    "given_name",
    "reading",
    "phone",
    "birth_year",
    "device",
    "needs",
    "note",
}


def _validated(
    *,
    family_name: str,
    given_name: str,
    reading: str,
    phone: str,
    birth_year: int | str | None,
    device: Device | str,
    needs: list[str] | tuple[str, ...],
    note: str,
    now: datetime,
    require_phone: bool,
) -> dict:
    """Clean values ready to store, or InvalidInput naming every wrong field."""
    errors: dict[str, DomainError] = {}
    family_name, given_name, note = (
        clean_line(family_name),
        clean_line(given_name),
        clean_line(note),
    )
    reading = " ".join(clean_line(reading).split())
    if not reading:
        errors["reading"] = DomainError(N_("Please enter the name in kana."), field="reading")
    elif not is_kana(reading):
        errors["reading"] = DomainError(
            N_("The reading must be written in kana (hiragana or katakana)."), field="reading"
        )
    elif not has_kana_letter(reading):
        errors["reading"] = DomainError(
            N_("The reading needs at least one kana letter, not only ー or ・."), field="reading"
        )
    elif len(reading) > 60:
        errors["reading"] = DomainError(N_("The reading is too long."), field="reading")
    for field, value in (("family_name", family_name), ("given_name", given_name)):
        if len(value) > 60:
            errors[field] = DomainError(N_("The name is too long."), field=field)
    phone = clean_line(phone)
    digits = ""
    if phone:
        try:
            digits = check_phone(phone)  # the one rule: classroom/services/phones.py
        except DomainError as error:
            errors["phone"] = error
    elif require_phone:
        errors["phone"] = DomainError(N_("Please enter a phone number."), field="phone")
    year: int | None = None
    if birth_year not in (None, ""):
        try:
            year = int(str(birth_year).strip())
        except ValueError:
            year = -1
        if not MIN_BIRTH_YEAR <= year <= now.year:
            errors["birth_year"] = DomainError(
                N_("The year of birth must be between %(first)s and %(last)s."),
                field="birth_year",
                first=MIN_BIRTH_YEAR,
                last=now.year,
            )
    try:
        device = Device(device)
    except ValueError:
        errors["device"] = DomainError(N_("Please choose a kind of phone."), field="device")
    try:
        needs = sorted({Need(n).value for n in needs})
    except ValueError:
        errors["needs"] = DomainError(N_("Please choose from the listed needs."), field="needs")
    if len(note) > 500:
        errors["note"] = DomainError(N_("The note is too long."), field="note")
    if errors:
        raise InvalidInput(errors)
    return dict(
        family_name=family_name,
        given_name=given_name,
        reading=reading,
        reading_key=reading_key(reading),
        phone=phone,
        phone_digits=digits,
        birth_year=year,
        device=device,
        needs=needs,
        note=note,
    )


def create_participant(
    db: Session,
    *,
    reading: str,
    source: Source,
    actor: Actor,
    consent: bool,
    family_name: str = "",
    given_name: str = "",
    phone: str = "",
    birth_year: int | str | None = None,
    device: Device | str = Device.UNKNOWN,
    needs: list[str] | tuple[str, ...] = (),
    note: str = "",
    now: datetime | None = None,
) -> Participant:
    """A new resident, after every field is checked; nothing is stored if one is wrong."""
    now = now or utcnow()
    values = _validated(
        family_name=family_name,
        given_name=given_name,
        reading=reading,
        phone=phone,
        birth_year=birth_year,
        device=device,
        needs=needs,
        note=note,
        now=now,
        require_phone=False,
    )
    if not consent:
        raise InvalidInput.single(
            "consent", N_("Please confirm that the resident agreed to the purpose of collection.")
        )
    db.flush()  # what the caller left pending is written first, as before
    return _add_consenting(db, values, source=source, actor=actor, now=now)


def update_participant(db: Session, participant_id: int, *, actor: Actor, **fields) -> Participant:
    """Correct a resident's data; the audit trail records which fields changed, not values."""
    participant = db.get(Participant, participant_id)
    if participant is None or participant.erased_at is not None:
        raise NotFound(field="participant_id")
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = {name: getattr(participant, name) for name in _EDITABLE}
    values = _validated(**{**current, **fields}, now=utcnow(), require_phone=False)
    changed = sorted(k for k, v in values.items() if getattr(participant, k) != v)
    for name, value in values.items():
        setattr(participant, name, value)
    participant.last_activity_at = utcnow()
    db.flush()
    audit.record(
        db,
        actor,
        "participant.update",
        participant_id=participant.id,
        subject_type="participant",
        subject_id=participant.id,
        details={"fields": changed},
    )
    return participant


def search_participants(db: Session, query: str, limit: int = 20) -> list[Participant]:
    """Residents whose reading starts with the kana typed, whose phone holds the digits, or
    whose name as written (kanji) starts with what was typed."""
    query = clean_line(query)
    digits = phone_digits(query)
    key = reading_key(query)
    if not key:
        return []
    conditions = []
    if is_kana(query):
        conditions.append(Participant.reading_key.startswith(key, autoescape=True))
    phone_like = looks_like_a_number(query)  # the one dash rule: phones.py
    if len(digits) >= 3 and phone_like:
        conditions.append(Participant.phone_digits.contains(digits, autoescape=True))
    if not conditions and not phone_like:
        # the name as written (山田, 山田花子, 山田 花): from a form the resident filled in
        written = "".join(nfkc(query).split())
        conditions.append(
            (Participant.family_name + Participant.given_name).startswith(written, autoescape=True)
        )
    if not conditions:
        return []
    return list(
        db.scalars(
            select(Participant)
            .where(Participant.erased_at.is_(None), or_(*conditions))
            .order_by(Participant.reading_key, Participant.id)
            .limit(limit)
        )
    )


def likely_duplicates(
    db: Session, *, reading: str, phone: str = "", birth_year: int | str | None = None
) -> list[Participant]:
    """Residents with the same reading and the same phone, or the same reading and birth year.

    Called before the values are validated: a NUL in the reading or a year beyond a
    database integer matches nobody instead of failing the query on PostgreSQL.
    """
    key = reading_key(clean_line(reading))
    if not key:
        return []
    same = []
    if digits := phone_digits(phone or ""):
        same.append(Participant.phone_digits == digits)
    if birth_year not in (None, ""):
        with contextlib.suppress(ValueError):
            if MIN_BIRTH_YEAR <= (year := int(birth_year)) <= MAX_YEAR:
                same.append(Participant.birth_year == year)
    if not same:
        return []
    return list(
        db.scalars(
            select(Participant).where(
                Participant.erased_at.is_(None), Participant.reading_key == key, or_(*same)
            )
        )
    )


#: every kiosk booking's look-up, built once: its cache key is computed once
_KIOSK_MATCH = (
    select(Participant)
    .where(
        Participant.erased_at.is_(None),
        Participant.reading_key == bindparam("key"),
        Participant.phone_digits == bindparam("digits"),
    )
    .order_by(Participant.id)
    .limit(1)
)


def kiosk_match(db: Session, key: str, digits: str) -> Participant | None:
    """The resident a kiosk means by a reading (folded: ``text.reading_key``) and a phone
    (its digits): the oldest one not erased, or None."""
    if not key or not digits:
        return None
    return db.scalar(_KIOSK_MATCH, {"key": key, "digits": digits})


def find_or_create_for_kiosk(
    db: Session,
    *,
    reading: str,
    phone: str,
    birth_year: int | str | None,
    device: Device | str,
    actor: Actor,
    now: datetime | None = None,
    source: Source = Source.KIOSK,
) -> Participant:
    """The resident a kiosk (or web, `source`) booking is for: matched by reading and
    phone, else created."""
    now = now or utcnow()
    values = _validated(
        family_name="",
        given_name="",
        reading=reading,
        phone=phone,
        birth_year=birth_year,
        device=device,
        needs=(),
        note="",
        now=now,
        require_phone=True,
    )
    existing = kiosk_match(db, values["reading_key"], values["phone_digits"])
    if existing is not None:
        return existing
    return _add_consenting(db, values, source=source, actor=actor, now=now)


_NEW_PARTICIPANT = insert(Participant.__table__).returning(Participant.__table__.c.id)


def _add_consenting(
    db: Session, values: dict, *, source: Source, actor: Actor, now: datetime
) -> Participant:
    """A new resident from checked `values`, who agreed to the purpose of collection
    there and then (the office's form, the kiosk, the web form): the row and its audit
    row, written by two prebuilt INSERTs instead of the unit of work's flush (a booking
    burst pays for every resident it makes: issue 21). The object returned is this unit
    of work's, as if loaded."""
    row = dict(
        values,
        source=Source(source),
        consent_at=now,
        consent_method=Source(source).value,
        created_at=now,
        last_activity_at=now,
    )
    participant_id = db.connection().execute(_NEW_PARTICIPANT, row).scalar_one()
    audit.append(
        db,
        actor,
        "participant.create",
        participant_id=participant_id,
        subject_type="participant",
        subject_id=participant_id,
    )
    participant = Participant(id=participant_id, **row)
    make_transient_to_detached(participant)
    db.add(participant)
    return participant
