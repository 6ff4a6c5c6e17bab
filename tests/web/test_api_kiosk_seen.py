"""A booking tells the office the kiosk is alive, without writing the kiosk's row on every
booking of a burst (issue 21): each booking that wrote it held the row until its commit,
queued behind the class's seat lock, and the kiosk's other bookings and its heartbeat
waited for it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from classroom.models import Kiosk, utcnow
from classroom.services import kiosks as kiosk_service
from tests.web.test_api import KioskClient, add_kiosk


@pytest.fixture
def kiosk(app, database) -> KioskClient:
    return KioskClient(app, add_kiosk(database))


def seen(database, ago: timedelta) -> None:
    with database.write() as db:
        db.scalars(select(Kiosk)).one().last_seen_at = utcnow() - ago


def stored_kiosk(database) -> Kiosk:
    with database.read() as db:
        return db.scalars(select(Kiosk)).one()


def test_a_booking_brings_a_kiosk_last_seen_minutes_ago_back_online(kiosk, database, ward):
    seen(database, timedelta(minutes=4))
    assert not kiosk_service.is_online(stored_kiosk(database))
    assert kiosk.books(ward.session_id).status_code == 201
    assert kiosk_service.is_online(stored_kiosk(database))


def test_a_booking_from_a_kiosk_seen_seconds_ago_leaves_its_row_alone(kiosk, database, ward):
    seen(database, timedelta(seconds=10))
    before = stored_kiosk(database).last_seen_at
    assert kiosk.books(ward.session_id).status_code == 201
    assert stored_kiosk(database).last_seen_at == before
    assert kiosk_service.is_online(stored_kiosk(database))
