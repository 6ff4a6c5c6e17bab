"""The report page, its CSV for Excel, a resident's privacy requests, the audit trail, imports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from classroom.models import (
    AttendanceStatus,
    AuditEvent,
    Course,
    CourseKind,
    DeviceTrack,
    Participant,
    ReportPersonYear,
    Source,
    User,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import attendance, report_figures, residents, sessions
from classroom.services.actor import Actor
from classroom.services.reports import fiscal_year_of, fiscal_year_report


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
    # a date range works too, and a bad one is refused on the form (see below)
    c = as_role("admin")
    assert c.get("/reports/?from=2020-01-01&until=2020-02-01").status_code == 200
    assert c.get("/reports/?from=2020-02-01&until=2020-01-01").status_code == 422
    assert c.get("/reports/?fy=banana").status_code == 422


@pytest.fixture
def last_evening(database, ward):
    """A class held from 23:00 to 23:50 on 31 March 2026 in Tokyo, the last evening of FY2025."""
    with database.write() as db:
        starts = datetime(2026, 3, 31, 14, 0, tzinfo=UTC)
        session = sessions.create_session(
            db,
            course_id=ward.course_id,
            venue_id=ward.venue_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            capacity=10,
            actor=Actor.system(),
            now=starts - timedelta(days=30),
        )
        attendance.mark_attendance(
            db,
            session_id=session.id,
            participant_id=ward.resident_id,
            status=AttendanceStatus.PRESENT,
            actor=Actor.system(),
        )
        sessions.mark_held(db, session.id, actor=Actor.system())


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_last_day_chosen_counts_whole_on_the_page_and_in_the_csv(as_role, last_evening):
    c = as_role("coordinator")
    period = "from=2025-04-01&until=2026-03-31"
    html = c.get(f"/reports/?{period}").get_data(as_text=True)
    assert "Until (included)" in html
    assert "2025-04-01 to 2026-03-31: 1 sessions held, 1 participants in total (1 people)" in html
    rows = csv_rows(c.get(f"/reports/export.csv?{period}"))
    assert ["Until (included)", "2026-03-31"] in rows and ["Sessions held", "1"] in rows
    # the same as the fiscal year, and one day alone
    assert ["Sessions held", "1"] in csv_rows(c.get("/reports/export.csv?fy=2025"))
    one_day = c.get("/reports/?from=2026-03-31&until=2026-03-31")
    assert one_day.status_code == 200
    assert "1 sessions held" in one_day.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-04-01&until=2026-03-31", "until", "The last day is before the first day"),
        ("from=2026-04-01&until=2026-13-01", "until", "YYYY-MM-DD"),
        ("from=&until=2026-03-31", "from", "Please enter both dates."),
        ("from=1900-04-01&until=2026-03-31", "from", "between 2000 and 2100"),
        ("fy=banana", "fy", "Please choose a fiscal year from the list."),
    ],
)
def test_a_wrong_period_is_a_form_error_on_its_field(as_role, ward, query, field, message):
    c = as_role("coordinator")
    for path in ("/reports/", "/reports/export.csv"):
        response = c.get(f"{path}?{query}")
        assert response.status_code == 422
        assert response.content_type.startswith("text/html")
        html = response.get_data(as_text=True)
        error = re.search(rf'<p class="error" id="{field}-error"[^>]*>(.*?)</p>', html, re.S)
        assert error and message in error.group(1)
        assert re.search(rf'id="{field}"[^>]*aria-describedby="{field}-error"', html)
    if field != "fy":
        # the dates typed stay in their fields
        until = re.search(r'id="until" name="until" value="([^"]*)"', html).group(1)
        assert until == dict(p.split("=") for p in query.split("&"))["until"]


def test_the_year_list_names_fiscal_years_by_reiwa(as_role, database, staff, ward):
    c = as_role("coordinator")
    html = c.get("/reports/").get_data(as_text=True)
    assert '<option value="2026" selected>FY2026 (Reiwa 8)</option>' in html
    with database.write() as db:
        db.get(User, staff.coordinator).language = "ja"
    html = c.get("/reports/").get_data(as_text=True)
    assert '<option value="2026" selected>令和8年度</option>' in html
    assert '<option value="2021" >令和3年度</option>' in html


def test_months_run_april_to_march_with_zeros_on_the_page_and_in_the_csv(
    as_role, database, staff, last_evening
):
    with database.write() as db:
        db.get(User, staff.coordinator).language = "ja"
    c = as_role("coordinator")
    rows = csv_rows(c.get("/reports/export.csv?fy=2025"))
    months = rows[[r[0] if r else "" for r in rows].index("月別") + 1 :][:12]
    assert [r[0] for r in months] == [f"{m}月" for m in (*range(4, 13), 1, 2, 3)]
    assert [r[1:] for r in months] == [["0", "0", "0"]] * 11 + [["1", "1", "1"]]
    html = c.get("/reports/?fy=2025").get_data(as_text=True)
    page_months = re.findall(r'<th scope="row">(\d+月)</th>', html)
    assert page_months == [f"{m}月" for m in (*range(4, 13), 1, 2, 3)]


def test_age_bands_are_named_in_japanese(as_role, database, staff, last_evening):
    with database.write() as db:
        db.get(User, staff.coordinator).language = "ja"
    c = as_role("coordinator")
    rows = csv_rows(c.get("/reports/export.csv?fy=2025"))
    bands = rows[[r[0] if r else "" for r in rows].index("年代別") + 1 :][:4]
    # 山田 花子 (born 1948) was 78 on 31 March 2026
    assert bands == [
        ["64歳以下", "0", "0", "0"],
        ["65〜74歳", "0", "0", "0"],
        ["75〜84歳", "1", "1", "1"],
        ["85歳以上", "0", "0", "0"],
    ]
    html = c.get("/reports/?fy=2025").get_data(as_text=True)
    assert '<th scope="row">64歳以下</th>' in html and "&#39;-64" not in html


def test_the_two_csv_files_have_their_own_names(as_role, database, staff, ward):
    c = as_role("coordinator")
    html = c.get("/reports/?fy=2025").get_data(as_text=True)
    links = re.findall(r'href="(/reports/export\.csv[^"]*)"', html)
    assert len(links) == 2
    names = [c.get(link.replace("&amp;", "&")).headers["Content-Disposition"] for link in links]
    assert names[0] != names[1]
    assert 'filename="tsunagu-report-2025-utf8.csv"' in names[0]
    assert 'filename="tsunagu-report-2025-shift_jis.csv"' in names[1]
    with database.write() as db:
        db.get(User, staff.coordinator).language = "ja"
    japanese = c.get("/reports/export.csv?fy=2025&encoding=cp932").headers["Content-Disposition"]
    assert "filename*=UTF-8''" in japanese
    assert unquote(japanese.split("filename*=UTF-8''")[1]) == "実績報告_令和7年度_ShiftJIS.csv"
    ranged = c.get("/reports/export.csv?from=2026-04-01&until=2026-06-30").headers
    assert 'filename="tsunagu-report-20260401-20260630-utf8.csv"' in ranged["Content-Disposition"]


def test_the_page_brings_the_kept_year_figures_up_to_date(as_role, held, ward, database):
    """The marks taken noted the class and its two people stale (the triggers); showing the
    year counts them into the kept figures. A mark taken back afterwards counts at once:
    in the report before any refresh (its person counted from attendance), and on the page."""
    fy = fiscal_year_of(utcnow() - timedelta(days=20))
    with database.read() as db:
        assert report_figures.anything_stale(db)
    page = as_role("coordinator").get(f"/reports/?fy={fy}")
    assert "1 sessions held, 2 participants in total (2 people)" in page.get_data(as_text=True)
    with database.read() as db:
        assert not report_figures.anything_stale(db)
        kept = db.execute(
            select(ReportPersonYear.breakdown, func.count(), func.sum(ReportPersonYear.attendances))
            .where(ReportPersonYear.fiscal_year == fy)
            .group_by(ReportPersonYear.breakdown)
        ).all()
    assert sorted(kept) == [(b, 2, 2) for b in ("age_band", "course", "device", "month", "venue")]
    with database.write() as db:
        attendance.mark_attendance(
            db,
            session_id=held,
            participant_id=ward.resident_id,
            status=AttendanceStatus.ABSENT,
            actor=Actor.system(),
        )
    with database.read() as db:
        assert report_figures.anything_stale(db)
        assert fiscal_year_report(db, fy).participants == 1
    html = as_role("coordinator").get(f"/reports/?fy={fy}").get_data(as_text=True)
    assert "1 sessions held, 1 participants in total (1 people)" in html


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
