"""New people, turnout, satisfaction, unmet demand and kiosk use, against hand-counted figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from classroom.models import (
    AttendanceStatus,
    HelpRequest,
    Kiosk,
    QuestionnaireResponse,
    UsageEvent,
    UsageKind,
)
from classroom.services import attendance, sessions
from classroom.services.actor import Actor
from classroom.services.reports import fiscal_year_report, report, report_rows
from languages import reset_language, set_language
from tests.classroom.ward import NOW


def at(y, m, d) -> datetime:
    return datetime(y, m, d, 1, tzinfo=UTC)  # 10:00 in Tokyo


@pytest.fixture
def in_english():
    token = set_language("en")
    yield
    reset_language(token)


def build(ward):
    """FY2025: two held classes; FY2024: one. Counted by hand in the test's comments."""
    a, b, c, d, e = ward.residents(5)

    def past_session(when: datetime, capacity: int) -> int:
        # scheduled a month ahead, as the ward does: the scheduling window is that day's
        return ward.session(capacity=capacity, starts_in=when - NOW, now=when - timedelta(days=30))

    def register(person: int, session: int, when: datetime) -> None:
        ward.coordinator.registers(person, session, now=when - timedelta(days=10))

    def attend(session: int, marks: dict[int, AttendanceStatus], questionnaires=()) -> None:
        with ward.database.write() as db:
            for person, status in marks.items():
                attendance.mark_attendance(
                    db,
                    session_id=session,
                    participant_id=person,
                    status=status,
                    actor=Actor.system(),
                )
            for score in questionnaires:
                db.add(QuestionnaireResponse(session_id=session, satisfaction=score))
            sessions.mark_held(db, session, actor=Actor.system())

    old = past_session(at(2025, 3, 1), 5)  # FY2024: a came → a is not new in FY2025
    register(a, old, at(2025, 3, 1))
    attend(old, {a: AttendanceStatus.PRESENT})

    s1 = past_session(at(2025, 5, 10), 2)
    for person in (a, b, c, d):  # a, b confirmed; c, d waitlisted
        register(person, s1, at(2025, 5, 10))
    attend(
        s1,
        {
            a: AttendanceStatus.PRESENT,
            b: AttendanceStatus.ABSENT,
            e: AttendanceStatus.LATE,
        },  # e walked in
        questionnaires=(5, 4),
    )

    s2 = past_session(at(2025, 6, 10), 5)
    register(c, s2, at(2025, 6, 10))  # c got a seat later: not unmet
    attend(s2, {c: AttendanceStatus.PRESENT}, questionnaires=(3,))

    with ward.database.write() as db:
        k1 = Kiosk(name="lib-1", location="中央図書館 1階", token_hash="a" * 64)
        k2 = Kiosk(name="office-2", location="区役所 2階", token_hash="b" * 64)
        db.add_all([k1, k2])
        db.flush()
        n = iter(range(1000))

        def event(kiosk, kind, when, guide="juminhyo", language="ja"):
            db.add(
                UsageEvent(
                    kiosk_id=kiosk.id,
                    client_id=f"e{next(n)}",
                    kind=kind,
                    at=when,
                    guide_id=guide,
                    language=language,
                )
            )

        event(k1, UsageKind.GUIDE_VIEWED, at(2025, 4, 2))
        event(k1, UsageKind.GUIDE_VIEWED, at(2025, 8, 2))
        event(k1, UsageKind.GUIDE_FINISHED, at(2025, 8, 2))
        event(k1, UsageKind.HANDOFF_SHOWN, at(2025, 8, 2))
        event(k2, UsageKind.GUIDE_VIEWED, at(2026, 1, 5), guide="mynumber", language="en")
        event(k2, UsageKind.LANGUAGE_CHOSEN, at(2026, 1, 5), guide="", language="en")
        event(k1, UsageKind.GUIDE_VIEWED, at(2024, 12, 1))  # FY2024: not counted
        db.add(HelpRequest(kiosk_id=k2.id, client_id="h1", created_at=at(2025, 9, 1)))
        db.add(HelpRequest(kiosk_id=k1.id, client_id="h2", created_at=at(2024, 9, 1)))
    return dict(a=a, b=b, c=c, d=d, e=e)


def test_fiscal_year_figures_match_the_hand_count(ward, in_english):
    build(ward)
    with ward.database.read() as db:
        fy = fiscal_year_report(db, 2025)
    # attended: a, e in s1; c in s2
    assert (fy.sessions_held, fy.attendances, fy.participants) == (2, 3, 3)
    assert fy.new_participants == 2  # c and e; a came in FY2024
    # confirmed seats: a, b (s1), c (s2); a and c came; e walked in
    t = fy.turnout
    assert (t.booked, t.showed, t.no_shows, t.walk_ins) == (3, 2, 1, 1)
    assert t.attendance_rate == pytest.approx(2 / 3, abs=1e-4)
    assert t.no_show_rate == pytest.approx(1 / 3, abs=1e-4)
    assert fy.satisfaction.responses == 3
    assert fy.satisfaction.average == 4.0
    assert fy.satisfaction.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert fy.unmet_demand == 1  # d only
    k = fy.kiosk
    assert (k.guides_viewed, k.guides_finished, k.handoffs, k.help_requests) == (3, 1, 1, 1)
    assert [(c.key, c.count) for c in k.by_language] == [("ja", 2), ("en", 1)]
    assert [
        (r.label, r.guides_viewed, r.guides_finished, r.handoffs, r.help_requests)
        for r in k.by_location
    ] == [("中央図書館 1階", 2, 1, 1, 0), ("区役所 2階", 1, 0, 0, 1)]
    assert [(r.key, r.guides_viewed) for r in k.by_guide] == [("juminhyo", 2), ("mynumber", 1)]

    data = fy.as_dict()
    assert data["new_participants"] == 2 and data["unmet_demand"] == 1
    assert data["turnout"]["no_shows"] == 1 and data["kiosk"]["help_requests"] == 1
    rows = report_rows(fy)
    assert ["Sessions held", 2] in rows and ["Unmet demand (waitlisted, never seated)", 1] in rows


def test_any_date_range(ward, in_english):
    build(ward)
    with ward.database.read() as db:
        may = report(db, at(2025, 5, 1), at(2025, 6, 1))
        fy24 = fiscal_year_report(db, 2024)
    assert (may.sessions_held, may.attendances, may.participants, may.new_participants) == (
        1,
        2,
        2,
        1,
    )
    assert may.unmet_demand == 2  # in May alone, c and d never got a seat
    assert may.label == "2025-05-01 to 2025-06-01"  # until 10:00 on 1 June
    assert (
        fy24.sessions_held,
        fy24.new_participants,
        fy24.kiosk.guides_viewed,
        fy24.kiosk.help_requests,
    ) == (1, 1, 1, 1)
