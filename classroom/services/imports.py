"""Residents and registrations from the ward's old spreadsheet (CSV), all or nothing.

Each row is one resident, optionally with one class to register them for. The same
resident on several rows (same reading and phone or birth year) is created once.
Every row runs through the same services as the office pages (residents.create_participant,
registration.register) inside a savepoint; a preview always rolls back, and an import
commits only when every row is valid — one transaction, nothing half-written.
Columns: docs/coordinators.md ("Importing the old spreadsheet").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_, gettext
from ..models import ClassSession, Course, Device, Need, Source, utcnow
from . import audit, registration, residents
from .actor import Actor
from .errors import DomainError, InvalidInput
from .sessions import scheduling_window
from .spreadsheet import read_rows
from .text import has_control_characters

TOKYO = ZoneInfo("Asia/Tokyo")

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
        return len({r.participant_id for r in self.rows if r.participant_id and not r.reused})

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
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=TOKYO)
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


def _import_row(
    db: Session, values: dict[str, str], result: RowResult, actor: Actor, now: datetime
) -> None:
    garbled = [name for name, value in values.items() if has_control_characters(value)]
    if garbled:  # refused before any lookup: PostgreSQL cannot even compare a NUL
        result.errors.extend((name, gettext(CONTROL_CHARACTERS_MESSAGE)) for name in garbled)
        return
    code, start = values.get("course_code", ""), values.get("session_start", "")
    session = None
    if code or start:
        starts = _session_start(start)
        if not code or starts is None:
            result.errors.append(
                (
                    "session_start",
                    gettext(
                        N_(
                            "Give both the course code and the start as YYYY-MM-DD HH:MM, or neither."
                        )
                    ),
                )
            )
        elif (session := _find_session(db, code, starts)) is None:
            result.errors.append(
                (
                    "course_code",
                    gettext(N_("No class of course %(code)s starts at %(start)s."))
                    % {"code": code, "start": start},
                )
            )
    duplicates = residents.likely_duplicates(
        db,
        reading=values.get("reading", ""),
        phone=values.get("phone", ""),
        birth_year=values.get("birth_year") or None,
    )
    if len(duplicates) > 1:
        result.errors.append(
            (
                "reading",
                gettext(
                    N_(
                        "Several residents already match this reading and phone; register this row by hand."
                    )
                ),
            )
        )
    if result.errors:
        return
    try:
        with db.begin_nested():
            if duplicates:
                participant, result.reused = duplicates[0], True
            else:
                participant = residents.create_participant(
                    db,
                    family_name=values.get("family_name", ""),
                    given_name=values.get("given_name", ""),
                    reading=values.get("reading", ""),
                    phone=values.get("phone", ""),
                    birth_year=values.get("birth_year") or None,
                    device=_device(values.get("device", "")),
                    needs=_needs(values.get("needs", "")),
                    note=values.get("note", ""),
                    consent=values.get("consent", "").strip().lower() in YES,
                    source=Source.IMPORT,
                    actor=actor,
                    now=now,
                )
            result.participant_id = participant.id
            if session is not None:
                booked = registration.register(
                    db,
                    session_id=session.id,
                    participant_id=participant.id,
                    source=Source.IMPORT,
                    actor=actor,
                    now=now,
                )
                result.registration_status = booked.status.value
    except DomainError as error:
        result.errors.extend(_messages(error))
        result.participant_id, result.reused = None, False


def import_residents(
    db: Session, data: bytes, *, actor: Actor, apply: bool = False, now: datetime | None = None
) -> ImportResult:
    """Check every row (preview), and with `apply` write them all — only if all are valid."""
    now = now or utcnow()
    rows = read_rows(data)
    if not rows:
        raise EmptyFile()
    headers = _headers(list(rows[0]))
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in headers]
    if missing:
        raise MissingColumns(columns="、".join(missing))
    results = []
    outer = db.begin_nested()
    try:
        for line, row in enumerate(rows, start=2):
            values = {name: row.get(header, "") for name, header in headers.items()}
            result = RowResult(line=line, reading=values.get("reading", ""))
            _import_row(db, values, result, actor, now)
            results.append(result)
        outcome = ImportResult(results, applied=False)
        if apply and outcome.ok:
            audit.record(
                db,
                actor,
                "import.residents",
                details={
                    "rows": len(results),
                    "created": outcome.created,
                    "registrations": outcome.registrations,
                },
            )
            outer.commit()
            outcome.applied = True
        else:
            outer.rollback()
    except BaseException:
        if outer.is_active:
            outer.rollback()
        raise
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
