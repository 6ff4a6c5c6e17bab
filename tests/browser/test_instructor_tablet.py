"""An instructor's tablet (1024×768 landscape, 768×1024 upright): the roster's names stay on
one line and the roster starts on the first screen, below the scan field.

Screenshots go to test-artifacts/instructor-tablet-*.png; axe checks each state.
"""

from __future__ import annotations

import pytest

from classroom.models import Device, Need, Source
from classroom.services import registration, residents
from classroom.services.actor import Actor
from tests.browser.conftest import assert_accessible
from tests.browser.test_instructor import log_in, today_class  # noqa: F401 (a fixture)

#: long but real names and readings, the kind that wrapped on a tablet
LONG_NAMES = [
    (
        "長谷川",
        "喜代子",
        "ハセガワ キヨコ",
        Device.SENIOR,
        [Need.HEARING_AID, Need.LARGE_PRINT, Need.LOANER_PHONE],
    ),
    ("勅使河原", "左衛門三郎", "テシガワラ サエモンサブロウ", Device.ANDROID, [Need.LARGE_PRINT]),
    ("小比類巻", "美知留", "コヒルイマキ ミチル", Device.IPHONE, []),
]


@pytest.fixture
def full_class(live_server, today_class):  # noqa: F811 (the fixture above)
    session_id, people = today_class
    with live_server.database.write() as db:
        for family, given, reading, device, needs in LONG_NAMES:
            person = residents.create_participant(
                db,
                family_name=family,
                given_name=given,
                reading=reading,
                phone="",
                device=device,
                needs=[n.value for n in needs],
                consent=True,
                source=Source.PHONE,
                actor=Actor.system(),
            )
            registration.register(
                db,
                session_id=session_id,
                participant_id=person.id,
                source=Source.PHONE,
                actor=Actor.system(),
            )
    return session_id


@pytest.mark.parametrize("width, height", [(1024, 768), (768, 1024)])
def test_on_a_tablet_names_stay_on_one_line_and_the_roster_is_on_the_first_screen(
    browser, live_server, full_class, artifacts, width, height
):
    context = browser.new_context(
        locale="ja-JP", viewport={"width": width, "height": height}, has_touch=True
    )
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/teach/sessions/{full_class}")
    page.screenshot(path=str(artifacts / f"instructor-tablet-{width}x{height}.png"))
    # one line: each name cell's text is no taller than one line of its font
    for name_cell in page.locator("table.roster tbody .roster__name").all():
        lines = name_cell.evaluate(
            """e => { const r = document.createRange(); r.selectNodeContents(e.querySelector('.roster__person'));
                      const h = parseFloat(getComputedStyle(e).lineHeight);
                      return r.getBoundingClientRect().height / h; }"""
        )
        assert lines < 1.5, (name_cell.inner_text(), lines)
    # the scan field and the first roster row are on the first screen, no scrolling
    first_row = page.locator("table.roster tbody tr").first.bounding_box()
    code = page.locator("#code").bounding_box()
    assert code["y"] + code["height"] <= height
    assert first_row["y"] + first_row["height"] <= height, first_row
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    assert_accessible(page, f"check-in page on a {width}×{height} tablet")
    context.close()


def test_an_instructor_corrects_and_deletes_a_typed_in_questionnaire(
    browser, live_server, full_class, artifacts
):
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 1024, "height": 768}, has_touch=True
    )
    page = context.new_page()
    log_in(page, live_server.url)
    base = f"{live_server.url}/teach/sessions/{full_class}/questionnaires"
    page.goto(base)
    for score in ("5", "2", "5"):
        page.locator(f"label[for='satisfaction-{int(score) - 1}']").click()
        with page.expect_navigation():
            page.get_by_role("button", name="保存").click()
    assert "用紙番号 3 として保存しました" in page.locator(".messages").inner_text()
    table = page.locator("table").last
    assert table.locator("th").first.inner_text() == "用紙番号"
    # form no. 2 was typed wrong: 2 → 4
    with page.expect_navigation():
        table.get_by_role("link", name="訂正 用紙番号 2").click()
    assert_accessible(page, "questionnaire correction")
    page.screenshot(path=str(artifacts / "instructor-questionnaire-correct.png"))
    page.locator("label[for='satisfaction-3']").click()
    with page.expect_navigation():
        page.get_by_role("button", name="訂正を保存").click()
    assert "用紙番号 2 を訂正しました。" in page.locator(".messages").inner_text()
    # form no. 3 was typed twice: delete it, after the confirmation page
    with page.expect_navigation():
        page.locator("table").last.get_by_role("link", name="削除 用紙番号 3").click()
    assert page.locator("h1").inner_text() == "用紙番号 3 を削除しますか？"
    assert_accessible(page, "questionnaire deletion")
    page.screenshot(path=str(artifacts / "instructor-questionnaire-delete.png"))
    with page.expect_navigation():
        page.get_by_role("button", name="用紙番号 3 を削除する").click()
    assert "用紙番号 3 を削除しました。" in page.locator(".messages").inner_text()
    assert "4.5" in page.locator("#average").inner_text()
    numbers = page.locator("table").last.locator("tbody tr td:first-child").all_inner_texts()
    assert numbers == ["1", "2"]
    page.screenshot(path=str(artifacts / "instructor-questionnaires.png"), full_page=True)
    assert_accessible(page, "questionnaires after a correction and a deletion")
    context.close()
