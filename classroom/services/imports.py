"""Residents and registrations from the ward's old spreadsheet (CSV): checked, then written.

Each row is one resident, optionally with one class to register them for. The same
resident on several rows (same reading and phone or birth year) is created once.

The preview parses and checks every row without a write transaction (the same field
rules as the office pages, residents._validated; classes and known residents are read),
so it never holds SQLite's write lock: with 15,000 rows it held it for 36 s and kiosk
bookings failed. An import is written only when every row is valid, through the same
services (residents.create_participant, registration.register), in short batches that
each hold the lock for at most `BATCH_SECONDS`. If something changed between the check
and the write (a class was cancelled meanwhile), that row is reported and the others
stay written; importing the same file again adds only what is missing (a resident is
recognised by reading and phone or year of birth, a registration by its row).
Columns: docs/coordinators.md ("Importing the old spreadsheet").
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from languages import N_, gettext

from ..db import Database
from ..models import (
    BookingMode,
    ClassSession,
    Course,
    Device,
    Need,
    Participant,
    Source,
    utcnow,
)
from ..settings import ward_zone
from . import audit, registration, residents
from .actor import Actor
from .errors import DomainError, InvalidInput, LotteryClosed
from .sessions import scheduling_window
from .spreadsheet import read_rows
from .text import has_control_characters

#: a write transaction of an import holds SQLite's lock at most this long...
BATCH_SECONDS = 0.2
#: ...then lets go this long, longer than a waiting writer's longest busy-handler sleep
BATCH_PAUSE_S = 0.12
#: reading keys looked up per query in the preview
LOOKUP_CHUNK = 500

#: field -> accepted headers (Japanese first, as the ward's sheet has them; English too)
COLUMNS: dict[str, tuple[str, ...]] = {
    "family_name": ("姓", "family_name"),
    "given_name": ("名", "given_name"),
    "reading": ("ふりがな", "フリガナ", "reading"),
    "phone": ("電話番号", "phone"),
    "birth_year": ("生まれ年", "birth_year"),
    "device": ("スマホ", "device"),
    "needs": ("配慮", "needs"),
    "note": ("メモ", "note"),
    "consent": ("同意", "consent"),
    "course_code": ("講座コード", "course_code"),
    "session_start": ("開始日時", "session_start"),
}
REQUIRED = ("reading", "consent")
#: what the old sheet writes for each kind of phone
DEVICE_WORDS = {
    "iphone": Device.IPHONE,
    "アイフォン": Device.IPHONE,
    "android": Device.ANDROID,
    "アンドロイド": Device.ANDROID,
    "senior": Device.SENIOR,
    "らくらくスマホ": Device.SENIOR,
    "らくらくスマートフォン": Device.SENIOR,
    "シニア": Device.SENIOR,
    "none": Device.NONE,
    "なし": Device.NONE,
    "持っていない": Device.NONE,
    "unknown": Device.UNKNOWN,
    "": Device.UNKNOWN,
    "不明": Device.UNKNOWN,
}
NEED_WORDS = {
    "補聴器": Need.HEARING_AID,
    "車いす": Need.WHEELCHAIR,
    "車椅子": Need.WHEELCHAIR,
    "弱視": Need.LOW_VISION,
    "拡大文字": Need.LARGE_PRINT,
    "通訳": Need.INTERPRETER,
    "貸出スマホ": Need.LOANER_PHONE,
    **{n.value: n for n in Need},
}
YES = {"はい", "済", "○", "〇", "有", "あり", "1", "yes", "y", "true"}
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M")


CONTROL_CHARACTERS_MESSAGE = N_(
    "This contains invisible control characters. Please type it again without them."
)


class MissingColumns(DomainError):
    message = N_("The file has no column for: %(columns)s. See the column list in the guide.")


class EmptyFile(DomainError):
    message = N_("The file holds no rows below its header.")


@dataclass
class RowResult:
    #: the line in the file (the header is line 1)
    line: int
    reading: str
    errors: list[tuple[str, str]] = field(default_factory=list)
    participant_id: int | None = None
    reused: bool = False
    registration_status: str = ""


@dataclass
class ImportResult:
    rows: list[RowResult]
    applied: bool

    @property
    def ok(self) -> bool:
        return not any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def created(self) -> int:
        """New residents: those written (or, in a preview, those that would be)."""
        return sum(1 for r in self.rows if not r.errors and not r.reused)

    @property
    def registrations(self) -> int:
        return sum(1 for r in self.rows if r.registration_status)


def _headers(fieldnames: list[str]) -> dict[str, str]:
    """field -> the header used for it in this file."""
    found = {}
    for name, accepted in COLUMNS.items():
        for header in fieldnames:
            if header in accepted or header.lower() in accepted:
                found[name] = header
                break
    return found


def _device(value: str) -> str:
    key = value.strip().lower()
    device = DEVICE_WORDS.get(key) or DEVICE_WORDS.get(value.strip())
    return device.value if device else value  # an unknown word fails validation by name


def _needs(value: str) -> list[str]:
    parts = [p.strip() for p in value.replace("、", ",").replace("・", ",").split(",") if p.strip()]
    return [NEED_WORDS[p].value if p in NEED_WORDS else p for p in parts]


def _session_start(value: str) -> datetime | None:
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=ward_zone())
        except ValueError:
            continue
    return None


def _messages(error: DomainError) -> list[tuple[str, str]]:
    if isinstance(error, InvalidInput):
        return [(name, e.translate(gettext)) for name, e in error.errors.items()]
    return [(error.field or "", error.translate(gettext))]


def _find_session(db: Session, code: str, starts: datetime) -> ClassSession | None:
    first, end = scheduling_window()
    if not first <= starts < end:  # no class is scheduled there (and year 1 overflows UTC)
        return None
    return db.scalar(
        select(ClassSession)
        .join(Course, Course.id == ClassSession.course_id)
        .where(Course.code == code, ClassSession.starts_at == starts)
    )


@dataclass
class _Row:
    """A row checked in the preview: its clean values and what to do with it."""

    result: RowResult
    values: dict[str, str]
    key: str = ""
    digits: str = ""
    year: int | None = None
    session_id: int | None = None
    #: an existing resident (same reading and phone or year of birth), reused
    existing_id: int | None = None
    #: an earlier row of this file holding the same person
    same_as: _Row | None = None
    #: holds control characters: not looked up at all
    garbled: bool = False


def _check_values(row: _Row, now: datetime) -> None:
    """Every field checked without touching the database."""
    values, result = row.values, row.result
    garbled = [name for name, value in values.items() if has_control_characters(value)]
    if garbled:  # refused before any lookup: PostgreSQL cannot even compare a NUL
        result.errors.extend((name, gettext(CONTROL_CHARACTERS_MESSAGE)) for name in garbled)
        row.garbled = True
        return
    try:
        clean = residents._validated(
            family_name=values.get("family_name", ""),
            given_name=values.get("given_name", ""),
            reading=values.get("reading", ""),
            phone=values.get("phone", ""),
            birth_year=values.get("birth_year") or None,
            device=_device(values.get("device", "")),
            needs=_needs(values.get("needs", "")),
            note=values.get("note", ""),
            now=now,
            require_phone=False,
        )
    except DomainError as error:
        result.errors.extend(_messages(error))
    else:
        row.key, row.digits, row.year = (
            clean["reading_key"],
            clean["phone_digits"],
            clean["birth_year"],
        )
    if values.get("consent", "").strip().lower() not in YES:
        result.errors.append(
            (
                "consent",
                gettext(
                    N_("Please confirm that the resident agreed to the purpose of collection.")
                ),
            )
        )


def _check_session(db: Session, row: _Row, now: datetime, found: dict) -> None:
    """The class a row registers for: it exists and is open (a read, no lock)."""
    values, result = row.values, row.result
    code, start = values.get("course_code", ""), values.get("session_start", "")
    if not (code or start):
        return
    starts = _session_start(start)
    if not code or starts is None:
        result.errors.append(
            (
                "session_start",
                gettext(
                    N_("Give both the course code and the start as YYYY-MM-DD HH:MM, or neither.")
                ),
            )
        )
        return
    if (code, starts) not in found:
        found[(code, starts)] = _find_session(db, code, starts)
    session = found[(code, starts)]
    if session is None:
        result.errors.append(
            (
                "course_code",
                gettext(N_("No class of course %(code)s starts at %(start)s."))
                % {"code": code, "start": start},
            )
        )
        return
    try:
        registration._ensure_open(session, now)
        if (
            session.booking_mode == BookingMode.LOTTERY
            and now >= session.application_deadline
            and not registration._lottery_drawn(db, session.id)
        ):
            raise LotteryClosed(field="session_id", deadline=session.application_deadline)
    except DomainError as error:
        result.errors.extend(_messages(error))
        return
    row.session_id = session.id


def _match_people(db: Session, rows: list[_Row]) -> None:
    """Who each row is: a resident already known, an earlier row, or someone new.

    The same rule as residents.likely_duplicates (same reading, and the same phone or
    year of birth), read for many rows at once.
    """
    keys = sorted({row.key for row in rows if row.key})
    known: dict[str, list[tuple[int, str, int | None]]] = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        for pid, key, digits, year in db.execute(
            select(
                Participant.id,
                Participant.reading_key,
                Participant.phone_digits,
                Participant.birth_year,
            ).where(Participant.erased_at.is_(None), Participant.reading_key.in_(chunk))
        ):
            known.setdefault(key, []).append((pid, digits, year))
    earlier: dict[tuple[str, str, object], _Row] = {}
    for row in rows:
        if not row.key or row.result.errors:
            continue
        same = [
            pid
            for pid, digits, year in known.get(row.key, [])
            if (row.digits and digits == row.digits) or (row.year is not None and year == row.year)
        ]
        if len(same) > 1:
            row.result.errors.append(
                (
                    "reading",
                    gettext(
                        N_(
                            "Several residents already match this reading and phone; register this row by hand."
                        )
                    ),
                )
            )
            continue
        if same:
            row.existing_id, row.result.reused = same[0], True
        else:
            marks = [("phone", row.digits)] if row.digits else []
            marks += [("year", row.year)] if row.year is not None else []
            first = next((earlier[(row.key, *m)] for m in marks if (row.key, *m) in earlier), None)
            if first is not None:
                row.same_as, row.result.reused = first, True
            for mark in marks:
                earlier.setdefault((row.key, *mark), first or row)
        if row.session_id is not None:
            row.result.registration_status = "planned"


def _write_row(db: Session, row: _Row, actor: Actor, now: datetime, digest: str) -> None:
    values, result = row.values, row.result
    with db.begin_nested():
        if row.existing_id is not None:
            participant_id = row.existing_id
        elif row.same_as is not None:
            participant_id = row.same_as.result.participant_id
        else:
            # a kiosk may have added this person since the preview
            again = residents.likely_duplicates(
                db,
                reading=values.get("reading", ""),
                phone=values.get("phone", ""),
                birth_year=values.get("birth_year") or None,
            )
            if len(again) == 1:
                participant_id, result.reused = again[0].id, True
            else:
                participant_id = residents.create_participant(
                    db,
                    family_name=values.get("family_name", ""),
                    given_name=values.get("given_name", ""),
                    reading=values.get("reading", ""),
                    phone=values.get("phone", ""),
                    birth_year=values.get("birth_year") or None,
                    device=_device(values.get("device", "")),
                    needs=_needs(values.get("needs", "")),
                    note=values.get("note", ""),
                    consent=True,
                    source=Source.IMPORT,
                    actor=actor,
                    now=now,
                ).id
        if participant_id is None:  # the earlier row failed when written
            raise DomainError(N_("An earlier row for the same person could not be written."))
        result.participant_id = participant_id
        if row.session_id is not None:
            booked = registration.register(
                db,
                session_id=row.session_id,
                participant_id=participant_id,
                source=Source.IMPORT,
                actor=actor,
                # the same file imported again books each row once
                idempotency_key=f"import:{digest}:{result.line}",
                now=now,
            )
            result.registration_status = booked.status.value


def _apply(database: Database, rows: list[_Row], actor: Actor, now: datetime, digest: str) -> None:
    """Write the rows in short transactions, so kiosks keep booking meanwhile."""
    pending = list(rows)
    pause = BATCH_PAUSE_S if database.dialect == "sqlite" else 0.0
    while pending:
        started = time.monotonic()
        with database.write() as db:
            while pending:
                row = pending.pop(0)
                try:
                    _write_row(db, row, actor, now, digest)
                except DomainError as error:
                    row.result.errors.extend(_messages(error))
                    row.result.participant_id, row.result.reused = None, False
                    row.result.registration_status = ""
                if time.monotonic() - started >= BATCH_SECONDS:
                    break
        if pending and pause:
            # the write lock is free: a waiting kiosk booking takes it now
            time.sleep(pause)


def import_residents(
    database: Database,
    data: bytes,
    *,
    actor: Actor,
    apply: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Check every row (preview); with `apply`, and only if every row is valid, write them.

    Parsing and checking hold no write lock (a read on SQLite, which never blocks a
    kiosk); the writing happens in batches of at most `BATCH_SECONDS` each, with a pause
    between them on SQLite. A row that a change made meanwhile refuses (the class was
    cancelled) is reported; the same file imported again adds only what is missing.
    """
    now = now or utcnow()
    table = read_rows(data)
    if not table:
        raise EmptyFile()
    headers = _headers(list(table[0]))
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in headers]
    if missing:
        raise MissingColumns(columns="、".join(missing))
    rows = []
    for line, cells in enumerate(table, start=2):
        values = {name: cells.get(header, "") for name, header in headers.items()}
        row = _Row(RowResult(line=line, reading=values.get("reading", "")), values)
        _check_values(row, now)
        rows.append(row)
    found: dict = {}
    with database.read() as db:
        for row in rows:
            if not row.garbled:
                _check_session(db, row, now, found)
        _match_people(db, rows)
    outcome = ImportResult([row.result for row in rows], applied=False)
    if not (apply and outcome.ok):
        for row in rows:  # a preview says what would happen, not a status
            row.result.registration_status = "planned" if row.session_id else ""
        return outcome
    _apply(database, rows, actor, now, hashlib.sha256(data).hexdigest()[:24])
    with database.write() as db:
        audit.record(
            db,
            actor,
            "import.residents",
            details={
                "rows": len(rows),
                "created": outcome.created,
                "registrations": outcome.registrations,
                **({"failed": len(outcome.error_rows)} if not outcome.ok else {}),
            },
        )
    outcome.applied = True
    return outcome


def template_rows() -> list[list[str]]:
    """A header row and one example row, for coordinators to start from."""
    return [
        [accepted[0] for accepted in COLUMNS.values()],
        [
            "山田",
            "花子",
            "ヤマダ ハナコ",
            "090-1234-5678",
            "1948",
            "iPhone",
            "補聴器",
            "",
            "はい",
            "intro-iphone",
            "2026-05-12 14:00",
        ],
    ]
