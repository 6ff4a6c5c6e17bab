"""Residents check and cancel a booking with its code and phone (issue 19), both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, CallReason, CallTask, Registration, RegistrationStatus
from classroom.services import self_service
from classroom.services.actor import Actor
from classroom.services.self_service import NotCancellable, TooManyAttempts
from tests.classroom.ward import NOW

SECRET = b"test-secret"
HOME = "198.51.100.7"


def _booking(ward, session, person):
    result = ward.coordinator.registers(person, session)
    return result.registration.code


def _phone(ward, person):
    from classroom.models import Participant

    with ward.database.read() as db:
        return db.get(Participant, person).phone


def find(ward, code, phone, client=HOME, now=NOW):
    with ward.database.write() as db:
        return self_service.find_booking(db, code, phone, client=client, secret=SECRET, now=now)


def cancel(ward, code, phone, client=HOME, now=NOW):
    with ward.database.write() as db:
        return self_service.cancel_by_code(
            db, code, phone, actor=Actor.resident(client), client=client, secret=SECRET, now=now
        )


def test_the_code_and_phone_show_the_booking_and_nothing_personal(ward):
    session = ward.session(capacity=1)
    person = ward.resident(reading="ヤマダ ハナコ", phone="090-1234-5678", birth_year=1948)
    code = _booking(ward, session, person)
    # typed as a person types: lower case, a dash, full-width digits in the phone
    view = find(ward, code[:3].lower() + "-" + code[3:], "０９０１２３４５６７８")
    assert view is not None
    assert view.status == self_service.BOOKED and view.position is None
    assert view.code == f"{code[:3]}-{code[3:]}"
    assert view.course_title == "スマホ入門（iPhone）" and view.venue_name == "中央図書館"
    assert view.starts_at == NOW + timedelta(days=7) and view.cancellable
    shown = repr(view)
    for personal in ("ヤマダ", "1234", "5678", "1948", "ハナコ"):
        assert personal not in shown


def test_a_wrong_phone_answers_as_an_unknown_code(ward):
    session = ward.session()
    person = ward.resident(phone="090-1234-5678")
    code = _booking(ward, session, person)
    assert find(ward, code, "090-1234-5679") is None
    assert find(ward, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY", "090-1234-5678") is None
    assert find(ward, "", "") is None
    assert find(ward, "x" * 500, "1" * 500) is None


def test_waitlist_position_and_lottery_states_are_shown(ward):
    session = ward.session(capacity=1)
    first, second = ward.residents(2)
    _booking(ward, session, first)
    code = _booking(ward, session, second)
    view = find(ward, code, _phone(ward, second))
    assert (view.status, view.position) == (self_service.WAITLISTED, 1)

    lottery = ward.session(capacity=1, lottery_deadline=NOW + timedelta(days=2))
    a, b = ward.residents(2)
    code_a, code_b = _booking(ward, lottery, a), _booking(ward, lottery, b)
    assert find(ward, code_a, _phone(ward, a)).status == self_service.LOTTERY_PENDING
    ward.coordinator.draws(lottery, now=NOW + timedelta(days=3))
    states = {
        find(ward, c, _phone(ward, p)).status: find(ward, c, _phone(ward, p)).position
        for c, p in ((code_a, a), (code_b, b))
    }
    assert states == {self_service.LOTTERY_WON: None, self_service.LOTTERY_LOST: 1}


def test_cancel_by_code_gives_the_seat_to_the_waitlist_as_the_office_does(ward):
    session = ward.session(capacity=1)
    holder, waiting = ward.residents(2)
    code = _booking(ward, session, holder)
    _booking(ward, session, waiting)
    view = cancel(ward, code, _phone(ward, holder))
    assert view.status == self_service.CANCELLED and not view.cancellable
    assert ward.confirmed(session) == [waiting]
    assert ward.waitlist(session) == []
    assert ward.seats_taken(session) == 1
    with ward.database.read() as db:
        call = db.scalar(select(CallTask).where(CallTask.participant_id == waiting))
        assert call.reason == CallReason.PROMOTED
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "registration.cancel"))
        assert (event.actor_kind, event.remote_addr) == ("resident", HOME)
    # twice changes nothing; the booking still shows as cancelled
    again = cancel(ward, code, _phone(ward, holder))
    assert again.status == self_service.CANCELLED
    assert ward.confirmed(session) == [waiting]


def test_cancel_with_a_wrong_phone_changes_nothing(ward):
    session = ward.session(capacity=1)
    person = ward.resident(phone="090-1234-5678")
    code = _booking(ward, session, person)
    assert cancel(ward, code, "090-9999-9999") is None
    assert ward.confirmed(session) == [person]


def test_a_class_that_has_started_cannot_be_cancelled_by_code(ward):
    session = ward.session(capacity=2, starts_in=timedelta(hours=1))
    person = ward.resident()
    code = _booking(ward, session, person)
    later = NOW + timedelta(hours=2)
    assert not find(ward, code, _phone(ward, person), now=later).cancellable
    with pytest.raises(NotCancellable):
        cancel(ward, code, _phone(ward, person), now=later)
    assert ward.confirmed(session) == [person]


def test_guessing_codes_from_one_address_is_throttled(ward):
    session = ward.session()
    person = ward.resident(phone="090-1234-5678")
    code = _booking(ward, session, person)
    guesses = [c for c in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE") if c != code]
    for i in range(self_service.FREE_PER_CLIENT):
        assert find(ward, guesses[i % 4] + "", "090-1234-5678", client="203.0.113.9") is None
    with pytest.raises(TooManyAttempts) as refused:
        find(ward, code, "090-1234-5678", client="203.0.113.9")
    assert refused.value.retry_after_minutes == 1 and refused.value.status == 429
    # the resident at home is not locked out by someone else's guesses
    assert find(ward, code, "090-1234-5678", client=HOME) is not None
    # after the wait the address may try again
    assert find(ward, code, "090-1234-5678", client="203.0.113.9", now=NOW + timedelta(minutes=2))


def test_guessing_the_phone_for_one_code_is_throttled_from_anywhere(ward):
    session = ward.session()
    person = ward.resident(phone="090-1234-5678")
    code = _booking(ward, session, person)
    for i in range(self_service.FREE_PER_CODE):
        assert find(ward, code, f"090-0000-{i:04d}", client=f"203.0.113.{i}") is None
    # the right phone, from yet another address: refused while the code waits, and the
    # refusal looks the same as for a code that does not exist
    with pytest.raises(TooManyAttempts):
        find(ward, code, "090-1234-5678", client="203.0.113.200")
    with pytest.raises(TooManyAttempts):
        cancel(ward, code, "090-1234-5678", client="203.0.113.200")
    assert ward.confirmed(session) == [person]


def test_right_answers_do_not_count_against_the_resident(ward):
    session = ward.session()
    person = ward.resident(phone="090-1234-5678")
    code = _booking(ward, session, person)
    for _ in range(self_service.FREE_PER_CLIENT + self_service.FREE_PER_CODE + 3):
        assert find(ward, code, "090-1234-5678") is not None


def test_an_erased_resident_has_no_booking_to_show(ward):
    from classroom.models import Participant

    session = ward.session()
    person = ward.resident(phone="090-1234-5678")
    code = _booking(ward, session, person)
    with ward.database.write() as db:
        db.get(Participant, person).erased_at = NOW
    assert find(ward, code, "090-1234-5678") is None
    with ward.database.read() as db:
        assert db.scalar(select(Registration.status)) == RegistrationStatus.CONFIRMED


# -- booking on the web ---------------------------------------------------------------


def book(ward, session, *, key, phone="090-5555-0001", reading="ヤマダ ハナコ", client=HOME, **kw):
    with ward.database.write() as db:
        return self_service.book_on_web(
            db,
            session_id=session,
            reading=reading,
            phone=phone,
            birth_year=1948,
            device="iphone",
            consent=kw.pop("consent", True),
            idempotency_key=key,
            client=client,
            secret=SECRET,
            now=kw.pop("now", NOW),
            **kw,
        )


def test_a_web_booking_follows_the_seat_rules_and_is_marked_web(ward):
    from classroom.models import Participant, Source

    session = ward.session(capacity=1)
    first = book(ward, session, key="web:aaaaaaaaaaaaaaaa")
    second = book(ward, session, key="web:bbbbbbbbbbbbbbbb", phone="090-5555-0002")
    assert first.status == RegistrationStatus.CONFIRMED
    assert (second.status, second.position) == (RegistrationStatus.WAITLISTED, 1)
    with ward.database.read() as db:
        r = db.get(Registration, first.registration.id)
        assert r.source == Source.WEB and not r.booked_by_family
        assert db.get(Participant, r.participant_id).source == Source.WEB


def test_a_resend_books_once_and_is_not_counted(ward):
    session = ward.session(capacity=5)
    results = [book(ward, session, key="web:same-key-123456789") for _ in range(8)]
    assert [r.created for r in results] == [True] + [False] * 7
    assert len({r.registration.id for r in results}) == 1
    assert len(ward.registrations(session)) == 1


def test_a_family_member_books_with_her_phone_as_the_contact_and_finds_it(ward):
    session = ward.session()
    result = book(
        ward, session, key="web:family-000000001", for_family=True, contact_phone="080-7777-1234"
    )
    with ward.database.read() as db:
        r = db.get(Registration, result.registration.id)
        assert r.booked_by_family and r.contact_phone == "080-7777-1234"
        code = r.code
    assert find(ward, code, "08077771234") is not None  # the daughter's phone
    assert find(ward, code, "090-5555-0001") is not None  # the mother's


def test_wrong_fields_and_no_consent_are_all_named_and_nothing_is_kept(ward):
    from classroom.services.errors import InvalidInput

    session = ward.session()
    with pytest.raises(InvalidInput) as wrong:
        book(
            ward,
            session,
            key="web:wrong-000000001",
            reading="Hanako",
            phone="12",
            consent=False,
            for_family=True,
            contact_phone="abc",
        )
    assert {"reading", "phone", "consent", "contact_phone"} <= set(wrong.value.errors)


def test_one_phone_books_at_most_the_daily_cap_on_the_web(ward):
    from classroom.services.self_service import DailyCapReached

    sessions = [ward.session() for _ in range(self_service.DAILY_CAP_PER_PHONE + 1)]
    for i, session in enumerate(sessions[:-1]):
        book(ward, session, key=f"web:cap-{i:012d}")
    with pytest.raises(DailyCapReached) as capped:
        book(ward, sessions[-1], key="web:cap-999999999999")
    assert capped.value.status == 429
    # the next ward day the phone may book again
    assert book(ward, sessions[-1], key="web:cap-tomorrow0000", now=NOW + timedelta(days=1))


def test_one_address_booking_again_and_again_has_to_wait(ward):
    sessions = [ward.session() for _ in range(self_service.FREE_BOOKINGS_PER_CLIENT + 1)]
    for i, session in enumerate(sessions[:-1]):
        book(ward, session, key=f"web:addr-{i:012d}", phone=f"090-6666-{i:04d}")
    with pytest.raises(TooManyAttempts):
        book(ward, sessions[-1], key="web:addr-last00000000", phone="090-6666-9999")
    assert book(
        ward, sessions[-1], key="web:addr-other0000000", phone="090-6666-9999", client="192.0.2.1"
    )
