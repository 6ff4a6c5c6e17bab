"""Staff accounts: argon2id hashes, password rules, logging in, throttling — on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from classroom.models import AuditEvent, Role, User
from classroom.services import accounts
from classroom.services.actor import Actor
from classroom.services.errors import InvalidInput


def make_user(db, login="sato", password="kabocha-no-nimono", role=Role.COORDINATOR, **kw):
    with db.write() as s:
        user = accounts.create_user(
            s, login=login, role=role, password=password, actor=Actor.cli(), **kw
        )
        return user.id


def test_a_new_account_keeps_an_argon2id_hash_not_the_password(database):
    user_id = make_user(database, display_name="佐藤 花子")
    with database.read() as s:
        user = s.get(User, user_id)
        assert user.password_hash.startswith("$argon2id$")
        assert "kabocha" not in user.password_hash
        assert (user.login, user.role, user.display_name, user.active) == (
            "sato",
            Role.COORDINATOR,
            "佐藤 花子",
            True,
        )
        assert s.scalar(select(AuditEvent.action)) == "staff_user.create"


@pytest.mark.parametrize(
    "password",
    ["short1!", "password", "Password123", "12345678", "qwerty123", "sakura123", "sato-2024-x"],
)
def test_short_common_or_login_like_passwords_are_refused(database, password):
    with pytest.raises(InvalidInput) as caught, database.write() as s:
        accounts.create_user(
            s, login="sato", role="coordinator", password=password, actor=Actor.cli()
        )
    assert set(caught.value.errors) == {"password"}
    with database.read() as s:
        assert s.scalar(select(func.count(User.id))) == 0


def test_the_common_password_list_is_real():
    common = accounts.common_passwords()
    assert len(common) > 500
    assert {"password", "12345678", "qwerty123", "iloveyou"} <= common


def test_every_wrong_field_is_named_at_once(database):
    with pytest.raises(InvalidInput) as caught, database.write() as s:
        accounts.create_user(s, login="a b", role="janitor", password="x", actor=Actor.cli())
    assert set(caught.value.errors) == {"login", "role", "password"}


def test_a_login_is_taken_once_whatever_its_case(database):
    make_user(database, login="Tanaka")
    with pytest.raises(InvalidInput) as caught, database.write() as s:
        accounts.create_user(
            s,
            login="ＴＡＮＡＫＡ",
            role="instructor",
            password="another-good-one",
            actor=Actor.cli(),
        )
    assert set(caught.value.errors) == {"login"}


def test_authenticate_takes_the_right_password_only(database):
    make_user(database)
    with database.write() as s:
        assert accounts.authenticate(s, "sato", "kabocha-no-nimono").login == "sato"
        assert accounts.authenticate(s, " SATO ", "kabocha-no-nimono").login == "sato"
        assert accounts.authenticate(s, "sato", "kabocha-no-nimono!") is None
        assert accounts.authenticate(s, "nobody", "kabocha-no-nimono") is None


def test_a_disabled_account_cannot_log_in(database):
    user_id = make_user(database)
    with database.write() as s:
        s.get(User, user_id).active = False
    with database.write() as s:
        assert accounts.authenticate(s, "sato", "kabocha-no-nimono") is None


def test_an_unknown_login_is_checked_against_a_dummy_hash(database, monkeypatch):
    verified = []
    real = accounts.hasher

    class Spy:
        def verify(self, stored, password):
            verified.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(accounts, "hasher", Spy())
    with database.write() as s:
        assert accounts.authenticate(s, "nobody", "whatever-it-is") is None
    assert verified == [accounts._dummy_hash()]


def fail(database, login, address="192.0.2.1", now=None, password="wrong-password"):
    with database.write() as s:
        return accounts.attempt_login(s, login, password, remote_addr=address, now=now)


# throttling (per login name and address, and per address, with back-off, atomic):
# tests/classroom/test_throttle.py


def test_set_password_replaces_the_hash(database):
    user_id = make_user(database)
    with database.write() as s:
        accounts.set_password(s, user_id, "hijiki-to-daizu", actor=Actor.cli())
    with database.write() as s:
        assert accounts.authenticate(s, "sato", "kabocha-no-nimono") is None
        assert accounts.authenticate(s, "sato", "hijiki-to-daizu") is not None
