"""/ask (issue 20): a resident's question answered on a plain form, in five languages."""

from __future__ import annotations

import re
import shutil

import pytest

from content.loader import CONTENT_DIR


@pytest.fixture
def visitor(app):
    """A resident's browser: no cookies, no Accept-Language (the site starts in Japanese)."""
    return app.test_client()


def asked(visitor, question: str, lang: str | None = None) -> str:
    if lang:
        visitor.set_cookie("lang", lang)
    response = visitor.post("/ask", data={"question": question})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_form_works_without_javascript(visitor):
    html = visitor.get("/ask").get_data(as_text=True)
    assert '<form class="ask__form" method="post" action="/ask">' in html
    assert '<label for="question">' in html and 'name="question"' in html
    assert "<script" not in html


def test_answers_link_to_the_guide_pages(visitor):
    html = asked(visitor, "セブンで住民票とれる？")
    assert 'href="/guides/konbini"' in html
    assert "コンビニで住民票の写しを取れますか？" in html


def test_not_sure_gives_the_ward_office_phone_and_hours(visitor):
    html = asked(visitor, "今日の天気は？")
    assert 'href="tel:0300000000"' in html  # ward.phone of the sample settings
    assert "午前8時30分" in html or "8:30" in html  # ward.office_hours
    assert "/guides/" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(
    ("lang", "question", "expected"),
    [
        ("ja-easy", "ほいくえん　おちた", "ほいくえん"),
        ("en", "lost my my number card", "I lost my My Number Card."),
        ("zh-Hans", "便利店能开住民票吗", "便利店"),
        ("ko", "편의점에서 주민표", "편의점"),
    ],
)
def test_five_languages(visitor, lang, question, expected):
    html = asked(visitor, question, lang)
    assert expected in html
    assert re.search(r'<html lang="([^"]+)"', html).group(1) == {"ja-easy": "ja"}.get(lang, lang)


@pytest.mark.parametrize("question", ["", "   ", "\x00\x1b", "あ" * 10_000])
def test_bad_questions_get_a_message_not_a_crash(visitor, question):
    html = asked(visitor, question, "en")
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert "Type a question." in html or "at most 200 characters" in html


def test_the_error_is_in_the_visitors_language(visitor):
    assert "質問を入力してください。" in asked(visitor, " ", "ja")


def test_broken_content_says_so_and_gives_the_counter(visitor, app, tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "faq").mkdir()
    (tmp_path / "broken" / "faq" / "x.yaml").write_text("id: [\n", encoding="utf-8")
    # the ward's settings are intact: the page gives the counter's phone from them
    shutil.copy(CONTENT_DIR / "settings.sample.yaml", tmp_path / "broken")
    app.config["CONTENT_DIR"] = str(tmp_path / "broken")
    html = asked(visitor, "住民票", "en")
    assert "not available just now" in html and 'href="tel:0300000000"' in html


def teaches(database, course_id: int, lesson_ids: list[str]) -> None:
    from classroom.models import Course

    with database.write() as db:
        db.get(Course, course_id).lesson_ids = lesson_ids


def test_a_lesson_answer_links_to_the_classes_that_teach_it(visitor, database, ward):
    teaches(database, ward.course_id, ["line-basics"])
    html = asked(visitor, "LINEの使い方 ビデオ通話")
    assert f'href="/?course={ward.course_id}"' in html and "スマホ入門（iPhone）" in html


def test_no_class_link_when_no_course_teaches_the_lesson(visitor, database, ward):
    teaches(database, ward.course_id, ["maps"])
    assert "/?course=" not in asked(visitor, "LINEの使い方 ビデオ通話")
