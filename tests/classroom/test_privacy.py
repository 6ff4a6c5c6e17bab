"""APPI: export what is held, erase on request (counts survive), and the retention purge."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import JSON, String, Text, select

from classroom.models import (
    AttendanceStatus,
    AuditEvent,
    Base,
    CallReason,
    CallTask,
    Participant,
    PhoneLoan,
    Registration,
)
from classroom.services import attendance, audit, privacy, sessions
from classroom.services.actor import Actor
from classroom.services.errors import NotFound
from classroom.services.reports import report
from classroom.services.spreadsheet import encode_csv
from tests.classroom.ward import NOW

SECRET = dict(
    family_name="鳩ノ巣",
    given_name="珠緒",
    reading="ハトノス タマオ",
    phone="03-9876-5432",
    birth_year=1931,
    note="左耳が聞こえにくい（鳩ノ巣さん）",
    needs=["hearing_aid"],
)
#: what must not be found anywhere after the erase
NEEDLES = [
    "鳩ノ巣",
    "珠緒",
    "ハトノス",
    "タマオ",
    "はとのす",
    "たまお",
    "03-9876-5432",
    "0398765432",
    "左耳が聞こえにくい",
]


def rows_holding(database, needles: list[str]) -> list[str]:
    """Every text or JSON column of every table, searched for each needle."""
    found = []
    with database.read() as db:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text | JSON):
                    continue
                for (value,) in db.execute(select(column).where(column.is_not(None))):
                    text = (
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
                    found += [f"{table.name}.{column.name}: {n}" for n in needles if n in text]
    return found


def a_used_resident(ward) -> tuple[int, int]:
    """A resident known across the system: registered, attended, called, lent a phone, audited."""
    pid = ward.resident(**SECRET)
    held = ward.session(starts_in=timedelta(days=-30))
    ward.coordinator.registers(pid, held, now=NOW - timedelta(days=40))
    with ward.database.write() as db:
        reg = db.scalar(select(Registration).where(Registration.participant_id == pid))
        attendance.mark_attendance(
            db,
            session_id=held,
            participant_id=pid,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
        sessions.mark_held(db, held, actor=Actor.system())
        db.add(
            CallTask(
                participant_id=pid,
                session_id=held,
                registration_id=reg.id,
                reason=CallReason.REMINDER,
                note="鳩ノ巣さんの娘さんに伝言 03-9876-5432",
            )
        )
        db.add(PhoneLoan(session_id=held, participant_id=pid, phone_label="貸出-1"))
        # an event whose details hold personal values (a search, another area's record)
        audit.record(
            db,
            Actor.system(),
            "participant.search",
            details={"query": "ハトノス", "matches": [{"phone": "0398765432", "birth_year": 1931}]},
        )
        audit.record(
            db,
            Actor.system(),
            "import.row",
            participant_id=pid,
            details={"row": {"姓": "鳩ノ巣", "名": "珠緒"}},
        )
    return pid, held


def test_export_holds_everything_and_is_audited(ward):
    pid, held = a_used_resident(ward)
    with ward.database.write() as db:
        data = privacy.export_resident(db, pid, actor=ward.coordinator.actor)
    assert data["participant"]["family_name"] == "鳩ノ巣"
    assert data["participant"]["birth_year"] == 1931
    assert [r["session_id"] for r in data["registrations"]] == [held]
    assert [a["status"] for a in data["attendance"]] == ["present"]
    assert data["calls"][0]["note"].startswith("鳩ノ巣")
    assert data["loans"][0]["phone_label"] == "貸出-1"
    body = encode_csv(privacy.export_rows(data)).decode("utf-8-sig")
    assert "鳩ノ巣" in body and "registrations" in body and "貸出-1" in body
    with ward.database.read() as db:
        exports = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.export")
        ).all()
    assert [(e.participant_id, e.actor_id) for e in exports] == [(pid, ward.staff_id)]


def test_erase_leaves_no_personal_value_in_any_column_but_keeps_the_counts(ward):
    other = ward.resident(family_name="佐藤", reading="サトウ")
    pid, held = a_used_resident(ward)
    assert rows_holding(ward.database, NEEDLES), "the search must see the values before the erase"
    start, end = NOW - timedelta(days=365), NOW
    with ward.database.read() as db:
        before = report(db, start, end)

    with ward.database.write() as db:
        privacy.erase_resident(db, pid, actor=ward.coordinator.actor)

    assert rows_holding(ward.database, NEEDLES) == []
    with ward.database.read() as db:
        p = db.get(Participant, pid)
        assert p.erased_at is not None and p.birth_year is None and p.needs == []
        assert db.get(Participant, other).family_name == "佐藤"
        after = report(db, start, end)
        erase = db.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erase"))
        assert erase.participant_id == pid and erase.details == {"reason": "request"}
        # the events stay, their structure too; only the values went
        search = db.scalar(select(AuditEvent).where(AuditEvent.action == "participant.search"))
        assert search.details == {"query": "", "matches": [{"phone": "", "birth_year": None}]}
        assert db.scalar(select(PhoneLoan.phone_label)) == "貸出-1"
    assert (
        (after.sessions_held, after.attendances, after.participants)
        == (before.sessions_held, before.attendances, before.participants)
        == (1, 1, 1)
    )
    with ward.database.write() as db, pytest.raises(NotFound):
        privacy.export_resident(db, pid, actor=ward.coordinator.actor)


def test_purge_is_a_dry_run_unless_applied(ward):
    old, recent = ward.residents(2)
    with ward.database.write() as db:
        db.get(Participant, old).last_activity_at = NOW - timedelta(days=4 * 365)
        db.get(Participant, recent).last_activity_at = NOW - timedelta(days=30)
    with ward.database.write() as db:
        listed = privacy.purge(db, actor=Actor.cli(), now=NOW)
    assert [e.participant_id for e in listed] == [old]
    with ward.database.read() as db:
        assert db.get(Participant, old).erased_at is None
    with ward.database.write() as db:
        privacy.purge(db, actor=Actor.cli(), apply=True, now=NOW)
    with ward.database.read() as db:
        assert db.get(Participant, old).erased_at is not None
        assert db.get(Participant, old).reading == ""
        assert db.get(Participant, recent).erased_at is None
        assert privacy.expired_residents(db, now=NOW) == []
    # a shorter period catches the recent one too
    with ward.database.read() as db:
        assert [e.participant_id for e in privacy.expired_residents(db, days=7, now=NOW)] == [
            recent
        ]


def test_retention_setting():
    assert privacy.retention_days({}) == 3 * 365
    assert privacy.retention_days({"TSUNAGU_RETENTION_DAYS": "730"}) == 730
    with pytest.raises(privacy.InvalidRetention):
        privacy.retention_days({"TSUNAGU_RETENTION_DAYS": "three years"})
    with pytest.raises(privacy.InvalidRetention):
        privacy.retention_days({"TSUNAGU_RETENTION_DAYS": "0"})
