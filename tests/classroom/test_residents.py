"""Residents: clear messages for bad input, search folded across kana and widths, duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from classroom.models import Participant, Source
from classroom.services import residents
from classroom.services.actor import Actor
from classroom.services.errors import InvalidInput
from classroom.services.text import reading_key


def _create(db, **fields):
    defaults = dict(
        reading="ヤマダ ハナコ", source=Source.COUNTER, actor=Actor.system(), consent=True
    )
    return residents.create_participant(db, **{**defaults, **fields})


def test_bad_input_names_every_wrong_field_and_stores_nothing(database):
    with database.write() as db, pytest.raises(InvalidInput) as error:
        _create(db, reading="Yamada", phone="12-34", birth_year="1800", device="flip")
    assert set(error.value.errors) == {"reading", "phone", "birth_year", "device"}
    assert "kana" in error.value.errors["reading"].translate(lambda s: s)
    assert "10 or 11 digits" in error.value.errors["phone"].translate(lambda s: s)
    with database.read() as db:
        assert db.scalar(select(func.count(Participant.id))) == 0


def test_consent_is_required(database):
    with database.write() as db, pytest.raises(InvalidInput) as error:
        _create(db, consent=False)
    assert "consent" in error.value.errors


def test_no_email_is_ever_asked_for(database):
    with database.write() as db:
        person = _create(db, phone="", birth_year=None)
        assert person.id and not hasattr(person, "email")


@pytest.mark.parametrize(
    "typed",
    ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだ　はな", "ヤマダハナコ"],
)
def test_search_by_kana_folds_hiragana_katakana_and_widths(database, typed):
    with database.write() as db:
        _create(db, phone="03-1234-5678")
        _create(db, reading="ヤマモト タロウ", phone="03-9999-0000")
    with database.read() as db:
        found = residents.search_participants(db, typed)
        assert [p.reading for p in found] == ["ヤマダ ハナコ"]


@pytest.mark.parametrize("typed", ["5678", "１２３４５６７８", "03-1234"])
def test_search_by_phone_digits(database, typed):
    with database.write() as db:
        _create(db, phone="03-1234-5678")
    with database.read() as db:
        assert len(residents.search_participants(db, typed)) == 1


@pytest.mark.parametrize("typed", ["山田", "山田花子", "山田 花", "山田　花子"])
def test_search_by_the_name_as_written(database, typed):
    with database.write() as db:
        _create(db, family_name="山田", given_name="花子")
        _create(db, family_name="山本", given_name="太郎", reading="ヤマモト タロウ")
    with database.read() as db:
        assert [p.given_name for p in residents.search_participants(db, typed)] == ["花子"]


def test_search_ignores_sql_wildcards(database):
    with database.write() as db:
        _create(db)
    with database.read() as db:
        assert residents.search_participants(db, "%") == []
        assert residents.search_participants(db, "_") == []


def test_likely_duplicates_same_reading_and_phone_or_birth_year(database):
    with database.write() as db:
        _create(db, phone="03-1234-5678", birth_year=1948)
    with database.read() as db:
        assert residents.likely_duplicates(db, reading="やまだ はなこ", phone="0312345678")
        assert residents.likely_duplicates(db, reading="ﾔﾏﾀﾞﾊﾅｺ", birth_year=1948)
        assert not residents.likely_duplicates(db, reading="やまだ はなこ", phone="0399999999")
        assert not residents.likely_duplicates(db, reading="やまだ たろう", phone="0312345678")


def test_correcting_a_resident_records_which_fields_changed_not_the_values(database):
    from classroom.models import AuditEvent

    with database.write() as db:
        person = _create(db, phone="03-1234-5678")
    with database.write() as db:
        residents.update_participant(db, person.id, actor=Actor.system(), phone="03-1111-2222")
    with database.read() as db:
        event = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.update")
        ).one()
        assert event.details == {"fields": ["phone", "phone_digits"]}
        assert "1111" not in str(event.details)


def test_reading_key_is_the_folded_form():
    assert reading_key("ヤマダ　ハナコ") == reading_key("やまだはなこ") == "やまだはなこ"
    assert reading_key("ﾔﾏﾀﾞ") == "やまだ"
