"""Issue 20 end to end in a real browser: residents type a question the ward has no
answer for in the box at the foot of the class schedule; the page says so plainly and
gives the counter's phone; a coordinator then finds it in /office/unanswered, counted."""

from __future__ import annotations

from classroom.models import Role

from .conftest import add_staff, assert_accessible, log_in

#: out of scope: the ward's content has nothing on bulky refuse
QUESTION = "粗大ごみの出し方を知りたい"


def ask_on_the_schedule(browser, url: str) -> str:
    """A resident's own browser (no login, no cookie): the schedule, the box, the answer."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url + "/")
    box = page.get_by_role("region", name="質問する").or_(page.locator(".ask-box"))
    box.first.get_by_label("質問").fill(QUESTION)
    with page.expect_navigation():
        box.first.locator("button[type=submit]").click()
    main = page.locator("main").inner_text()
    assert_accessible(page, "/ask not sure, from the schedule")
    context.close()
    return main


def test_an_unanswered_question_reaches_the_coordinators_list(live_server, browser, page):
    for _resident in range(2):
        main = ask_on_the_schedule(browser, live_server.url)
        assert "確かな答えが見つかりませんでした" in main
        assert "窓口" in main or "区役所" in main
        assert "03-0000-0000" in main  # the counter's phone (sample settings)
        assert "名前" in main  # kept without the asker's name, and the page says so

    with live_server.database.write() as db:
        add_staff(db, "sato", Role.COORDINATOR, "佐藤 coordinator")
    log_in(page, live_server, "sato")
    page.goto(live_server.url + "/office/unanswered")
    row = page.locator("tbody tr", has_text=QUESTION)
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == QUESTION and cells[1] == "ja"
    assert cells[2].strip() == "2"  # both residents' askings, one line
    assert "/ask (2)" in cells[4]
    assert_accessible(page, "/office/unanswered")
