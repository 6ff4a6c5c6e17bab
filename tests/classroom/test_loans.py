"""Loaner phones: one phone in one pair of hands, one phone per person, never more than the venue has."""

from __future__ import annotations

from datetime import timedelta

import pytest

from classroom.models import AuditEvent, PhoneLoan, Venue
from classroom.services import attendance, loans, sessions
from classroom.services.actor import Actor
from classroom.services.errors import InvalidInput, NotFound, SessionNotOpen
from classroom.services.loans import (
    AlreadyHasPhone,
    NoLoanerPhones,
    NoPhonesLeft,
    NotLendingDay,
    NotTakingPart,
    PhoneAlreadyOut,
)
from tests.classroom.ward import NOW
from tests.conftest import TOKYO_MIDNIGHT, TOKYO_NEXT_DAY, TOKYO_SAME_DAY

#: phones are lent on the class's day: `ward.session()` is at 10:00 Tokyo a week after NOW
CLASS_DAY = NOW + timedelta(days=7)


@pytest.fixture
def venue_with_phones(ward):
    def set_phones(n: int) -> None:
        with ward.database.write() as db:
            db.get(Venue, ward.venue_id).loaner_phones = n

    set_phones(2)
    return set_phones


def seated(ward, session_id, count):
    people = ward.residents(count)
    for p in people:
        ward.coordinator.registers(p, session_id)
    return people


def lend(ward, session_id, participant_id, label, now=CLASS_DAY):
    with ward.database.write() as db:
        return loans.lend(
            db,
            session_id=session_id,
            participant_id=participant_id,
            phone_label=label,
            actor=ward.coordinator.actor,
            now=now,
        ).id


def give_back(ward, loan_id):
    with ward.database.write() as db:
        return loans.return_phone(db, loan_id, actor=ward.coordinator.actor, now=NOW)


