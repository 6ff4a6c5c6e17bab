"""What each participant can now do (issue 17): ticks per person and "I can ..." item,
one row however often they are sent, only for the class's roster, audited without names,
across classes, and gone with an erase."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.pool import NullPool

from classroom.models import AuditEvent, ProgressRecord
from classroom.services import privacy, progress
from classroom.services.errors import InvalidInput
from classroom.services.progress import NotOnRoster
from tests.classroom.test_concurrency import _run_at_once
from tests.classroom.ward import NOW, WardBuilder
from tests.conftest import make_database

QR = "intro-05-camera-qr/read-qr"
PHOTO = "intro-05-camera-qr/open-camera"


def _tick(ward, session_id, pid, item=QR, **kw):
    with ward.database.write() as db:
        return progress.tick(
            db,
            session_id=session_id,
            participant_id=pid,
            item_id=item,
            actor=ward.coordinator.actor,
            now=NOW,
            **kw,
        )


def _untick(ward, session_id, pid, item=QR):
    with ward.database.write() as db:
        return progress.untick(
            db,
            session_id=session_id,
            participant_id=pid,
            item_id=item,
            actor=ward.coordinator.actor,
        )


def _records(database) -> list[tuple[int, str, int]]:
    with database.read() as db:
        return [
            (r.participant_id, r.item_id, r.session_id)
            for r in db.scalars(select(ProgressRecord).order_by(ProgressRecord.id))
        ]


def _in_class(ward, session_id=None):
    session_id = session_id or ward.session()
    pid = ward.resident(family_name="鳩ノ巣", given_name="珠緒")
    ward.coordinator.registers(pid, session_id)
    return session_id, pid


def test_a_double_tap_leaves_one_record_and_one_audit_event(ward):
    session_id, pid = _in_class(ward)
    first, again = _tick(ward, session_id, pid), _tick(ward, session_id, pid)
    assert first.created and not again.created
    assert _records(ward.database) == [(pid, QR, session_id)]
    with ward.database.read() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "progress.tick")).all()
    assert [(e.participant_id, e.actor_id, e.details) for e in events] == [
        (pid, ward.staff_id, {"item": QR})
    ]
    assert "鳩ノ巣" not in json.dumps([e.details for e in events], ensure_ascii=False)


def test_taps_from_many_tablets_at_once_leave_one_record(engine_name, tmp_path, request):
    database = make_database(engine_name, tmp_path, request, poolclass=NullPool)
    ward = WardBuilder(database)
    session_id, pid = _in_class(ward)
    results = []
    errors = _run_at_once(lambda i: results.append(_tick(ward, session_id, pid).created), 8)
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert _records(database) == [(pid, QR, session_id)]
    with database.read() as db:
        ticks = db.scalar(select(func.count()).where(AuditEvent.action == "progress.tick"))
    assert ticks == 1


def test_only_the_class_roster_may_be_ticked(ward):
    session_id, _ = _in_class(ward)
    elsewhere = ward.resident()
    ward.coordinator.registers(elsewhere, ward.session())
    with pytest.raises(NotOnRoster):
        _tick(ward, session_id, elsewhere)
    with pytest.raises(NotOnRoster):
        _untick(ward, session_id, elsewhere)
    assert _records(ward.database) == []


@pytest.mark.parametrize("bad", ["", "read-qr", "../x/y", "Intro/QR", "a/" + "b" * 200, "a/b c"])
def test_an_item_id_that_names_no_item_is_refused(ward, bad):
    session_id, pid = _in_class(ward)
    with pytest.raises(InvalidInput) as error:
        _tick(ward, session_id, pid, item=bad)
    assert set(error.value.errors) == {"item_id"}
    assert _records(ward.database) == []


def test_untick_removes_the_record_and_is_audited(ward):
    session_id, pid = _in_class(ward)
    _tick(ward, session_id, pid)
    _tick(ward, session_id, pid, item=PHOTO)
    assert _untick(ward, session_id, pid) is True
    assert _untick(ward, session_id, pid) is False  # a second undo changes nothing
    assert _records(ward.database) == [(pid, PHOTO, session_id)]
    with ward.database.read() as db:
        undone = db.scalars(select(AuditEvent).where(AuditEvent.action == "progress.untick"))
        assert [(e.participant_id, e.details) for e in undone] == [(pid, {"item": QR})]


def test_progress_runs_across_classes(ward):
    first, pid = _in_class(ward)
    second = ward.session()
    ward.coordinator.registers(pid, second)
    neighbour = ward.resident()
    ward.coordinator.registers(neighbour, second)
    _tick(ward, first, pid)
    # a tick in the later class of an item done earlier keeps the earlier class's record
    assert not _tick(ward, second, pid).created
    _tick(ward, second, pid, item=PHOTO)
    # an earlier class's tick is not undone from a later class
    assert _untick(ward, second, pid) is False
    with ward.database.read() as db:
        done = progress.progress(db, pid)
        grid = progress.roster_progress(db, second)
    assert [(d.item_id, d.session_id, d.course) for d in done] == [
        (QR, first, "スマホ入門（iPhone）"),
        (PHOTO, second, "スマホ入門（iPhone）"),
    ]
    assert {p: sorted(items) for p, items in grid.items()} == {pid: [PHOTO, QR], neighbour: []}
    assert grid[pid][QR].session_id == first


def test_erase_removes_progress_and_export_includes_it(ward):
    session_id, pid = _in_class(ward)
    _tick(ward, session_id, pid)
    with ward.database.write() as db:
        data = privacy.export_resident(db, pid, actor=ward.coordinator.actor)
    assert [(r["item_id"], r["session_id"]) for r in data["progress"]] == [(QR, session_id)]
    assert ["progress"] in privacy.export_rows(data)
    with ward.database.write() as db:
        privacy.erase_resident(db, pid, actor=ward.coordinator.actor)
    assert _records(ward.database) == []
