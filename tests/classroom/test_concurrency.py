"""Seat safety under real concurrency: threads with their own connections, both engines."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.pool import NullPool

from classroom.models import ClassSession, Registration, RegistrationStatus, Source
from classroom.services import registration
from classroom.services.actor import Actor
from classroom.services.errors import DomainError
from tests.classroom.ward import NOW, WardBuilder
from tests.conftest import make_database


def _run_at_once(work, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def _separate_connections(engine_name, tmp_path, request):
    """A Database whose every unit of work opens its own connection (no pool sharing)."""
    return make_database(engine_name, tmp_path, request, poolclass=NullPool)


def _invariants(database, session_id: int) -> tuple[int, list[int]]:
    with database.read() as db:
        session = db.get(ClassSession, session_id)
        confirmed = db.scalar(
            select(func.count()).where(
                Registration.session_id == session_id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        assert confirmed <= session.capacity
        assert session.seats_taken == confirmed, "the seat counter drifted from the rows"
        waiting = db.scalars(
            select(Registration)
            .where(
                Registration.session_id == session_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.waitlist_seq)
        ).all()
        positions = [registration.waitlist_position(db, r) for r in waiting]
        assert positions == list(range(1, len(waiting) + 1))
        active = db.scalars(
            select(Registration.participant_id).where(
                Registration.session_id == session_id,
                Registration.status != RegistrationStatus.CANCELLED,
            )
        ).all()
        assert len(active) == len(set(active)), "someone holds two places"
        # a free seat with people waiting would be a lost promotion
        assert not (confirmed < session.capacity and waiting)
        return confirmed, positions


def test_fifty_residents_at_once_for_ten_seats(engine_name, tmp_path, request):
    database = _separate_connections(engine_name, tmp_path, request)
    ward = WardBuilder(database)
    session = ward.session(capacity=10)
    people = ward.residents(50)
    answered: dict[int, int | None] = {}

    def book(i: int) -> None:
        with database.write() as db:
            result = registration.register(
                db,
                session_id=session,
                participant_id=people[i],
                source=Source.KIOSK,
                actor=Actor.kiosk(f"k{i}"),
                now=NOW,
            )
        answered[result.registration.id] = result.position

    errors = _run_at_once(book, 50)
    assert errors == []
    confirmed, positions = _invariants(database, session)
    assert confirmed == 10
    assert positions == list(range(1, 41))
    # each resident was told the place they have: the waitlist position answered is the
    # one stored (each booking counts those ahead once it holds the class, not before)
    with database.read() as db:
        stored = {
            r.id: registration.waitlist_position(db, r)
            for r in db.scalars(select(Registration).where(Registration.session_id == session))
        }
    assert answered == stored
    database.dispose()


def test_the_same_attempt_sent_by_many_threads_books_once(engine_name, tmp_path, request):
    database = _separate_connections(engine_name, tmp_path, request)
    ward = WardBuilder(database)
    session = ward.session(capacity=10)
    person = ward.resident()
    codes: list[str] = []

    def book(_i: int) -> None:
        with database.write() as db:
            result = registration.register(
                db,
                session_id=session,
                participant_id=person,
                source=Source.KIOSK,
                actor=Actor.kiosk("k"),
                idempotency_key="double-tap",
                now=NOW,
            )
            codes.append(result.registration.code)

    assert _run_at_once(book, 12) == []
    assert len(set(codes)) == 1 and len(codes) == 12
    assert len(ward.registrations(session)) == 1
    database.dispose()


def test_twenty_threads_cancelling_and_registering_keep_the_invariants(
    engine_name, tmp_path, request
):
    database = _separate_connections(engine_name, tmp_path, request)
    ward = WardBuilder(database)
    session = ward.session(capacity=5)
    booked = ward.residents(12)
    newcomers = ward.residents(10)
    first = {p: ward.coordinator.registers(p, session).registration.id for p in booked}
    to_cancel = random.Random(7).sample(sorted(first.values()), 10)

    def act(i: int) -> None:
        with database.write() as db:
            if i % 2 == 0:
                registration.cancel_registration(
                    db, to_cancel[i // 2], actor=Actor.system(), now=NOW
                )
            else:
                registration.register(
                    db,
                    session_id=session,
                    participant_id=newcomers[i // 2],
                    source=Source.PHONE,
                    actor=Actor.system(),
                    now=NOW,
                )

    errors = _run_at_once(act, 20)
    assert [e for e in errors if not isinstance(e, DomainError)] == []
    confirmed, positions = _invariants(database, session)
    assert confirmed == 5
    # 12 booked + 10 new - 10 cancelled = 12 active: 5 seats, 7 waiting
    assert len(positions) == 7
    database.dispose()


def test_two_tablets_entering_questionnaires_at_once_get_different_form_numbers(
    engine_name, tmp_path, request
):
    """The 用紙番号 an instructor writes on the paper is the class's next number: six forms
    typed at the same instant on different tablets are numbered 1 to 6, none twice."""
    from classroom.models import QuestionnaireResponse
    from classroom.services import questionnaires

    ward = WardBuilder(_separate_connections(engine_name, tmp_path, request))
    session = ward.session()

    def work(i: int) -> None:
        with ward.database.write() as db:
            questionnaires.add_response(
                db, session_id=session, satisfaction=1 + i % 5, actor=Actor.system(), now=NOW
            )

    assert _run_at_once(work, 6) == []
    with ward.database.read() as db:
        numbers = db.scalars(
            select(QuestionnaireResponse.sheet_number).where(
                QuestionnaireResponse.session_id == session
            )
        ).all()
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]


def _kiosk_books(db, session_id: int, person: int) -> registration.RegistrationResult:
    return registration.register(
        db,
        session_id=session_id,
        participant_id=person,
        source=Source.KIOSK,
        actor=Actor.kiosk("k"),
        now=NOW,
    )


def _until_waiting_for(database, xid: str, waiting: threading.Thread) -> bool:
    """True once some connection waits for transaction `xid` (PostgreSQL's pg_locks)."""
    with database.engine.connect() as watcher:
        for _ in range(600):
            queued = watcher.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted"
                    " AND locktype = 'transactionid' AND transactionid::text = :xid"
                ),
                {"xid": xid},
            ).scalar()
            watcher.rollback()
            if queued or not waiting.is_alive():
                return bool(queued)
            time.sleep(0.05)
    return False


