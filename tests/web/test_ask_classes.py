"""Ask (issue 20): a question about the smartphone classes is answered with the upcoming
classes, on the kiosk API and on /ask; confident answers are counted by their id only, and
the kiosk gets the questions others asked most as short texts, the FAQ's own filling in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from classroom.models import AnsweredQuestion, ClassSession, SessionState
from tests.web.test_api import KioskClient, add_kiosk, api_app  # noqa: F401 - fixture

CLASSES = "スマホ教室 いつ？"


@pytest.fixture
def kiosk(api_app, database):  # noqa: F811 - api_app is the fixture
    return KioskClient(api_app, add_kiosk(database), language="ja")


def asked(kiosk, question, language="ja"):
    response = kiosk.post("/api/v1/ask", {"question": question, "language": language})
    assert response.status_code == 200, response.json
    return response.json


def counted(database):
    with database.read() as db:
        return [
            (r.answer_kind, r.answer_id, r.language, r.count)
            for r in db.scalars(select(AnsweredQuestion).order_by(AnsweredQuestion.id))
        ]


def test_a_question_about_the_classes_gets_the_next_class_of_each_course(kiosk, ward):
    found = asked(kiosk, CLASSES)
    assert found["confident"] is True
    first = found["answers"][0]
    assert first["kind"] == "class" and first["id"] == "intro-iphone"
    assert first["title"] == "スマホ入門（iPhone）"
    # the soonest class: the one in an hour, 11:00 in Tokyo on the ward clock's day
    assert "11:00" in first["text"] and "中央図書館" in first["text"]
    assert len(found["answers"]) <= 3


def test_without_an_upcoming_class_the_answer_says_none_is_planned(kiosk, ward, database):
    with database.write() as db:
        for s in db.scalars(select(ClassSession)):
            s.state = SessionState.CANCELLED
    first = asked(kiosk, CLASSES)["answers"][0]
    assert first["kind"] == "class" and first["id"] == "classes"
    assert "予定" in first["text"]


def test_confident_answers_are_counted_by_id_and_language_only(kiosk, ward, database):
    asked(kiosk, "セブンで住民票とれる？")
    asked(kiosk, "セブンで住民票とれる？")
    asked(kiosk, CLASSES)
    asked(kiosk, "今日の天気は？")  # not confident: not counted here (the unanswered list)
    rows = counted(database)
    assert sum(r[3] for r in rows) == 3
    assert ("class", "classes", "ja", 1) in rows  # the classes, not a course
    assert all(r[2] == "ja" for r in rows)


def test_popular_falls_back_to_the_faq_questions(kiosk):
    response = kiosk.get("/api/v1/ask/popular?language=ja")
    assert response.status_code == 200
    questions = response.json["questions"]
    assert len(questions) == 6
    assert {q["from"] for q in questions} == {"faq"}
    assert all(q["kind"] == "faq" and q["text"] for q in questions)
    # every topic early: the first four come from four topics
    assert len({q["id"].split("/")[0] for q in questions[:4]}) == 4


def test_popular_puts_what_was_asked_three_times_first(kiosk, ward):
    for _ in range(3):
        asked(kiosk, CLASSES)
    for _ in range(2):  # twice only: not shown as asked
        asked(kiosk, "保育料はいくら")
    questions = kiosk.get("/api/v1/ask/popular?language=ja&limit=3").json["questions"]
    assert questions[0] == {
        "kind": "class",
        "id": "classes",
        "text": "スマホ教室はいつありますか？",
        "from": "asked",
    }
    assert [q["from"] for q in questions] == ["asked", "faq", "faq"]
    # another language has its own counts
    english = kiosk.get("/api/v1/ask/popular?language=en&limit=2").json["questions"]
    assert [q["from"] for q in english] == ["faq", "faq"]
    assert all(q["text"].isascii() for q in english)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("language=fr", "language"),
        ("limit=0", "limit"),
        ("limit=13", "limit"),
        ("limit=x", "limit"),
    ],
)
def test_popular_refuses_bad_parameters_with_a_message(kiosk, query, field):
    response = kiosk.get(f"/api/v1/ask/popular?{query}")
    assert response.status_code == 422 and response.json["errors"][field]


def test_the_page_links_a_class_answer_to_its_course_schedule(app, ward):
    html = app.test_client().post("/ask", data={"question": CLASSES}).get_data(as_text=True)
    assert 'href="/?course=intro-iphone"' in html
    assert "スマホ入門（iPhone）" in html
