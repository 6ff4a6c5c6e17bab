"""The new コンビニ交付 guide on the public page (Japanese, and Korean with the notice that
parts are in Japanese), and the staff page of content due for review: screenshots in
test-artifacts/ and axe-core with no serious violation."""

from __future__ import annotations

from classroom.models import Role
from classroom.services import accounts
from classroom.services.actor import Actor
from tests.browser.conftest import assert_accessible

PASSWORD = "content-review-password-2026"


def test_the_konbini_guide_in_japanese_and_in_korean(live_server, page, artifacts):
    page.goto(f"{live_server.url}/guides/konbini")
    assert page.locator("h1").inner_text() == "コンビニで住民票の写しを受け取る（コンビニ交付）"
    assert page.locator(".notice--language").count() == 0
    assert "3回まちがえるとロックされます" in page.content()
    page.screenshot(path=str(artifacts / "public-guide-konbini-ja.png"), full_page=True)
    assert_accessible(page, "/guides/konbini (ja)")

    page.context.add_cookies([{"name": "lang", "value": "ko", "url": live_server.url}])
    page.goto(f"{live_server.url}/guides/konbini")
    assert page.locator("h1").inner_text() == "편의점에서 주민표 사본 받기"
    notice = page.locator(".notice--language")
    assert "한국어" in notice.inner_text() and "일본어" in notice.inner_text()
    # the untranslated texts are the Japanese ones, marked as Japanese
    assert page.locator('.steps [lang="ja"]').count() > 0
    assert "Tap" not in page.locator(".steps").inner_text()
    page.screenshot(path=str(artifacts / "public-guide-konbini-ko.png"), full_page=True)
    assert_accessible(page, "/guides/konbini (ko)")


def test_the_content_review_page_is_in_the_menu_and_accessible(live_server, page, artifacts):
    with live_server.database.write() as db:
        accounts.create_user(
            db,
            login="hensyu",
            role=Role.COORDINATOR,
            password=PASSWORD,
            display_name="編集 さん",
            language="ja",
            actor=Actor.cli(),
        )
    page.goto(f"{live_server.url}/login")
    page.fill("#login", "hensyu")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="コンテンツ").click()
    assert page.locator("h1").inner_text() == "見直しが必要なコンテンツ"
    page.screenshot(path=str(artifacts / "staff-content-review.png"), full_page=True)
    assert_accessible(page, "/office/content")