def test_a_booking_that_waited_is_told_its_place_behind_those_it_waited_for(
    engine_name, tmp_path, request
):
    """PostgreSQL: a booking sent while another holds the class's row waits for it; the
    waitlist position it is told counts the one it waited for (its statement was sent
    before that one committed)."""
    if engine_name != "postgresql":
        pytest.skip("SQLite's write transaction is its lock: nobody waits on a row")
    database = _separate_connections(engine_name, tmp_path, request)
    ward = WardBuilder(database)
    session = ward.session(capacity=1)
    a, b, c = ward.residents(3)
    ward.coordinator.registers(a, session)  # the seat
    told: list[int | None] = []

    def c_books() -> None:
        with database.write() as db:
            told.append(_kiosk_books(db, session, c).position)

    waiting = threading.Thread(target=c_books)
    with database.write() as db:  # b's booking holds the class's row until it commits
        first = _kiosk_books(db, session, b)
        holding = db.execute(text("SELECT pg_current_xact_id()::text")).scalar()
        waiting.start()
        assert _until_waiting_for(database, holding, waiting)
    waiting.join(timeout=30)
    assert (first.position, told) == (1, [2])
    assert ward.waitlist(session) == [(1, b), (2, c)]
    database.dispose()


def test_a_booking_that_waited_for_its_class_commits_without_waiting_for_the_disk(
    engine_name, tmp_path, request, monkeypatch
):
    """PostgreSQL: a booking whose statement waited for the class's row (another booking
    held it) asks for a commit that does not wait for the disk (classroom/db.py
    `answer_after_flush`); one that did not wait commits as any write does."""
    if engine_name != "postgresql":
        pytest.skip("SQLite's write transaction is its lock: nobody waits on a row")
    # the row is held 300 ms below; a new connection's first statement takes a few ms
    # to plan, which must not count as a wait here
    monkeypatch.setattr(registration, "CONTENDED_S", 0.2)
    database = _separate_connections(engine_name, tmp_path, request)
    ward = WardBuilder(database)
    session = ward.session(capacity=5)
    first, second = ward.residents(2)
    settings: list[str] = []

    def book(person: int) -> None:
        with database.write() as db:
            _kiosk_books(db, session, person)
            settings.append(db.execute(text("SHOW synchronous_commit")).scalar())

    book(first)
    with database.engine.connect() as holder:  # another booking holds the class's row
        holder.execute(select(ClassSession.id).where(ClassSession.id == session).with_for_update())
        holding = holder.execute(text("SELECT pg_current_xact_id()::text")).scalar()
        waiting = threading.Thread(target=book, args=(second,))
        waiting.start()
        assert _until_waiting_for(database, holding, waiting)
        waiting.join(timeout=0.3)  # a wait far longer than any statement's own time
        holder.rollback()
    waiting.join(timeout=30)
    assert settings == ["on", "off"]
    database.dispose()
