"""Login throttling (issue 13, item 3), on both engines.

An attacker elsewhere cannot lock the real user out; the wait grows with each failure;
concurrent guesses are counted exactly and no more than the limit of them are checked.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from classroom.models import LoginThrottle, Role
from classroom.services import accounts, throttle
from classroom.services.actor import Actor
from tests.conftest import TOKYO_NEXT_DAY

PASSWORD = "kabocha-no-nimono"
ATTACKER = "203.0.113.66"
DESK = "192.0.2.10"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """argon2id with tiny costs: the same code path; the throttle is what is tested here."""
    monkeypatch.setattr(
        accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    )
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


def make_user(database, login="sato"):
    with database.write() as s:
        return accounts.create_user(
            s, login=login, role=Role.COORDINATOR, password=PASSWORD, actor=Actor.cli()
        ).id


def attempt(database, login="sato", password="wrong-password", address=ATTACKER, now=None):
    with database.write() as s:
        return accounts.attempt_login(s, login, password, remote_addr=address, now=now)


def test_an_attacker_elsewhere_cannot_lock_the_coordinator_out(database):
    """Before: five wrong guesses from anywhere locked the account for everyone."""
    make_user(database)
    now = TOKYO_NEXT_DAY
    for _ in range(throttle.FREE_PER_PAIR):
        assert not attempt(database, now=now).throttled
    # the attacker must wait now, even with the right password ...
    refused = attempt(database, password=PASSWORD, now=now)
    assert refused.throttled and refused.user is None
    assert refused.retry_after == throttle.FIRST_LOCK and refused.retry_after_minutes == 1
    # ... while the coordinator at her own desk logs in at once
    assert attempt(database, password=PASSWORD, address=DESK, now=now).user is not None


def test_the_wait_doubles_with_each_further_failure_up_to_an_hour(database):
    make_user(database)
    now = TOKYO_NEXT_DAY
    for _ in range(throttle.FREE_PER_PAIR):
        attempt(database, now=now)
    waits = []
    for _ in range(9):
        refused = attempt(database, now=now)
        assert refused.throttled
        waits.append(refused.retry_after_minutes)
        # a refused attempt does not extend the wait: a moment later it is shorter
        later = attempt(database, now=now + timedelta(seconds=30))
        assert later.retry_after == refused.retry_after - timedelta(seconds=30)
        now += refused.retry_after  # the wait is over: the next guess is checked ...
        assert not attempt(database, now=now).throttled  # ... and fails
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_the_right_password_after_the_wait_logs_in_and_clears_the_run(database):
    make_user(database)
    now = TOKYO_NEXT_DAY
    for _ in range(throttle.FREE_PER_PAIR):
        attempt(database, now=now)
    assert attempt(database, password=PASSWORD, now=now).throttled
    now += throttle.FIRST_LOCK
    assert attempt(database, password=PASSWORD, now=now).user is not None
    # a fresh run: five more mistakes before any wait
    for _ in range(throttle.FREE_PER_PAIR):
        assert not attempt(database, now=now).throttled
    assert attempt(database, now=now).throttled


def test_a_run_is_forgotten_after_a_quiet_day(database):
    make_user(database)
    now = TOKYO_NEXT_DAY
    for _ in range(throttle.FREE_PER_PAIR - 1):
        attempt(database, now=now)
    now += throttle.FORGET_AFTER + timedelta(seconds=1)
    for _ in range(throttle.FREE_PER_PAIR):
        assert not attempt(database, now=now).throttled
    assert attempt(database, now=now).throttled


def test_unknown_logins_are_throttled_like_known_ones(database):
    """Nothing tells an attacker which names are accounts."""
    make_user(database)
    now = TOKYO_NEXT_DAY
    for login in ("ghost", "sato"):
        results = [attempt(database, login, now=now).throttled for _ in range(6)]
        assert results == [False] * 5 + [True], login


def test_one_address_trying_many_names_waits_but_other_desks_do_not(database):
    make_user(database)
    now = TOKYO_NEXT_DAY
    for i in range(throttle.FREE_PER_ADDRESS):
        assert not attempt(database, f"guess{i}", now=now).throttled
    refused = attempt(database, "sato", password=PASSWORD, now=now)
    assert refused.throttled and refused.retry_after_minutes == 1
    assert attempt(database, "sato", password=PASSWORD, address=DESK, now=now).user is not None


def test_a_login_at_a_shared_desk_does_not_reset_the_address_count(database):
    """An attacker with one valid account cannot wipe his address's count between guesses."""
    make_user(database)
    now = TOKYO_NEXT_DAY
    for i in range(throttle.FREE_PER_ADDRESS - 1):
        attempt(database, f"guess{i}", now=now)
    assert attempt(database, "sato", password=PASSWORD, now=now).user is not None
    assert not attempt(database, "guess-a", now=now).throttled  # the 20th failure
    assert attempt(database, "guess-b", now=now).throttled


