"""Managing staff accounts (issue 13, items 2 and 4), on both engines: disabling and
password changes end every session of the account, nobody disables themselves or the
last administrator, every action is in the audit trail, and a failed login never keeps
the text typed as a login name."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from classroom.models import AuditEvent, Role, StaffSession, User, utcnow
from classroom.services import accounts
from classroom.services.actor import Actor
from classroom.services.errors import DomainError, InvalidInput
from tests.conftest import TOKYO_NEXT_DAY

PASSWORD = "kabocha-no-nimono"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    monkeypatch.setattr(
        accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    )
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


def make_user(database, login, role=Role.COORDINATOR, password=PASSWORD) -> int:
    with database.write() as db:
        return accounts.create_user(
            db, login=login, role=role, password=password, actor=Actor.cli()
        ).id


def open_sessions(database, user_id, how_many=2) -> None:
    """`how_many` logged-in browsers for the account (as the web site records them)."""
    now = utcnow()
    with database.write() as db:
        for i in range(how_many):
            db.add(
                StaffSession(
                    id_hash=f"{user_id:08d}{i:056d}",
                    user_id=user_id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + timedelta(hours=10),
                )
            )


def sessions_of(database, user_id) -> int:
    with database.read() as db:
        return len(db.scalars(select(StaffSession).where(StaffSession.user_id == user_id)).all())


def events(database, action):
    with database.read() as db:
        return [
            (e.actor_id, e.subject_id, dict(e.details))
            for e in db.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


@pytest.fixture
def people(database):
    ids = {
        "kanri": make_user(database, "kanri", Role.ADMIN),
        "sato": make_user(database, "sato"),
        "suzuki": make_user(database, "suzuki", Role.INSTRUCTOR),
    }
    return ids


def as_user(user_id) -> Actor:
    return Actor(kind="user", user_id=user_id, remote_addr="192.0.2.10")


def test_disabling_an_account_ends_its_sessions_and_is_audited(database, people):
    open_sessions(database, people["sato"])
    open_sessions(database, people["suzuki"], 1)
    with database.write() as db:
        accounts.set_active(db, people["sato"], False, actor=as_user(people["kanri"]))
    assert sessions_of(database, people["sato"]) == 0
    assert sessions_of(database, people["suzuki"]) == 1  # nobody else is logged out
    with database.write() as db:
        assert accounts.authenticate(db, "sato", PASSWORD) is None
    assert events(database, "staff_user.disable") == [
        (people["kanri"], people["sato"], {"login": "sato", "sessions_ended": 2})
    ]
    with database.write() as db:
        accounts.set_active(db, people["sato"], True, actor=as_user(people["kanri"]))
    with database.write() as db:
        assert accounts.authenticate(db, "sato", PASSWORD) is not None
    assert len(events(database, "staff_user.enable")) == 1


def test_an_admin_cannot_disable_themselves(database, people):
    make_user(database, "kanri2", Role.ADMIN)
    with pytest.raises(DomainError, match="your own account"), database.write() as db:
        accounts.set_active(db, people["kanri"], False, actor=as_user(people["kanri"]))
    with database.read() as db:
        assert db.get(User, people["kanri"]).active
    assert events(database, "staff_user.disable") == []


def test_the_last_admin_cannot_be_disabled(database, people):
    second = make_user(database, "kanri2", Role.ADMIN)
    with database.write() as db:
        accounts.set_active(db, people["kanri"], False, actor=as_user(second))
    # kanri2 is the only active administrator left: nobody (not even the command line,
    # acting as nobody in particular) may take the ward's last one away
    with pytest.raises(DomainError, match="last administrator"), database.write() as db:
        accounts.set_active(db, second, False, actor=Actor.cli())
    with database.read() as db:
        assert db.get(User, second).active


def test_two_admins_disabling_each_other_at_once_leave_one(database, people):
    first, second = people["kanri"], make_user(database, "kanri2", Role.ADMIN)

    def disable(target, actor_id, barrier, outcomes):
        barrier.wait()
        try:
            with database.write() as db:
                accounts.set_active(db, target, False, actor=as_user(actor_id))
            outcomes.append("done")
        except DomainError:
            outcomes.append("refused")

    for _ in range(5):
        barrier, outcomes = threading.Barrier(2), []
        threads = [
            threading.Thread(target=disable, args=(second, first, barrier, outcomes)),
            threading.Thread(target=disable, args=(first, second, barrier, outcomes)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        # no deadlock, no error: one wins, the other is told why not
        assert sorted(outcomes) == ["done", "refused"]
        with database.write() as db:
            admins = db.scalars(
                select(User).where(User.role == Role.ADMIN, User.active.is_(True))
            ).all()
            assert len(admins) == 1
            for user_id in (first, second):
                accounts.set_active(db, user_id, True, actor=Actor.cli())


def test_a_reset_password_ends_sessions_and_must_be_changed(database, people):
    open_sessions(database, people["sato"])
    with database.write() as db:
        accounts.reset_password(
            db, people["sato"], "karinto-to-ocha", actor=as_user(people["kanri"])
        )
    assert sessions_of(database, people["sato"]) == 0
    with database.write() as db:
        user = accounts.authenticate(db, "sato", "karinto-to-ocha")
        assert user is not None and user.must_change_password
    [(actor, subject, details)] = events(database, "staff_user.password_reset")
    assert (actor, subject, details) == (people["kanri"], people["sato"], {"sessions_ended": 2})
    assert "karinto" not in str(details)


def test_a_reset_password_follows_the_rules(database, people):
    with pytest.raises(InvalidInput) as caught, database.write() as db:
        accounts.reset_password(db, people["sato"], "password1", actor=as_user(people["kanri"]))
    assert set(caught.value.errors) == {"password"}
    with database.write() as db:
        assert accounts.authenticate(db, "sato", PASSWORD) is not None


def test_changing_ones_own_password_ends_every_session(database, people):
    open_sessions(database, people["sato"], 3)
    with database.write() as db:
        accounts.change_own_password(
            db, people["sato"], PASSWORD, "hijiki-to-daizu", actor=as_user(people["sato"])
        )
    assert sessions_of(database, people["sato"]) == 0
    with database.write() as db:
        assert accounts.authenticate(db, "sato", PASSWORD) is None
        user = accounts.authenticate(db, "sato", "hijiki-to-daizu")
        assert user is not None and not user.must_change_password
    assert events(database, "staff_user.password_change") == [
        (people["sato"], people["sato"], {"sessions_ended": 3})
    ]


@pytest.mark.parametrize(
    "current, new, field",
    [
        ("not-my-password", "hijiki-to-daizu", "current_password"),
        (PASSWORD, PASSWORD, "password"),
        (PASSWORD, "qwerty123", "password"),
        (PASSWORD, "short", "password"),
        (PASSWORD, "sato-no-pasuwaado", "password"),
    ],
)
def test_a_wrong_or_weak_change_changes_nothing(database, people, current, new, field):
    open_sessions(database, people["sato"])
    with pytest.raises(InvalidInput) as caught, database.write() as db:
        accounts.change_own_password(db, people["sato"], current, new, actor=as_user(1))
    assert set(caught.value.errors) == {field}
    assert sessions_of(database, people["sato"]) == 2
    with database.write() as db:
        assert accounts.authenticate(db, "sato", PASSWORD) is not None
    assert events(database, "staff_user.password_change") == []


def test_setting_a_password_from_the_command_line_ends_sessions_too(database, people):
    open_sessions(database, people["suzuki"])
    with database.write() as db:
        accounts.set_password(db, people["suzuki"], "hijiki-to-daizu", actor=Actor.cli())
    assert sessions_of(database, people["suzuki"]) == 0


def test_a_login_records_when_it_happened(database, people, frozen_clock):
    frozen_clock(TOKYO_NEXT_DAY)
    with database.write() as db:
        assert accounts.attempt_login(db, "sato", PASSWORD, remote_addr="192.0.2.1").user
    with database.read() as db:
        last = db.get(User, people["sato"]).last_login_at
        assert abs(last - TOKYO_NEXT_DAY) < timedelta(seconds=5)
        assert db.get(User, people["suzuki"]).last_login_at is None


def test_a_failed_login_never_keeps_the_text_typed_as_the_name(database, people):
    """A password typed into the login box stayed in the audit trail for good."""
    with database.write() as db:
        accounts.attempt_login(db, "Hijiki-To-Daizu-2026", "x", remote_addr="192.0.2.1")
        accounts.attempt_login(db, "sato", "wrong-password", remote_addr="192.0.2.1")
    with database.read() as db:
        failures = db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "auth.login_failed")
            .order_by(AuditEvent.id)
        ).all()
        stored = [(e.details, e.subject_type, e.subject_id) for e in failures]
        everything = " ".join(
            f"{e.details} {e.subject_type} {e.actor_kind} {e.remote_addr}"
            for e in db.scalars(select(AuditEvent))
        )
    assert stored == [
        ({"login": "unknown"}, "", None),
        ({"login": "sato"}, "staff_user", people["sato"]),
    ]
    assert "hijiki" not in everything.lower()
