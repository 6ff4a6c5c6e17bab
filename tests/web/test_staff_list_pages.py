"""The coordinator's session list and the instructor's roster show, row by row, what the
site's own filters and url_for say (issue 21 made both pages build their rows once per page
instead of once per cell: the words, dates, links and buttons must not change).

On the demo ward (a full class with a waitlist, a lottery taking applications, classes in
several venues), in English and in Japanese. The expected rows are computed here with the
generic filters (`when`, `label`) and `url_for`, the way the templates wrote every cell
before; the pages must show exactly those.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from classroom.models import (
    Attendance,
    AttendanceStatus,
    BookingMode,
    CheckInMethod,
    Device,
    Need,
    Participant,
    Registration,
    RegistrationStatus,
    Role,
    Source,
    utcnow,
)
from classroom.ops.demo import load_demo
from classroom.services import accounts, attendance, registration, sessions
from classroom.services.actor import Actor
from tests.web.conftest import english_client, log_in
from web.formatting import PageFormat, date_label, label, time_range, when


class Rows(HTMLParser):
    """Each <tr> of the first <tbody> (or of `table_class`'s): its cells' text, and its
    links, forms and buttons with the attributes a user acts on."""

    def __init__(self, table_class: str | None = None):
        super().__init__()
        self.table_class, self.in_table, self.in_body = table_class, table_class is None, False
        self.rows: list[dict] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.table_class in (attrs.get("class") or "").split():
            self.in_table = True
        elif tag == "tbody" and self.in_table:
            self.in_body = True
        elif not self.in_body:
            return
        elif tag == "tr":
            self.rows.append({"id": attrs.get("id"), "cells": [], "links": [], "controls": []})
        elif tag == "td":
            self.cell = []
        elif tag == "a":
            self.rows[-1]["links"].append(attrs["href"])
        elif tag == "form":
            self.rows[-1]["controls"].append(("form", attrs["action"], attrs["method"]))
        elif tag in ("button", "input"):
            self.rows[-1]["controls"].append(
                (tag, attrs.get("name"), attrs.get("value"), "aria-pressed" in attrs)
            )

    def handle_endtag(self, tag):
        if tag == "tbody" and self.in_body:
            self.in_body = self.in_table = False
            self.table_class = "done"  # the first matching table only
        elif tag == "td" and self.cell is not None and self.in_body:
            self.rows[-1]["cells"].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def rows_of(html: str, table_class: str | None = None) -> list[dict]:
    parser = Rows(table_class)
    parser.feed(html)
    return parser.rows


@pytest.fixture
def demo(database, staff):
    load_demo(database, now=utcnow())
    with database.write() as db:
        accounts.create_user(
            db,
            login="ja_coordinator",
            role=Role.COORDINATOR,
            password="tsunagu-test-pass",
            display_name="事務",
            language="ja",
            actor=Actor.cli(),
        )
    return database


@pytest.fixture(params=["en", "ja"])
def language(request):
    return request.param


@pytest.fixture
def coordinator_in(app, demo, language):
    client = english_client(app)
    response = log_in(client, "coordinator" if language == "en" else "ja_coordinator")
    assert response.status_code == 302
    return client


def test_the_session_list_shows_each_upcoming_class_as_the_filters_say(
    app, demo, language, coordinator_in
):
    html = coordinator_in.get("/office/sessions").get_data(as_text=True)
    with app.test_request_context(), force_locale(language), demo.read() as db:
        upcoming = sessions.upcoming_sessions(db)
        waiting = registration.waiting_counts(db, [s.id for s in upcoming])
        expected = [
            {
                "id": None,
                "cells": [
                    when(s.starts_at, s.ends_at),
                    s.course.title,
                    s.venue.name,
                    label(s.booking_mode),
                    str(s.capacity),
                    str(s.seats_left) if s.seats_left > 0 else _("Full"),
                    str(waiting.get(s.id, 0)),
                ],
                "links": [url_for("office.session", session_id=s.id)],
                "controls": [],
            }
            for s in upcoming
        ]
        full, lottery = _("Full"), label(BookingMode.LOTTERY)
    shown = rows_of(html)
    assert shown == expected
    # the demo ward has what each cell can show: a full class, a lottery, people waiting
    assert len(shown) >= 9
    assert any(row["cells"][5] == full for row in shown)
    assert any(row["cells"][3] == lottery for row in shown)
    assert any(row["cells"][6] not in ("0", "") for row in shown)
    if language == "ja":
        assert "月" in shown[0]["cells"][0] and "〜" in shown[0]["cells"][0]


def test_the_roster_shows_each_person_with_their_buttons_as_the_filters_say(
    app, demo, language, coordinator_in
):
    with demo.write() as db:
        # the demo's full class (6 seats, 3 waiting): one marked late, one walk-in present
        full = next(
            s
            for s in sessions.upcoming_sessions(db)
            if s.seats_left == 0 and s.booking_mode == BookingMode.FIRST_COME
        )
        session_id = full.id
        seated = db.scalars(
            select(Registration.participant_id)
            .where(
                Registration.session_id == session_id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .order_by(Registration.participant_id)
        ).all()
        # a walk-in known by a reading only (the name shown is the reading, not repeated
        # under it), with characters HTML escapes and two needs
        stranger = Participant(
            reading="オハラ & <コ>",
            reading_key="おはら",
            device=Device.ANDROID,
            needs=[Need.HEARING_AID.value, Need.LOW_VISION.value],
            source=Source.WALK_IN,
        )
        db.add(stranger)
        db.flush()
        for participant_id, status in ((seated[0], "late"), (stranger.id, "present")):
            attendance.mark_attendance(
                db,
                session_id=session_id,
                participant_id=participant_id,
                status=status,
                actor=Actor.system(),
            )
    html = coordinator_in.get(f"/teach/sessions/{session_id}").get_data(as_text=True)
    with app.test_request_context(), force_locale(language), demo.read() as db:
        roster = attendance.roster(db, session_id)
        action = url_for("teach.mark", session_id=session_id)
        late = label(AttendanceStatus.LATE)
        expected = []
        for row in roster:
            present = row["attendance"]
            name_cell = row["name"]
            if present and present.walk_in:
                name_cell += " " + _("Walk-in")
            if row["reading"] and row["reading"] != row["name"]:
                name_cell += row["reading"]
            buttons = [
                ("button", "status", s.value, bool(present and present.status == s))
                for s in AttendanceStatus
            ]
            if present:
                buttons.append(("button", "status", "undo", False))
            expected.append(
                {
                    "id": f"p{row['id']}",
                    "cells": [
                        " ".join(name_cell.split()),
                        label(row["device"]),
                        "、".join(label(n) for n in row["needs"]),
                        label(present.status) if present else "—",
                        " ".join(f"{label(s)} {row['name']}" for s in AttendanceStatus).strip()
                        + (f" {_('Undo')} {row['name']}" if present else ""),
                    ],
                    "links": [],
                    "controls": [
                        ("form", action, "post"),
                        ("input", "participant_id", str(row["id"]), False),
                        *buttons,
                    ],
                }
            )
    shown = rows_of(html, "roster")
    assert [" ".join(r["cells"][4].split()) for r in shown] == [
        " ".join(r["cells"][4].split()) for r in expected
    ]
    assert shown == expected
    assert len(shown) == 7  # six seats and the walk-in
    pressed = [c[2] for r in shown for c in r["controls"] if c[0] == "button" and c[3]]
    assert sorted(pressed) == ["late", "present"]
    assert any(r["cells"][3] == late for r in shown)
    assert any(r["cells"][0].startswith("オハラ & <コ>") for r in shown)
    assert "オハラ &amp; &lt;コ&gt;" in html and "<コ>" not in html


def test_the_page_formatter_says_what_the_filters_say(app):
    """PageFormat (made once per page) and the filters (per cell) give the same text, for
    every language, at the day's edges in Tokyo."""
    moments = [
        datetime(2026, 12, 3, 14, 59, tzinfo=UTC),  # 23:59 in Tokyo
        datetime(2026, 12, 3, 15, 0, tzinfo=UTC),  # midnight in Tokyo: the next day
        datetime(2027, 1, 1, 0, 30, tzinfo=UTC),
    ]
    for locale in ("ja", "en", "zh_Hans", "ko"):
        with app.test_request_context(), force_locale(locale):
            fmt = PageFormat()
            for start in moments:
                end = start + timedelta(minutes=90)
                assert fmt.when(start, end) == when(start, end)
                assert fmt.when(start) == when(start)
                assert fmt.date_label(start) == date_label(start)
                assert fmt.when(start, end).endswith(time_range(start, end))
            for member in [*BookingMode, *Device, *Need, *AttendanceStatus]:
                assert fmt.label(member) == label(member)
            assert [text for _m, _v, text in fmt.choices(AttendanceStatus)] == [
                label(s) for s in AttendanceStatus
            ]
            assert fmt.when(None) == when(None) == ""


def test_the_roster_shows_what_its_own_unit_of_work_has_not_yet_written(demo):
    """The roster is read by one Core statement, which does not flush by itself as an ORM
    query does: a person checked in earlier in the same request is on it all the same."""
    with demo.write() as db:
        session_id = next(s.id for s in sessions.upcoming_sessions(db) if s.seats_left == 0)
        walk_in = Participant(
            reading="ミギワ", reading_key="みぎわ", device=Device.IPHONE, source=Source.WALK_IN
        )
        db.add(walk_in)
        db.flush()
        db.add(
            Attendance(
                session_id=session_id,
                participant_id=walk_in.id,
                status=AttendanceStatus.PRESENT,
                walk_in=True,
                method=CheckInMethod.WALK_IN,
            )
        )  # not flushed
        shown = {row["id"]: row for row in attendance.roster(db, session_id)}
    assert shown[walk_in.id]["attendance"] == (AttendanceStatus.PRESENT, True)
    assert shown[walk_in.id]["name"] == "ミギワ"
