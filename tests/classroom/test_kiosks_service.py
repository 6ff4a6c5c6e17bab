"""Kiosk tokens, heartbeats, help requests and usage events, on each engine."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from classroom.db import Database
from classroom.models import AuditEvent, Base, HelpRequest, Kiosk, UsageEvent, UsageKind
from classroom.services import kiosks
from classroom.services.actor import Actor
from classroom.services.errors import InvalidInput, NotFound
from tsunagu.cli import main

NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def add(database, name="lib-1", location="中央図書館 1階 入口"):
    with database.write() as db:
        kiosk, token = kiosks.create_kiosk(db, name=name, location=location, actor=Actor.cli())
        return kiosk.id, token


def kiosk_of(database, token):
    with database.read() as db:
        kiosk = kiosks.kiosk_for_token(db, token)
        return kiosk.id if kiosk else None


def test_a_token_is_random_shown_once_and_stored_only_as_its_sha256(database):
    kiosk_id, token = add(database)
    _, other = add(database, name="lib-2")
    assert len(token) >= 43 and token != other
    with database.read() as db:
        stored = db.get(Kiosk, kiosk_id)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {stored.token_hash, stored.name, stored.location}
        assert (
            db.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "kiosk.create"))
            == 2
        )
    assert kiosk_of(database, token) == kiosk_id


@pytest.mark.parametrize("token", [None, "", "x" * 43, "y" * 5000])
def test_missing_or_unknown_tokens_find_no_kiosk(database, token):
    add(database)
    assert kiosk_of(database, token) is None


def test_a_revoked_token_finds_no_kiosk_and_revoking_twice_is_harmless(database):
    kiosk_id, token = add(database)
    with database.write() as db:
        kiosks.revoke_kiosk(db, "lib-1", actor=Actor.cli())
    with database.write() as db:
        kiosks.revoke_kiosk(db, "lib-1", actor=Actor.cli())
    assert kiosk_of(database, token) is None
    with database.read() as db, pytest.raises(NotFound):
        kiosks.revoke_kiosk(db, "nowhere", actor=Actor.cli())


@pytest.mark.parametrize("name", ["", "two words", "x" * 61])
def test_a_kiosk_needs_a_short_name_without_spaces(database, name):
    with database.write() as db, pytest.raises(InvalidInput) as caught:
        kiosks.create_kiosk(db, name=name, actor=Actor.cli())
    assert "name" in caught.value.errors


def test_kiosk_names_are_unique(database):
    add(database)
    with database.write() as db, pytest.raises(kiosks.KioskNameTaken):
        kiosks.create_kiosk(db, name="lib-1", actor=Actor.cli())


def test_heartbeat_records_versions_and_online_means_seen_within_three_minutes(database):
    kiosk_id, _ = add(database)
    with database.write() as db:
        kiosk = db.get(Kiosk, kiosk_id)
        assert not kiosks.is_online(kiosk, NOW)
        kiosks.record_heartbeat(db, kiosk, app_version="1.0.0", content_version="abc123", now=NOW)
    with database.read() as db:
        kiosk = db.get(Kiosk, kiosk_id)
        assert (kiosk.app_version, kiosk.content_version) == ("1.0.0", "abc123")
        assert kiosks.is_online(kiosk, NOW + timedelta(minutes=3))
        assert not kiosks.is_online(kiosk, NOW + timedelta(minutes=3, seconds=1))


@pytest.mark.parametrize("version", [None, 3, "x" * 41, "1.0 beta"])
def test_heartbeat_refuses_odd_versions(database, version):
    kiosk_id, _ = add(database)
    with database.write() as db, pytest.raises(InvalidInput) as caught:
        kiosks.record_heartbeat(
            db, db.get(Kiosk, kiosk_id), app_version=version, content_version=""
        )
    assert set(caught.value.errors) == {"app_version"}


def test_a_help_request_is_opened_once_per_client_id_taken_and_closed(database, ward):
    kiosk_id, _ = add(database)
    data = {
        "client_id": "6f1c7c0e-0000-4000-8000-000000000001",
        "screen": "guide:juminhyo:3",
        "language": "ja",
    }
    with database.write() as db:
        first, created = kiosks.open_help_request(db, db.get(Kiosk, kiosk_id), data)
        again, created_again = kiosks.open_help_request(db, db.get(Kiosk, kiosk_id), data)
        assert created and not created_again and first.id == again.id
        assert kiosks.help_status(first) == "open"
        assert [r.id for r in kiosks.open_help_requests(db)] == [first.id]
        request_id = first.id
    coordinator = ward.coordinator.actor
    with database.write() as db:
        taken = kiosks.take_help_request(db, request_id, actor=coordinator)
        assert kiosks.help_status(taken) == "taken" and taken.taken_by_id == ward.staff_id
    with database.write() as db:
        closed = kiosks.close_help_request(db, request_id, actor=coordinator)
        kiosks.close_help_request(db, request_id, actor=coordinator)
        assert kiosks.help_status(closed) == "closed"
        assert kiosks.open_help_requests(db) == []
        with pytest.raises(kiosks.HelpRequestClosed):
            kiosks.take_help_request(db, request_id, actor=coordinator)
    with database.read() as db:
        assert db.scalar(select(func.count(HelpRequest.id))) == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "client_id"),
        ({"client_id": 5}, "client_id"),
        ({"client_id": "a b"}, "client_id"),
        ({"client_id": "abc", "language": "fr"}, "language"),
        ({"client_id": "abc", "screen": "<script>"}, "screen"),
        ({"client_id": "abc", "name": "ヤマダ"}, "name"),
    ],
)
def test_help_requests_are_checked_field_by_field(database, data, field):
    kiosk_id, _ = add(database)
    with database.write() as db, pytest.raises(InvalidInput) as caught:
        kiosks.open_help_request(db, db.get(Kiosk, kiosk_id), data)
    assert field in caught.value.errors


def event(n, **fields):
    return {
        "client_id": f"ev-{n}",
        "kind": "guide_viewed",
        "at": "2026-11-26T01:00:00Z",
        "guide_id": "juminhyo",
        "step": 3,
        "language": "ja",
        "text_size": "large",
        **fields,
    }


def test_events_are_stored_once_per_client_id_even_when_resent(database):
    kiosk_id, _ = add(database)
    other_id, _ = add(database, name="lib-2")
    batch = [event(1), event(2, kind="handoff_shown"), event(2), event(3, step=None, guide_id="")]
    with database.write() as db:
        assert kiosks.record_usage_events(db, db.get(Kiosk, kiosk_id), batch) == 4
    with database.write() as db:
        assert kiosks.record_usage_events(db, db.get(Kiosk, kiosk_id), batch + [event(4)]) == 5
        # another kiosk's ids are its own
        assert kiosks.record_usage_events(db, db.get(Kiosk, other_id), [event(1)]) == 1
    with database.read() as db:
        rows = db.scalars(
            select(UsageEvent).order_by(UsageEvent.kiosk_id, UsageEvent.client_id)
        ).all()
        assert [(r.kiosk_id, r.client_id) for r in rows] == [
            (kiosk_id, "ev-1"),
            (kiosk_id, "ev-2"),
            (kiosk_id, "ev-3"),
            (kiosk_id, "ev-4"),
            (other_id, "ev-1"),
        ]
        assert rows[1].kind == UsageKind.HANDOFF_SHOWN
        assert rows[0].at == NOW


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"kind": "logged_in"}, "events[0].kind"),
        ({"kind": 3}, "events[0].kind"),
        ({"kind": ["guide_viewed"]}, "events[0].kind"),
        ({"language": ["ja"]}, "events[0].language"),
        ({"text_size": {"a": 1}}, "events[0].text_size"),
        ({"guide_id": []}, "events[0].guide_id"),
        ({"language": False}, "events[0].language"),
        ({"at": "yesterday"}, "events[0].at"),
        ({"at": "2026-11-26T01:00:00"}, "events[0].at"),
        ({"step": -1}, "events[0].step"),
        ({"step": True}, "events[0].step"),
        ({"guide_id": "../etc"}, "events[0].guide_id"),
        ({"language": "de"}, "events[0].language"),
        ({"text_size": "huge"}, "events[0].text_size"),
        ({"phone": "090-0000-0001"}, "events[0].phone"),
    ],
)
def test_a_batch_with_a_wrong_event_is_refused_whole(database, bad, field):
    kiosk_id, _ = add(database)
    with database.write() as db, pytest.raises(InvalidInput) as caught:
        kiosks.record_usage_events(db, db.get(Kiosk, kiosk_id), [event(1, **bad)])
    assert field in caught.value.errors


def test_at_most_200_events_a_batch(database):
    kiosk_id, _ = add(database)
    with database.write() as db:
        kiosk = db.get(Kiosk, kiosk_id)
        assert kiosks.record_usage_events(db, kiosk, [event(n) for n in range(200)]) == 200
        with pytest.raises(InvalidInput):
            kiosks.record_usage_events(db, kiosk, [event(n) for n in range(201)])
        with pytest.raises(InvalidInput):
            kiosks.record_usage_events(db, kiosk, "not a list")


def test_the_command_line_adds_lists_and_revokes_kiosks(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    database = Database(url)
    Base.metadata.create_all(database.engine)
    monkeypatch.setenv("TSUNAGU_DATABASE_URL", url)
    monkeypatch.setenv("TSUNAGU_LANGUAGE", "en")
    runner = CliRunner()
    added = runner.invoke(main, ["kiosks", "add", "lib-1", "--location", "中央図書館 1階"])
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    assert kiosk_of(database, token) is not None
    listed = runner.invoke(main, ["kiosks", "list"])
    assert listed.exit_code == 0 and "lib-1\toffline" in listed.output
    assert token not in listed.output
    assert runner.invoke(main, ["kiosks", "add", "lib-1"]).exit_code != 0
    revoked = runner.invoke(main, ["kiosks", "revoke", "lib-1"])
    assert revoked.exit_code == 0, revoked.output
    assert kiosk_of(database, token) is None
    assert "lib-1\trevoked" in runner.invoke(main, ["kiosks", "list"]).output
    assert runner.invoke(main, ["kiosks", "revoke", "nobody"]).exit_code != 0
    database.dispose()
