"""The old spreadsheet: previewed with row-level errors, written all at once or not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from classroom.models import AuditEvent, Participant, Registration, Source
from classroom.services import imports
from classroom.services.spreadsheet import NotDecodable
from classroom.settings import ward_zone
from tests.classroom.ward import NOW

HEADER = "姓,名,ふりがな,電話番号,生まれ年,スマホ,配慮,メモ,同意,講座コード,開始日時\r\n"


def sheet(ward, *lines: str, encoding="utf-8-sig") -> bytes:
    return (HEADER + "".join(line + "\r\n" for line in lines)).encode(encoding)


def count(ward, model) -> int:
    with ward.database.read() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def upcoming(ward):
    session = ward.session(capacity=1, starts_in=timedelta(days=10))
    starts = (NOW + timedelta(days=10)).astimezone(ward_zone())
    return session, f"{starts:%Y-%m-%d %H:%M}"


def run(ward, data: bytes, apply: bool):
    return imports.import_residents(
        ward.database, data, actor=ward.coordinator.actor, apply=apply, now=NOW
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_a_valid_sheet_is_previewed_then_imported(ward, upcoming, encoding):
    session, start = upcoming
    data = sheet(
        ward,
        f"山田,花子,ヤマダ ハナコ,090-1234-5678,1948,iPhone,補聴器,午前希望,はい,intro-iphone,{start}",
        "鈴木,一郎,すずき いちろう,03-1111-2222,1940,らくらくスマホ,,,済,,",
        # the same person again (same reading and phone): reused, not created twice
        "山田,花子,ヤマダ ハナコ,090-1234-5678,1948,iPhone,,,はい,,",
        encoding=encoding,
    )
    preview = run(ward, data, apply=False)
    assert preview.ok and not preview.applied
    assert [r.line for r in preview.rows] == [2, 3, 4]
    assert (preview.created, preview.registrations) == (2, 1)
    assert [r.reused for r in preview.rows] == [False, False, True]
    assert count(ward, Participant) == 0, "a preview writes nothing"

    done = run(ward, data, apply=True)
    assert done.applied
    with ward.database.read() as db:
        people = db.scalars(select(Participant).order_by(Participant.id)).all()
        assert [
            (p.family_name, p.reading_key, p.device.value, p.needs, p.source) for p in people
        ] == [
            ("山田", "やまだはなこ", "iphone", ["hearing_aid"], Source.IMPORT),
            ("鈴木", "すずきいちろう", "senior", [], Source.IMPORT),
        ]
        reg = db.scalar(select(Registration))
        assert (reg.session_id, reg.participant_id, reg.status.value) == (
            session,
            people[0].id,
            "confirmed",
        )
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "import.residents"))
        assert event.details == {"rows": 3, "created": 2, "registrations": 1}


def test_one_bad_row_writes_nothing_and_every_error_is_named_by_line(ward, upcoming):
    _session, start = upcoming
    data = sheet(
        ward,
        f"山田,花子,ヤマダ ハナコ,090-1234-5678,1948,iPhone,,,はい,intro-iphone,{start}",
        "鈴木,一郎,Suzuki,03-1111,1800,iPhone,,,はい,,",  # reading, phone, year
        "佐藤,,サトウ,,,,,,いいえ,,",  # no consent
        "田中,,タナカ,,,,,,はい,no-such-course,2026-01-01 10:00",
        "高橋,,タカハシ,,,ガラケー,,,はい,,",  # unknown device word
    )
    for apply in (False, True):
        result = run(ward, data, apply=apply)
        assert not result.ok and not result.applied
        assert {r.line: sorted(f for f, _ in r.errors) for r in result.error_rows} == {
            3: ["birth_year", "phone", "reading"],
            4: ["consent"],
            5: ["course_code"],
            6: ["device"],
        }
        assert count(ward, Participant) == 0
        assert count(ward, Registration) == 0


def test_control_characters_and_impossible_numbers_are_row_errors_not_crashes(ward, upcoming):
    """A NUL in a cell, or a year beyond a database integer, failed the whole request on
    PostgreSQL; now the row says what is wrong and nothing is written."""
    _session, start = upcoming
    data = sheet(
        ward,
        "山田,花子,ヤマダ\x00ハナコ,090-1234-5678,1948,iPhone,,,はい,,",
        f"鈴木,一郎,スズキ イチロウ,03-1111-2222,1950,iPhone,,,はい,intro\x1biphone,{start}",
        "佐藤,,サトウ,03-2222-3333,99999999999,,,,はい,,",
    )
    for apply in (False, True):
        result = run(ward, data, apply=apply)
        assert not result.ok and not result.applied
        assert {r.line: sorted(f for f, _ in r.errors) for r in result.error_rows} == {
            2: ["reading"],
            3: ["course_code"],
            4: ["birth_year"],
        }
        assert "制御文字" in result.error_rows[0].errors[0][1]  # the message, in Japanese
        assert count(ward, Participant) == 0


def test_headers_and_encodings_are_checked(ward):
    with pytest.raises(imports.MissingColumns):
        run(ward, "姓,名\r\n山田,花子\r\n".encode(), apply=False)
    with pytest.raises(imports.EmptyFile):
        run(ward, HEADER.encode(), apply=False)
    with pytest.raises(NotDecodable):
        run(ward, b"\xff\xfe\x00\x81\x00", apply=False)
    # English headers work too
    result = run(ward, "reading,consent\r\nヤマダ,yes\r\n".encode(), apply=True)
    assert result.applied and count(ward, Participant) == 1


def test_a_preview_never_opens_a_write_transaction(ward, upcoming, monkeypatch):
    """Item 11 of issue 13: the preview held SQLite's write lock for all its rows."""
    _session, start = upcoming
    data = sheet(ward, f"山田,花子,ヤマダ ハナコ,090-1234-5678,1948,,,,はい,intro-iphone,{start}")

    def no_writes():
        raise AssertionError("the preview opened a write transaction")

    monkeypatch.setattr(ward.database, "write", no_writes)
    preview = run(ward, data, apply=False)
    assert preview.ok and (preview.created, preview.registrations) == (1, 1)


