"""Check-in by slip code or QR token, walk-ins, and one attendance per person and class."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from classroom.models import Attendance, AttendanceStatus, CheckInMethod
from classroom.services import attendance
from classroom.services.actor import Actor
from classroom.services.codes import format_code
from classroom.services.errors import NotConfirmed, UnknownCode, WrongSession
from tests.classroom.ward import NOW


def _attendances(ward) -> int:
    with ward.database.read() as db:
        return db.scalar(select(func.count(Attendance.id)))


def test_the_typed_code_checks_in_once_however_often_it_is_scanned(ward):
    session = ward.session()
    slip = ward.coordinator.registers(ward.resident(), session).registration
    first = ward.coordinator.checks_in(session, slip.code)
    again = ward.coordinator.checks_in(session, slip.code)
    assert first.created and not again.created
    assert first.attendance.status == AttendanceStatus.PRESENT
    assert _attendances(ward) == 1


def test_codes_are_read_forgivingly(ward):
    session = ward.session()
    slip = ward.coordinator.registers(ward.resident(), session).registration
    typed = " " + format_code(slip.code).lower().translate(
        str.maketrans(
            "abcdefghjkmnpqrstwxyz23456789-",
            "ａｂｃｄｅｆｇｈｊｋｍｎｐｑｒｓｔｗｘｙｚ２３４５６７８９ー",
        )
    )
    assert ward.coordinator.checks_in(session, typed).created


def test_the_qr_token_checks_in_too(ward):
    session = ward.session()
    slip = ward.coordinator.registers(ward.resident(), session).registration
    assert ward.coordinator.checks_in(session, slip.qr_token).created


def test_what_matched_says_whether_the_slip_was_scanned_or_typed(ward):
    """Only a scanner reads the QR token; the code is what a person types, even when a
    long line of spaces and dashes came with it (the core decides, not a length guess)."""
    session = ward.session()
    scanned = ward.coordinator.registers(ward.resident(), session).registration
    typed = ward.coordinator.registers(ward.resident(), session).registration
    assert ward.coordinator.checks_in(session, scanned.qr_token).attendance.method == (
        CheckInMethod.SCAN
    )
    padded = " - ".join(format_code(typed.code)) + " " * 10
    assert ward.coordinator.checks_in(session, padded).attendance.method == CheckInMethod.CODE


def test_a_slip_for_another_class_is_refused_with_which_class_it_is(ward):
    here, there = ward.session(), ward.session()
    slip = ward.coordinator.registers(ward.resident(), there).registration
    with pytest.raises(WrongSession) as error:
        ward.coordinator.checks_in(here, slip.code)
    message = error.value.translate(lambda s: s)
    assert (
        "スマホ入門（iPhone）" in message
        and "中央図書館" in message
        and "2026-12-03 10:00" in message
    )
    assert _attendances(ward) == 0


def test_an_unknown_code_says_so(ward):
    session = ward.session()
    with pytest.raises(UnknownCode) as error:
        ward.coordinator.checks_in(session, "ZZZ-ZZZ")
    assert "ZZZ-ZZZ" in error.value.translate(lambda s: s)


def test_a_waitlisted_slip_is_not_a_seat(ward):
    session = ward.session(capacity=1)
    ward.coordinator.registers(ward.resident(), session)
    waiting = ward.coordinator.registers(ward.resident(), session).registration
    with pytest.raises(NotConfirmed):
        ward.coordinator.checks_in(session, waiting.code)


def test_a_walk_in_gets_attendance_without_a_registration(ward):
    session = ward.session()
    visitor = ward.resident()
    with ward.database.write() as db:
        row = attendance.mark_attendance(
            db,
            session_id=session,
            participant_id=visitor,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
            now=NOW,
        )
        assert row.walk_in and row.registration_id is None and row.method == CheckInMethod.WALK_IN
    # marking again changes the status of the one row, never adds another
    with ward.database.write() as db:
        attendance.mark_attendance(
            db,
            session_id=session,
            participant_id=visitor,
            status=AttendanceStatus.LATE,
            actor=Actor.system(),
            now=NOW,
        )
    assert _attendances(ward) == 1


def test_undo_removes_a_mistaken_check_in(ward):
    session = ward.session()
    person = ward.resident()
    slip = ward.coordinator.registers(person, session).registration
    ward.coordinator.checks_in(session, slip.code)
    with ward.database.write() as db:
        assert attendance.undo_attendance(
            db, session_id=session, participant_id=person, actor=Actor.system()
        )
    assert _attendances(ward) == 0
