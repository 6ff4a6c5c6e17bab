"""The year report's one statement against the figures counted from scratch, row by row
in Python, on a varied ward: sessions on either side of 1 April and of 1 January at
Tokyo's midnight (15:00 UTC the day before), cancelled and scheduled sessions with marks,
absences, walk-ins, waitlisted and cancelled registrations, unknown birth years, birth
years whose age band changes on 1 January within the fiscal year, every kind of phone,
and people whose only earlier mark was an absence or a cancelled class (still new)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from bench import ward_rows as rows
from classroom.models import (
    ATTENDED_STATUSES,
    Attendance,
    ClassSession,
    Course,
    Device,
    Participant,
    Registration,
    Venue,
)
from classroom.services import report_figures
from classroom.services.reports import AGE_BANDS, UNKNOWN, days, fiscal_year_bounds, report
from classroom.settings import ward_zone

#: instants that fall on either side of a boundary in Tokyo (UTC+9, no summer time)
EDGES = (
    datetime(2025, 3, 31, 14, 59, tzinfo=UTC),  # 31 March 23:59 in Tokyo: FY2024
    datetime(2025, 3, 31, 15, 0, tzinfo=UTC),  # 1 April 00:00 in Tokyo: FY2025
    datetime(2025, 4, 1, 0, 30, tzinfo=UTC),  # 1 April in both
    datetime(2025, 12, 31, 14, 59, tzinfo=UTC),  # 31 December 2025 in Tokyo
    datetime(2025, 12, 31, 15, 0, tzinfo=UTC),  # 1 January 2026 in Tokyo: a year older
    datetime(2026, 3, 31, 14, 59, tzinfo=UTC),  # 31 March 2026 23:59: FY2025's last minute
    datetime(2026, 3, 31, 15, 0, tzinfo=UTC),  # 1 April 2026 00:00: FY2026
)
#: born so that the band changes between 2025 and 2026 (64 -> 65, 74 -> 75, 84 -> 85)
BIRTH_YEARS = (None, 1961, 1951, 1941, 1960, 1950, 1940, 1930, 1975)


def fill(database, seed: int) -> dict:
    rng = random.Random(seed)
    made = datetime(2024, 1, 1, tzinfo=UTC)
    courses = rows.courses(range(1, 4))
    venues = rows.venues(range(1, 4), capacity=30)
    people = rows.residents(
        range(1, 61),
        at=made,
        birth_year=lambda: rng.choice(BIRTH_YEARS),
        device=lambda: rng.choice(list(Device)).value,
    )
    starts = list(EDGES) + [
        datetime(2024, 4, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(24 * 365 * 2 + 24 * 60))
        for _ in range(30)
    ]
    sessions = []
    for n, when in enumerate(starts, start=1):
        state = rng.choices(["held", "cancelled", "scheduled"], [8, 1, 1])[0]
        sessions.append(
            rows.session(
                n,
                course_id=rng.randint(1, 3),
                venue_id=rng.randint(1, 3),
                starts_at=when,
                length=timedelta(hours=2),
                capacity=30,
                state=state,
                created_at=made,
            )
        )
    registrations, marks = [], []
    for s in sessions:
        if rng.random() < 0.1:
            continue  # held with nobody marked
        for pid in rng.sample(range(1, len(people) + 1), rng.randint(1, 12)):
            status = rng.choices(["confirmed", "waitlisted", "cancelled", None], [6, 1, 1, 2])[0]
            registration_id = None
            if status is not None:
                registration_id = len(registrations) + 1
                registrations.append(
                    rows.registration(
                        registration_id,
                        session_id=s["id"],
                        participant_id=pid,
                        at=made,
                        status=status,
                        waitlist_seq=1 if status == "waitlisted" else None,
                    )
                )
            if rng.random() < 0.8:
                marks.append(
                    rows.attendance(
                        session_id=s["id"],
                        participant_id=pid,
                        registration_id=registration_id,
                        status=rng.choice(["present", "present", "late", "absent", "excused"]),
                        at=s["starts_at"],
                    )
                )
    for n, mark in enumerate(marks, start=1):
        mark["id"] = n  # to change and take back marks by id (`_change`)
    with database.engine.begin() as conn:
        for table, made_rows in (
            (Course.__table__, courses),
            (Venue.__table__, venues),
            (Participant.__table__, people),
            (ClassSession.__table__, sessions),
            (Registration.__table__, registrations),
            (Attendance.__table__, marks),
        ):
            rows.bulk(conn, table, made_rows)
    return dict(
        courses=courses,
        venues=venues,
        people=people,
        sessions=sessions,
        registrations=registrations,
        marks=marks,
    )


def _band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for key, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    raise AssertionError(age)


def from_scratch(ward: dict, start: datetime, end: datetime) -> dict:
    """The figures the report gives, counted in Python from every row."""
    zone = ward_zone()
    course = {c["id"]: c["code"] for c in ward["courses"]}
    venue = {v["id"]: v["name"] for v in ward["venues"]}
    person = {p["id"]: p for p in ward["people"]}
    session = {s["id"]: s for s in ward["sessions"]}
    held = {
        s["id"]: s
        for s in ward["sessions"]
        if s["state"] == "held" and start <= s["starts_at"] < end
    }
    attended = [
        m for m in ward["marks"] if m["session_id"] in held and m["status"] in ATTENDED_STATUSES
    ]
    came_before = {
        m["participant_id"]
        for m in ward["marks"]
        if m["status"] in ATTENDED_STATUSES
        and session[m["session_id"]]["state"] == "held"
        and session[m["session_id"]]["starts_at"] < start
    }

    def keys(mark) -> dict[str, str]:
        s = held[mark["session_id"]]
        local = s["starts_at"].astimezone(zone)
        born = person[mark["participant_id"]]["birth_year"]
        return {
            "course": course[s["course_id"]],
            "venue": venue[s["venue_id"]],
            "month": f"{local.year}-{local.month:02d}",
            "age_band": _band(None if born is None else local.year - born),
            "device": person[mark["participant_id"]]["device"],
        }

    out: dict = {}
    for name in ("course", "venue", "month", "age_band", "device"):
        rows: dict[str, list] = defaultdict(lambda: [set(), 0, set()])
        for mark in attended:
            row = rows[keys(mark)[name]]
            row[0].add(mark["session_id"])
            row[1] += 1
            row[2].add(mark["participant_id"])
        out[name] = {key: (len(s), n, len(p)) for key, (s, n, p) in rows.items()}
    # a course's sessions are all those it held, attended or not
    held_by_course: dict[str, int] = defaultdict(int)
    for s in held.values():
        held_by_course[course[s["course_id"]]] += 1
    out["course"] = {k: (held_by_course[k], n, p) for k, (_s, n, p) in out["course"].items()}
    everyone = {m["participant_id"] for m in attended}
    came = {(m["session_id"], m["participant_id"]) for m in attended}
    seats = [
        r for r in ward["registrations"] if r["session_id"] in held and r["status"] == "confirmed"
    ]
    out["figures"] = dict(
        sessions_held=len(held),
        attendances=len(attended),
        participants=len(everyone),
        new_participants=len(everyone - came_before),
        booked=len(seats),
        showed=sum((r["session_id"], r["participant_id"]) in came for r in seats),
        walk_ins=sum(m["walk_in"] for m in attended),
    )
    return out


def as_counted(got) -> dict:
    """The report's figures in `from_scratch`'s shape; rows with nothing in them left out
    (the report lists every month and age band, zeros included)."""

    def rows(items):
        return {r.key: (r.sessions, r.attendances, r.participants) for r in items if r.attendances}

    return {
        "course": rows(got.by_course),
        "venue": rows(got.by_venue),
        "month": rows(got.by_month),
        "age_band": rows(got.by_age_band),
        "device": rows(got.by_device),
        "figures": dict(
            sessions_held=got.sessions_held,
            attendances=got.attendances,
            participants=got.participants,
            new_participants=got.new_participants,
            booked=got.turnout.booked,
            showed=got.turnout.showed,
            walk_ins=got.turnout.walk_ins,
        ),
    }


PERIODS = (
    fiscal_year_bounds(2024),
    fiscal_year_bounds(2025),
    # more than twelve months, from 31 March to 1 April: both edges are whole days
    days(date(2025, 3, 31), date(2026, 4, 1)),
    # one day: 1 January 2026 in Tokyo
    days(date(2026, 1, 1), date(2026, 1, 1)),
)


def _compare(database, ward, seed, when: str) -> None:
    for start, end in PERIODS:
        with database.read() as db:
            got = report(db, start, end)
        expected = from_scratch(ward, start, end)
        assert as_counted(got) == expected, (seed, when, start, end)
        # every month and band is listed, zeros included; unknown ages only when there
        assert [r.key for r in got.by_age_band][:4] == [key for key, *_ in AGE_BANDS]
        assert (UNKNOWN in [r.key for r in got.by_age_band]) == (UNKNOWN in expected["age_band"])


def _refresh(database) -> None:
    with database.write() as db:
        report_figures.refresh(db)
    with database.read() as db:
        assert not report_figures.anything_stale(db)


def _change(database, ward: dict, rng: random.Random) -> None:
    """What a ward's year does to rows already counted, written as SQL (as an import or a
    bulk fix would) and in `ward` alike: marks changed and taken back, a class moved over
    1 April or to another course and venue, cancelled, held after all, a person's birth
    year and phone corrected, a person erased with their marks."""
    marks, sessions, people = ward["marks"], ward["sessions"], ward["people"]
    statements = []
    for mark in rng.sample(marks, 8):
        mark["status"] = "absent" if mark["status"] in ATTENDED_STATUSES else "present"
        statements.append(
            Attendance.__table__.update()
            .where(Attendance.id == mark["id"])
            .values(status=mark["status"])
        )
    for mark in rng.sample(marks, 4):
        marks.remove(mark)
        statements.append(Attendance.__table__.delete().where(Attendance.id == mark["id"]))
    moved, other, cancelled, held = rng.sample(sessions, 4)
    moved["starts_at"] = datetime(2025, 3, 31, 14, 59, tzinfo=UTC) + timedelta(
        minutes=rng.choice((0, 1, 60 * 24 * 200))
    )
    other["course_id"], other["venue_id"] = other["course_id"] % 3 + 1, other["venue_id"] % 3 + 1
    cancelled["state"], held["state"] = "cancelled", "held"
    for s in (moved, other, cancelled, held):
        statements.append(
            ClassSession.__table__.update()
            .where(ClassSession.id == s["id"])
            .values(
                starts_at=s["starts_at"],
                ends_at=s["starts_at"] + timedelta(hours=2),
                course_id=s["course_id"],
                venue_id=s["venue_id"],
                state=s["state"],
            )
        )
    for person in rng.sample(people, 6):
        person["birth_year"] = rng.choice(BIRTH_YEARS)
        person["device"] = rng.choice(list(Device)).value
        statements.append(
            Participant.__table__.update()
            .where(Participant.id == person["id"])
            .values(birth_year=person["birth_year"], device=person["device"])
        )
    gone = rng.choice(people)
    for mark in [m for m in marks if m["participant_id"] == gone["id"]]:
        marks.remove(mark)
    statements.append(Attendance.__table__.delete().where(Attendance.participant_id == gone["id"]))
    with database.engine.begin() as conn:
        for statement in statements:
            conn.execute(statement)


def test_the_report_equals_the_figures_counted_from_scratch(database):
    """On three wards, each: counted from attendance (every person noted stale), from the
    kept figures after a refresh, after changes (some stale: both at once) and refreshed
    again."""
    for seed in (1, 2, 3):
        if seed > 1:  # a fresh ward each time, on the same database
            with database.engine.begin() as conn:
                for table in (Attendance, Registration, ClassSession, Participant, Venue, Course):
                    conn.execute(table.__table__.delete())
        ward = fill(database, seed)
        _compare(database, ward, seed, "as written")
        _refresh(database)
        _compare(database, ward, seed, "kept")
        _change(database, ward, random.Random(seed))
        with database.read() as db:
            assert report_figures.anything_stale(db)
        _compare(database, ward, seed, "changed")
        _refresh(database)
        _compare(database, ward, seed, "changed, kept")
