"""Questions without a sure answer (issue 20): kept from /ask and the kiosk API without a
name, listed for coordinators with counts, exported with an audit event; the page tells
residents in five languages."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, UnansweredQuestion
from tests.web.test_api import KioskClient, add_kiosk

NOT_SURE = "今日の天気は？"
SURE = "セブンで住民票とれる？"


def kept(database):
    with database.read() as db:
        return [
            (r.text, r.language, r.place, r.day, r.count)
            for r in db.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id))
        ]


def ask(app, question, lang=None):
    visitor = app.test_client()
    if lang:
        visitor.set_cookie("lang", lang)
    response = visitor.post("/ask", data={"question": question})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_only_questions_without_a_sure_answer_are_kept(app, database):
    ask(app, SURE)
    assert kept(database) == []
    ask(app, NOT_SURE)
    ask(app, NOT_SURE)
    ask(app, "weather today 090-1234-5678", "en")
    assert kept(database) == [
        ("今日の天気は?", "ja", "/ask", date(2026, 12, 4), 2),
        ("weather today [phone]", "en", "/ask", date(2026, 12, 4), 1),
    ]


def test_refused_questions_are_not_kept(app, database):
    for question in ("", "   ", "あ" * 10_000, "\x00\x1b"):
        ask(app, question)
    assert kept(database) == []


def test_the_kiosk_api_keeps_the_location_never_the_kiosk(app, database):
    token = add_kiosk(database, name="lib-7", location="中央図書館 1階 入口")
    kiosk = KioskClient(app, token)
    assert kiosk.post("/api/v1/ask", {"question": SURE}).json["confident"] is True
    assert kiosk.post("/api/v1/ask", {"question": NOT_SURE}).json["confident"] is False
    assert kiosk.post("/api/v1/ask", {"question": "x" * 201}).status_code == 422
    rows = kept(database)
    assert rows == [("今日の天気は?", "ja", "中央図書館 1階 入口", date(2026, 12, 4), 1)]
    assert all("lib-7" not in str(v) and token not in str(v) for v in rows[0])


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("ja", "名前"),
        ("ja-easy", "名前"),  # やさしい日本語 pages use the ja catalog
        ("en", "kept without your name"),
        ("zh-Hans", "姓名"),
        ("ko", "이름"),
    ],
)
def test_the_page_says_questions_are_kept_without_a_name(app, lang, notice):
    visitor = app.test_client()
    visitor.set_cookie("lang", lang)
    html = visitor.get("/ask").get_data(as_text=True)
    kept_notice = html.split('class="ask__kept"', 1)[1].split("</p>", 1)[0]
    assert notice in kept_notice


def test_coordinators_see_the_list_with_counts(app, database, coordinator):
    ask(app, NOT_SURE)
    ask(app, NOT_SURE)
    ask(app, "粗大ごみの出し方")
    page = coordinator.get("/office/unanswered?order=most")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("今日の天気は?") < html.index("粗大ごみの出し方")
    assert "2 different questions, asked 3 times" in html
    assert coordinator.get("/office/content").get_data(as_text=True).count("/office/unanswered")


@pytest.mark.parametrize("query", ["period=3", "period=abc", "order=random", "period=%00"])
def test_a_bad_choice_gets_a_message_not_a_crash(coordinator, query):
    page = coordinator.get(f"/office/unanswered?{query}")
    assert page.status_code == 422 and 'role="alert"' in page.get_data(as_text=True)
    assert coordinator.get(f"/office/unanswered.csv?{query}").status_code == 400


def test_the_export_is_audited_and_names_nobody(app, database, coordinator):
    ask(app, NOT_SURE)
    response = coordinator.get("/office/unanswered.csv?period=7")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Question", "Language", "Times asked", "First day", "Last day", "Where"]
    assert rows[1] == ["今日の天気は?", "ja", "1", "2026-12-04", "2026-12-04", "/ask (1)"]
    with database.read() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "unanswered.export")).one()
    assert event.details == {"from": "2026-11-28", "until": "2026-12-04", "rows": 1}


def test_a_question_shift_jis_cannot_hold_is_refused_with_a_message(app, coordinator):
    ask(app, "天気😀")
    response = coordinator.get("/office/unanswered.csv?encoding=cp932")
    assert response.status_code == 302
    html = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Shift_JIS" in html


# -- the question box on the schedule and guide pages, and the menu link ------------------


@pytest.mark.parametrize("path", ["/", "/guides/juminhyo"])
def test_the_schedule_and_guides_have_a_question_box_that_works_without_a_cookie(
    database, tmp_path, ward, path
):
    from tests.web.conftest import build_app

    app = build_app(database, tmp_path, WTF_CSRF_ENABLED=True)
    visitor = app.test_client()
    response = visitor.get(path)
    html = response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "session" not in response.headers["Set-Cookie"]
    box = html.split('<section class="ask-box"', 1)[1].split("</section>", 1)[0]
    assert '<form method="post" action="/ask">' in box and 'name="question"' in box
    assert 'maxlength="200"' in box and "<script" not in box
    assert '<a href="/ask"' in html.split('class="menu"', 1)[1].split("</nav>", 1)[0]
    # the box posts without a CSRF token, and the answer sets no session cookie either
    answer = visitor.post("/ask", data={"question": SURE})
    assert answer.status_code == 200
    assert "コンビニ" in answer.get_data(as_text=True)
    assert "tsunagu_session" not in answer.headers.get("Set-Cookie", "")
