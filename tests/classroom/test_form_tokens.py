"""One-time form tokens (classroom/services/form_tokens.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from classroom.models import UsedFormToken
from classroom.services import form_tokens

NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def test_first_use_claims_then_the_first_page_is_answered(database):
    token = form_tokens.new_token()
    with database.write() as db:
        assert form_tokens.claim(db, "user:1", token, NOW) is None
        form_tokens.remember(db, "user:1", token, "/office/sessions/7")
    with database.write() as db:
        assert form_tokens.claim(db, "user:1", token, NOW) == "/office/sessions/7"
        assert form_tokens.claim(db, "user:2", token, NOW) is None  # someone else's


def test_a_rolled_back_claim_leaves_the_token_unused(database):
    token = form_tokens.new_token()
    with pytest.raises(RuntimeError), database.write() as db:
        form_tokens.claim(db, "user:1", token, NOW)
        raise RuntimeError("the form was refused after all")
    with database.write() as db:
        assert form_tokens.claim(db, "user:1", token, NOW) is None


def test_tokens_are_forgotten_after_a_day(database):
    old, new = form_tokens.new_token(), form_tokens.new_token()
    with database.write() as db:
        form_tokens.claim(db, "user:1", old, NOW)
    with database.write() as db:
        form_tokens.claim(db, "user:1", new, NOW + timedelta(days=1, minutes=1))
    with database.read() as db:
        assert db.query(UsedFormToken).count() == 1


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "a b c d e f g h i", "\x00" * 20])
def test_only_tokens_the_site_makes_are_taken(database, token):
    with database.write() as db, pytest.raises(ValueError):
        form_tokens.claim(db, "user:1", token, NOW)


def test_two_submits_at_the_same_instant_create_once(database):
    """The second waits for the first transaction, then is answered with its page."""
    token = form_tokens.new_token()
    first_claimed, answers = threading.Event(), {}

    def first():
        with database.write() as db:
            answers["first"] = form_tokens.claim(db, "user:1", token, NOW)
            first_claimed.set()
            threading.Event().wait(0.5)  # the second submit arrives meanwhile
            form_tokens.remember(db, "user:1", token, "/office/sessions/9")

    def second():
        first_claimed.wait(5)
        with database.write() as db:
            answers["second"] = form_tokens.claim(db, "user:1", token, NOW)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert answers == {"first": None, "second": "/office/sessions/9"}
