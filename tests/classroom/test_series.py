"""Scheduling a series of classes: weekly or monthly, all created or none."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from classroom.models import AuditEvent, ClassSession
from classroom.services import sessions
from classroom.services.actor import Actor
from classroom.services.errors import InvalidInput
from classroom.services.sessions import Repeat, series_starts

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


def schedule(ward, starts_at, *, repeat, occurrences, capacity=10, **extra):
    with ward.database.write() as db:
        created = sessions.create_series(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1, minutes=30),
            capacity=capacity,
            repeat=repeat,
            occurrences=occurrences,
            actor=ward.coordinator.actor,
            **extra,
        )
        return [s.id for s in created]


def local_starts(ward, ids):
    with ward.database.read() as db:
        return [db.get(ClassSession, i).starts_at.astimezone(TOKYO) for i in ids]


def test_a_weekly_series_keeps_the_weekday_and_the_time(ward):
    ids = schedule(ward, tokyo(2026, 11, 26, 14, 0), repeat=Repeat.WEEKLY, occurrences=4)
    starts = local_starts(ward, ids)
    assert [s.date().isoformat() for s in starts] == [
        "2026-11-26",
        "2026-12-03",
        "2026-12-10",
        "2026-12-17",
    ]
    assert {(s.weekday(), s.hour, s.minute) for s in starts} == {(3, 14, 0)}


def test_a_monthly_series_keeps_the_weekday_of_the_month_across_the_new_year(ward):
    # 2026-11-12 is the 2nd Thursday; so are 12-10, 2027-01-14 and 2027-02-11
    ids = schedule(ward, tokyo(2026, 11, 12, 10, 0), repeat=Repeat.MONTHLY, occurrences=4)
    starts = local_starts(ward, ids)
    assert [s.date().isoformat() for s in starts] == [
        "2026-11-12",
        "2026-12-10",
        "2027-01-14",
        "2027-02-11",
    ]
    assert all(s.weekday() == 3 and s.hour == 10 for s in starts)


def test_once_is_one_session_whatever_the_count_says():
    assert series_starts(tokyo(2026, 11, 26, 14, 0), Repeat.ONCE, 5) == [tokyo(2026, 11, 26, 14, 0)]


def test_a_lottery_series_keeps_the_deadline_the_same_distance_before_each_class(ward):
    first = tokyo(2026, 12, 1, 14, 0)
    ids = schedule(
        ward,
        first,
        repeat=Repeat.WEEKLY,
        occurrences=3,
        booking_mode="lottery",
        application_deadline=first - timedelta(days=7),
    )
    with ward.database.read() as db:
        for i in ids:
            s = db.get(ClassSession, i)
            assert s.starts_at - s.application_deadline == timedelta(days=7)


def test_a_fifth_weekday_cannot_repeat_monthly(ward):
    with pytest.raises(InvalidInput) as caught:
        schedule(ward, tokyo(2026, 10, 29, 14, 0), repeat=Repeat.MONTHLY, occurrences=3)
    assert "repeat" in caught.value.errors
    assert "5th Thursday" in caught.value.errors["repeat"].translate(lambda m: m)


@pytest.mark.parametrize("occurrences", [0, 53])
def test_the_count_is_bounded(ward, occurrences):
    with pytest.raises(InvalidInput) as caught:
        schedule(ward, tokyo(2026, 12, 1, 14, 0), repeat=Repeat.WEEKLY, occurrences=occurrences)
    assert "occurrences" in caught.value.errors


def test_a_series_that_breaks_a_rule_creates_nothing_even_if_the_caller_commits(ward):
    with ward.database.write() as db:
        with pytest.raises(InvalidInput) as caught:
            sessions.create_series(
                db,
                course_id=ward.course_id,
                venue_id=ward.venue_id,
                starts_at=tokyo(2026, 12, 1, 14, 0),
                ends_at=tokyo(2026, 12, 1, 15, 30),
                capacity=21,
                repeat=Repeat.WEEKLY,
                occurrences=3,
                actor=Actor.system(),
            )
        assert "capacity" in caught.value.errors  # the venue holds 20
    with ward.database.read() as db:
        assert db.query(ClassSession).count() == 0
        assert db.query(AuditEvent).filter_by(action="session.create").count() == 0