def test_one_ipv6_network_counts_as_one_address(database):
    """An attacker owns a whole /64: changing the last 64 bits must not start afresh."""
    make_user(database)
    now = TOKYO_NEXT_DAY
    for i in range(throttle.FREE_PER_PAIR):
        assert not attempt(database, address=f"2001:db8:1:2::{i + 1:x}", now=now).throttled
    assert attempt(database, address="2001:db8:1:2:ffff::9", now=now).throttled
    assert not attempt(database, address="2001:db8:1:3::1", now=now).throttled
    assert throttle.network("::ffff:192.0.2.7") == throttle.network("192.0.2.7") == "192.0.2.7"


def test_old_runs_are_tidied_away_by_a_later_login(database):
    make_user(database)
    attempt(database, "ghost", now=TOKYO_NEXT_DAY)
    later = TOKYO_NEXT_DAY + throttle.FORGET_AFTER + timedelta(minutes=1)
    assert attempt(database, password=PASSWORD, address=DESK, now=later).user is not None
    with database.read() as s:
        rows = s.scalars(select(LoginThrottle)).all()
    # the ghost's pair and address rows are gone; the desk's own address row stays
    assert [(row.key[:5], row.failures) for row in rows] == [("addr:", 0)]


def test_the_counters_keep_neither_the_typed_name_nor_the_address(database):
    typed = "My-Secret-Passw0rd"  # a password typed into the login box
    attempt(database, typed, now=TOKYO_NEXT_DAY)
    with database.read() as s:
        rows = s.scalars(select(LoginThrottle)).all()
    assert len(rows) == 2
    for row in rows:
        stored = " ".join(str(v) for v in (row.key, row.ticket))
        assert typed.lower() not in stored.lower() and ATTACKER not in stored


def test_concurrent_guesses_are_counted_exactly_and_at_most_five_are_checked(database, monkeypatch):
    """Before: with 3 gunicorn workers on PostgreSQL 7 guesses were checked instead of 5."""
    make_user(database)
    guesses = 12
    checked = []
    real = accounts.hasher

    class CountingHasher:
        def verify(self, stored, password):
            checked.append(password)
            return real.verify(stored, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(accounts, "hasher", CountingHasher())
    start = threading.Barrier(guesses)
    results, errors = [], []

    def guess(i):
        try:
            start.wait(timeout=30)
            results.append(attempt(database, password=f"guess-{i:02d}", now=TOKYO_NEXT_DAY))
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == guesses
    assert len(checked) == throttle.FREE_PER_PAIR
    assert sum(r.throttled for r in results) == guesses - throttle.FREE_PER_PAIR
    with database.read() as s:
        counts = sorted(s.scalars(select(LoginThrottle.failures)).all())
    # the pair counted its five; the address only the guesses that were checked
    assert counts == [throttle.FREE_PER_PAIR, throttle.FREE_PER_PAIR]