def test_a_phone_is_lent_and_given_back(ward, venue_with_phones):
    session = ward.session()
    (person,) = seated(ward, session, 1)
    loan_id = lend(ward, session, person, " 貸出－２ ")
    with ward.database.read() as db:
        loan = db.get(PhoneLoan, loan_id)
        assert (loan.phone_label, loan.returned_at) == ("貸出-2", None)  # full width folded
    first = give_back(ward, loan_id).returned_at
    assert give_back(ward, loan_id).returned_at == first  # twice keeps the first time
    with ward.database.read() as db:
        actions = [e.action for e in db.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("loan.lend") == 1 and actions.count("loan.return") == 1


def test_one_phone_in_one_pair_of_hands_and_one_phone_per_person(ward, venue_with_phones):
    session = ward.session()
    a, b = seated(ward, session, 2)
    lend(ward, session, a, "貸出-1")
    with pytest.raises(PhoneAlreadyOut) as out:
        lend(ward, session, b, "貸出-1")
    assert "The phone 貸出-1 is already lent out" in out.value.translate(lambda m: m)
    with pytest.raises(AlreadyHasPhone) as has:
        lend(ward, session, a, "貸出-2")
    assert "already has a loaner phone (貸出-1)" in has.value.translate(lambda m: m)


def test_no_more_phones_out_than_the_venue_keeps_counting_other_classes(ward, venue_with_phones):
    morning = ward.session()
    afternoon = ward.session(starts_in=timedelta(days=7, hours=4))
    a, b = seated(ward, morning, 2)
    (c,) = seated(ward, afternoon, 1)
    lend(ward, morning, a, "1")
    not_back = lend(ward, morning, b, "2")
    with pytest.raises(NoPhonesLeft) as caught:
        lend(ward, afternoon, c, "3")
    assert caught.value.translate(lambda m: m) == "All 2 loaner phones of 中央図書館 are out."
    with pytest.raises(PhoneAlreadyOut):  # still in the morning's hands
        lend(ward, afternoon, c, "2")
    give_back(ward, not_back)
    lend(ward, afternoon, c, "2")


def test_a_venue_without_phones_lends_none(ward, venue_with_phones):
    venue_with_phones(0)
    session = ward.session()
    (person,) = seated(ward, session, 1)
    with pytest.raises(NoLoanerPhones):
        lend(ward, session, person, "1")


def test_only_participants_of_the_class_borrow(ward, venue_with_phones):
    session = ward.session(capacity=1)
    seated_one, waiting, walk_in = ward.residents(3)
    ward.coordinator.registers(seated_one, session)
    ward.coordinator.registers(waiting, session)
    with pytest.raises(NotTakingPart):
        lend(ward, session, waiting, "1")
    with ward.database.write() as db:
        attendance.mark_attendance(
            db,
            session_id=session,
            participant_id=walk_in,
            status="present",
            actor=ward.coordinator.actor,
            now=NOW,
        )
    lend(ward, session, walk_in, "1")


@pytest.mark.parametrize("label, field", [("  ", "phone_label"), ("x" * 41, "phone_label")])
def test_a_label_is_needed_and_short(ward, venue_with_phones, label, field):
    session = ward.session()
    (person,) = seated(ward, session, 1)
    with pytest.raises(InvalidInput) as caught:
        lend(ward, session, person, label)
    assert field in caught.value.errors


def test_unknown_or_cancelled_things_are_refused(ward, venue_with_phones):
    session = ward.session()
    (person,) = seated(ward, session, 1)
    with pytest.raises(NotFound):
        lend(ward, 999, person, "1")
    with pytest.raises(NotFound):
        give_back(ward, 999)
    with ward.database.write() as db:
        sessions.cancel_session(db, session, actor=Actor.system(), now=NOW)
    with pytest.raises(SessionNotOpen):
        lend(ward, session, person, "1")


def test_a_twin_that_slips_past_the_checks_gets_the_same_clear_message(
    ward, venue_with_phones, monkeypatch
):
    """The partial unique indexes catch what the checks missed; the IntegrityError is
    answered with the rule's own message and nothing is written."""
    session = ward.session()
    a, b = seated(ward, session, 2)
    lend(ward, session, a, "貸出-1")
    real = loans._refusal
    calls = []

    def blind_first(*args):
        calls.append(1)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(loans, "_refusal", blind_first)
    with pytest.raises(PhoneAlreadyOut):
        lend(ward, session, b, "貸出-1")
    calls.clear()
    with pytest.raises(AlreadyHasPhone):
        lend(ward, session, a, "貸出-9")
    with ward.database.read() as db:
        assert db.query(PhoneLoan).count() == 1


def test_lending_at_once_never_hands_out_more_phones_than_the_venue_keeps(
    engine_name, tmp_path, request
):
    from sqlalchemy.pool import NullPool

    from classroom.services.errors import DomainError
    from tests.classroom.test_concurrency import _run_at_once
    from tests.classroom.ward import WardBuilder
    from tests.conftest import make_database

    database = make_database(engine_name, tmp_path, request, poolclass=NullPool)
    ward = WardBuilder(database)
    with database.write() as db:
        db.get(Venue, ward.venue_id).loaner_phones = 2
    session = ward.session()
    people = seated(ward, session, 6)
    refused: list[DomainError] = []

    def work(i: int) -> None:
        try:
            # two ask for the same phone; everybody asks for one
            lend(ward, session, people[i], f"貸出-{min(i, 4)}")
        except DomainError as error:
            refused.append(error)

    errors = _run_at_once(work, len(people))
    assert errors == []
    with database.read() as db:
        out = db.query(PhoneLoan).filter(PhoneLoan.returned_at.is_(None)).all()
    assert len(out) == 2 and len({loan.phone_label for loan in out}) == 2
    assert len(refused) == 4
    assert all(isinstance(e, NoPhonesLeft | PhoneAlreadyOut) for e in refused)
    database.dispose()


@pytest.mark.parametrize(
    "moment, lent",
    [
        (TOKYO_SAME_DAY, False),  # 10:00 the day before, in Tokyo
        (TOKYO_MIDNIGHT - timedelta(minutes=10), False),  # 23:50 the night before
        (TOKYO_MIDNIGHT + timedelta(minutes=5), True),  # 00:05 on the class's day
        (TOKYO_NEXT_DAY, True),  # 05:00 on the class's day (still 4 December in UTC)
        (TOKYO_MIDNIGHT + timedelta(days=1, minutes=-10), True),  # 23:50 on the class's day
        (TOKYO_MIDNIGHT + timedelta(days=1, minutes=5), False),  # 00:05 the day after
    ],
)
def test_a_phone_is_lent_on_the_class_day_in_the_ward_only(ward, venue_with_phones, moment, lent):
    """Issue 16: a phone lent days ahead ("03:31", no date) blocked it for the classes in
    between. The day is the ward's (Tokyo), not UTC's: 23:50 / 00:05 are the edges."""
    session = ward.session(starts_in=TOKYO_MIDNIGHT + timedelta(hours=11) - NOW)  # 5 Dec 11:00
    (person,) = seated(ward, session, 1)
    if lent:
        loan_id = lend(ward, session, person, "貸出-1", now=moment)
        with ward.database.read() as db:
            assert db.get(PhoneLoan, loan_id).lent_at == moment
        return
    with pytest.raises(NotLendingDay) as caught:
        lend(ward, session, person, "貸出-1", now=moment)
    assert caught.value.field == "participant_id"
    assert "lent on the day of the class" in caught.value.translate(lambda m: m)
    with ward.database.read() as db:
        assert db.query(PhoneLoan).count() == 0
