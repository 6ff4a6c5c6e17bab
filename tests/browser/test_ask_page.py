"""/ask in a real browser (issue 20): the form without JavaScript, answers and the "not
sure" message in five languages, axe-clean, on a 320 px phone too."""

from __future__ import annotations

import re

import pytest

from .conftest import assert_accessible

#: (content code, a question in it, text the best answer shows)
QUESTIONS = [
    ("ja", "日本語", "コンビニで住民票とれる？何時まで", "コンビニで住民票の写しを取れますか？"),
    ("ja-easy", "やさしい日本語", "ほいくえん おちた", "ほいくえんに"),
    ("en", "English", "lost my my number card", "I lost my My Number Card."),
    ("zh-Hans", "中文", "便利店能开住民票吗", "便利店"),
    ("ko", "한국어", "편의점에서 주민표", "편의점"),
]


def choose_language(page, name: str) -> None:
    page.get_by_role("navigation", name=re.compile("Language|言語|语言|언어")).get_by_role(
        "link", name=name, exact=True
    ).click()
    page.wait_for_load_state()


def asked(browser, url: str, name: str, question: str, javascript: bool):
    """A new tab that chose the language `name` on /ask and asked `question` there."""
    context = browser.new_context(
        locale="ja-JP", java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(url + "/ask")
    choose_language(page, name)
    page.locator("#question").fill(question)
    page.locator("form.ask__form button[type=submit]").click()
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize(
    ("code", "name", "question", "shown"), QUESTIONS, ids=[q[0] for q in QUESTIONS]
)
def test_asking_in_each_language_without_javascript(
    live_server, browser, code, name, question, shown
):
    context, page = asked(browser, live_server.url, name, question, javascript=False)
    assert shown in page.locator("main").inner_text()
    context.close()
    # axe needs script: the same page again, with it
    context, page = asked(browser, live_server.url, name, question, javascript=True)
    assert_accessible(page, f"/ask answers ({code})")
    context.close()


def test_not_sure_and_an_error_are_accessible_on_a_small_phone(live_server, browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/ask")
    assert_accessible(page, "/ask empty")
    page.locator("#question").fill("今日の天気は？")
    page.locator("form.ask__form button[type=submit]").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "確かな答えが見つかりませんでした" in main and "03-0000-0000" in main
    assert_accessible(page, "/ask not sure")
    page.locator("#question").fill("   ")
    page.evaluate("document.querySelector('#question').removeAttribute('required')")
    page.locator("form.ask__form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").inner_text() == "質問を入力してください。"
    assert_accessible(page, "/ask error")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
