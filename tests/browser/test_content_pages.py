"""The new コンビニ交付 guide on the public page in five languages, a guide not yet in
Korean (a notice in Korean, the Japanese text), and the staff page of content due for review: screenshots in
test-artifacts/ and axe-core with no serious violation."""

from __future__ import annotations

from classroom.models import Role
from tests.browser.conftest import add_staff, assert_accessible, log_in
from tests.web.test_public import juminhyo_without_chinese_and_korean

KONBINI_TITLES = {
    "ja": "コンビニで住民票の写しを受け取る（コンビニ交付）",
    "ja-easy": "コンビニで　じゅうみんひょうを　もらう",
    "en": "Get a copy of your resident record at a convenience store",
    "zh-Hans": "在便利店领取住民票副本",
    "ko": "편의점에서 주민표 사본 받기",
}


def test_the_konbini_guide_in_all_five_languages(live_server, page, artifacts):
    for code, title in KONBINI_TITLES.items():
        page.context.add_cookies([{"name": "lang", "value": code, "url": live_server.url}])
        page.goto(f"{live_server.url}/guides/konbini")
        assert page.locator("h1").inner_text() == title
        assert page.locator(".notice--language").count() == 0  # written in every language
        page.screenshot(path=str(artifacts / f"public-guide-konbini-{code}.png"), full_page=True)
        if code in ("ja", "ko"):
            assert_accessible(page, f"/guides/konbini ({code})")
    assert "숫자 4자리 비밀번호를 3번 틀리면 잠깁니다." in page.content()


def test_a_guide_missing_korean_says_so_in_korean_and_shows_japanese(
    live_server, page, artifacts, monkeypatch
):
    # the shipped guides are written in all five languages: this one loses a Korean text
    juminhyo_without_chinese_and_korean(monkeypatch)
    page.context.add_cookies([{"name": "lang", "value": "ko", "url": live_server.url}])
    page.goto(f"{live_server.url}/guides/juminhyo")
    notice = page.locator(".notice--language")
    assert "한국어" in notice.inner_text() and "일본어" in notice.inner_text()
    # the untranslated texts are the Japanese ones, marked as Japanese, not the English
    bring = page.locator('section[aria-labelledby="bring-title"]')
    assert bring.locator('[lang="ja"]').first.inner_text() == "マイナンバーカード"
    assert "My Number Card" not in bring.inner_text()
    page.screenshot(path=str(artifacts / "public-guide-juminhyo-ko.png"), full_page=True)
    assert_accessible(page, "/guides/juminhyo (ko)")


def test_the_content_review_page_is_in_the_menu_and_accessible(live_server, page, artifacts):
    with live_server.database.write() as db:
        add_staff(db, "hensyu", Role.COORDINATOR, "編集 さん")
    log_in(page, live_server, "hensyu")
    page.get_by_role("link", name="内容の点検").click()
    assert page.locator("h1").inner_text() == "見直しが必要なコンテンツ"
    page.screenshot(path=str(artifacts / "staff-content-review.png"), full_page=True)
    assert_accessible(page, "/office/content")