def test_an_import_writes_in_short_transactions_and_a_second_run_adds_nothing(
    ward, upcoming, monkeypatch
):
    session, start = upcoming
    monkeypatch.setattr(imports, "BATCH_SECONDS", 0)  # one row per transaction
    monkeypatch.setattr(imports, "BATCH_PAUSE_S", 0)
    opened = []
    write = ward.database.write

    def counted():
        opened.append(1)
        return write()

    monkeypatch.setattr(ward.database, "write", counted)
    data = sheet(
        ward,
        f"山田,花子,ヤマダ ハナコ,090-1234-5678,1948,iPhone,,,はい,intro-iphone,{start}",
        "鈴木,一郎,すずき いちろう,03-1111-2222,1940,,,,済,,",
        "佐藤,,サトウ,03-2222-3333,1945,,,,はい,,",
    )
    assert run(ward, data, apply=True).applied
    assert len(opened) == 3 + 1  # a transaction per row, and the audit event
    # the same file again (say, after an interruption): nobody twice, no second seat
    again = run(ward, data, apply=True)
    assert again.applied and again.created == 0
    assert count(ward, Participant) == 3
    assert [r.session_id for r in ward.registrations(session)] == [session]


def test_a_class_cancelled_between_the_check_and_the_writing_names_its_rows(
    ward, upcoming, monkeypatch
):
    """The rows are written after the check, in batches: what changed meanwhile is named,
    the other rows are kept, and the same file again adds only what is missing."""
    from classroom.services import sessions

    session, start = upcoming
    data = sheet(
        ward,
        f"山田,花子,ヤマダ ハナコ,090-1234-5678,1948,iPhone,,,はい,intro-iphone,{start}",
        "鈴木,一郎,すずき いちろう,03-1111-2222,1940,,,,済,,",
    )
    write_rows = imports._apply

    def cancelled_meanwhile(database, *args):
        with database.write() as db:
            sessions.cancel_session(db, session, actor=ward.coordinator.actor, now=NOW)
        write_rows(database, *args)

    monkeypatch.setattr(imports, "_apply", cancelled_meanwhile)
    result = run(ward, data, apply=True)
    assert result.applied and not result.ok
    assert [r.line for r in result.error_rows] == [2]
    assert "中止" in result.error_rows[0].errors[0][1]  # the class was cancelled
    assert count(ward, Participant) == 1  # 鈴木 is in; 山田's row was rolled back whole
    assert count(ward, Registration) == 0
