"""The report page, its CSV for Excel, a resident's privacy requests, the audit trail, imports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from classroom.models import (
    AttendanceStatus,
    AuditEvent,
    Course,
    CourseKind,
    DeviceTrack,
    Participant,
    Source,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import attendance, residents, sessions
from classroom.services.actor import Actor
from classroom.services.reports import fiscal_year_of


@pytest.fixture
def held(database, ward):
    """A class held 20 days ago, at a venue whose name a spreadsheet would run as a formula."""
    with database.write() as db:
        course = Course(
            code="one-point",
            title='LINE, "スタンプ" 講座',
            kind=CourseKind.ONE_POINT,
            device_track=DeviceTrack.ANY,
            title_translations={},
            lesson_ids=[],
        )
        venue = Venue(
            name='=HYPERLINK("http://x")', kind=VenueKind.OTHER, capacity=10, name_translations={}
        )
        db.add_all([course, venue])
        db.flush()
        starts = utcnow() - timedelta(days=20)
        session = sessions.create_session(
            db,
            course_id=course.id,
            venue_id=venue.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=10,
            actor=Actor.system(),
        )
        other = residents.create_participant(
            db, reading="タナカ", consent=True, source=Source.PHONE, actor=Actor.system()
        )
        for pid in (ward.resident_id, other.id):
            attendance.mark_attendance(
                db,
                session_id=session.id,
                participant_id=pid,
                status=AttendanceStatus.PRESENT,
                actor=Actor.system(),
            )
        sessions.mark_held(db, session.id, actor=Actor.system())
        return session.id


def test_the_report_page_has_the_headline_charts_and_tables(as_role, held):
    fy = fiscal_year_of(utcnow() - timedelta(days=20))
    page = as_role("coordinator").get(f"/reports/?fy={fy}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "1 sessions held, 2 participants in total (2 people)" in html
    assert html.count("<figure") >= 2 and "<svg" in html and "<figcaption>" in html
    assert 'role="img"' in html and "<script" not in html.split("<main", 1)[1]
    assert ' style="' not in html  # the CSP allows no inline style
    # the same numbers as a table
    assert re.search(
        r'<th scope="row">LINE, &#34;スタンプ&#34; 講座</th><td>1</td><td>2</td><td>2</td>', html
    )
    # a date range works too, and a bad one is refused
    c = as_role("admin")
    assert c.get("/reports/?from=2020-01-01&until=2020-02-01").status_code == 200
    assert c.get("/reports/?from=2020-02-01&until=2020-01-01").status_code == 400
    assert c.get("/reports/?fy=banana").status_code == 400


def test_the_csv_opens_in_excel_and_runs_no_formula(as_role, held):
    fy = fiscal_year_of(utcnow() - timedelta(days=20))
    response = as_role("coordinator").get(f"/reports/export.csv?fy={fy}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    # quoting: the comma and the quotes stay inside one cell
    assert '"LINE, ""スタンプ"" 講座",1,2,2' in text
    rows = list(csv.reader(io.StringIO(text)))
    venue_cells = [r[0] for r in rows if r and "HYPERLINK" in r[0]]
    assert venue_cells == ['\'=HYPERLINK("http://x")']
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for r in rows for cell in r)
    # Shift_JIS on request
    sjis = as_role("coordinator").get(f"/reports/export.csv?fy={fy}&encoding=cp932")
    assert sjis.headers["Content-Type"] == "text/csv; charset=shift_jis"
    assert "スタンプ" in sjis.data.decode("cp932") and not sjis.data.startswith(b"\xef\xbb\xbf")


def test_cp932_names_the_character_it_cannot_hold(as_role, database, held):
    with database.write() as db:
        db.scalar(select(Course).where(Course.code == "one-point")).title = "𠮷野家で学ぶ"
    fy = fiscal_year_of(utcnow() - timedelta(days=20))
    c = as_role("coordinator")
    response = c.get(f"/reports/export.csv?fy={fy}&encoding=cp932")
    assert response.status_code == 302
    page = c.get(response.location).get_data(as_text=True)
    assert "𠮷" in page and "U+20BB7" in page and "Shift_JIS" in page
    assert c.get(f"/reports/export.csv?fy={fy}&encoding=latin-1").status_code == 400


def test_export_and_erase_a_resident_from_the_web(as_role, database, ward, held, staff):
    c = as_role("coordinator")
    # the resident's own page leads to their privacy requests
    resident_page = c.get(f"/office/residents/{ward.resident_id}").get_data(as_text=True)
    assert f"/reports/residents/{ward.resident_id}/privacy" in resident_page
    page = c.get(f"/reports/residents/{ward.resident_id}/privacy").get_data(as_text=True)
    assert "山田" in page and "Erase" in page
    data = json.loads(c.get(f"/reports/residents/{ward.resident_id}/export.json").data)
    assert data["participant"]["phone"] == "090-1234-5678" and len(data["attendance"]) == 1
    body = c.get(f"/reports/residents/{ward.resident_id}/export.csv").data
    assert body.startswith(b"\xef\xbb\xbf") and "山田".encode() in body
    with database.read() as db:
        exports = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.export")
        ).all()
        assert [(e.actor_id, e.participant_id) for e in exports] == [
            (staff.coordinator, ward.resident_id)
        ] * 2
        assert exports[0].remote_addr

    # not confirmed: nothing happens
    assert c.post(f"/reports/residents/{ward.resident_id}/erase", data={}).status_code == 422
    with database.read() as db:
        assert db.get(Participant, ward.resident_id).erased_at is None
    response = c.post(f"/reports/residents/{ward.resident_id}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    with database.read() as db:
        p = db.get(Participant, ward.resident_id)
        assert p.erased_at is not None and p.phone == "" and p.family_name == ""
    assert c.get(f"/reports/residents/{ward.resident_id}/privacy").status_code == 404
    fy = fiscal_year_of(utcnow() - timedelta(days=20))
    assert "2 participants in total (2 people)" in c.get(f"/reports/?fy={fy}").get_data(
        as_text=True
    )


def test_the_audit_trail_filters_and_cannot_be_edited(app, as_role, ward, staff):
    c = as_role("coordinator")
    c.get(f"/office/residents/{ward.resident_id}")
    c.get(f"/reports/residents/{ward.resident_id}/export.json")
    admin = as_role("admin")
    html = admin.get(
        f"/reports/audit?participant={ward.resident_id}&action=participant.export"
    ).get_data(as_text=True)
    assert "participant.export" in html and "Coordinator (coordinator)" in html
    assert "participant.view</code>" not in html
    html = admin.get(f"/reports/audit?participant={ward.resident_id}").get_data(as_text=True)
    assert "participant.view</code>" in html and "participant.create</code>" in html
    assert admin.get("/reports/audit?participant=abc").status_code == 400
    assert c.get("/reports/audit").status_code == 403
    # append-only: no route under /reports/audit takes anything but GET
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


HEADER = "姓,名,ふりがな,電話番号,生まれ年,スマホ,配慮,メモ,同意,講座コード,開始日時\r\n"


def test_import_previews_then_writes_all_rows(as_role, database):
    c = as_role("coordinator")
    assert "ふりがな" in c.get("/reports/import").get_data(as_text=True)
    template = c.get("/reports/import/template.csv").data
    assert template.startswith(b"\xef\xbb\xbf")

    bad = (HEADER + "佐藤,,サトウ,,,,,,はい,,\r\n鈴木,,Suzuki,,,,,,はい,,\r\n").encode("cp932")
    response = c.post(
        "/reports/import",
        data={"file": (io.BytesIO(bad), "old.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "nothing was imported" in html and "kana" in html and "Import these rows" not in html
    with database.read() as db:
        assert db.scalar(select(func.count(Participant.id))) == 0

    good = (HEADER + "佐藤,一郎,サトウ イチロウ,03-1234-0000,1945,android,,,はい,,\r\n").encode(
        "utf-8-sig"
    )
    response = c.post(
        "/reports/import",
        data={"file": (io.BytesIO(good), "old.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', html).group(1)
    with database.read() as db:
        assert db.scalar(select(func.count(Participant.id))) == 0, "a preview writes nothing"
    done = c.post("/reports/import/apply", data={"payload": payload})
    assert done.status_code == 302
    with database.read() as db:
        assert db.scalars(select(Participant.reading_key)).all() == ["さとういちろう"]
    assert c.post("/reports/import/apply", data={"payload": "%%%"}).status_code == 400
