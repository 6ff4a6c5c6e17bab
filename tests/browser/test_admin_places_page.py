"""The venue and course forms with their other languages (issue 14), in Japanese at
1366×768 (a ward office PC): no sideways scrolling, a too-long Korean name refused on its
own field, axe-core with no serious violation, screenshots in test-artifacts/."""

from __future__ import annotations

from classroom.models import Role, Venue
from tests.browser.conftest import PAGE_TIMEOUT_MS, add_staff, assert_accessible, log_in


def test_the_venue_and_course_forms_in_five_languages_at_1366x768(live_server, browser, artifacts):
    with live_server.database.write() as db:
        add_staff(db, "kanri", Role.ADMIN, "管理 太郎")
    base = live_server.url
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        log_in(page, live_server, "kanri")

        page.goto(f"{base}/admin/venues/new")
        page.get_by_label("会場名", exact=True).fill("北地域センター 集会室")
        page.select_option("#kind", "community_centre")
        page.get_by_label("交通案内", exact=True).fill("北駅から徒歩3分")
        page.fill("#capacity", "12")
        page.get_by_label("会場名（韓国語）").fill("관" * 121)
        page.get_by_label("交通案内（韓国語）").fill("기타역에서 걸어서 3분")
        page.get_by_label("会場名（英語）").fill("North Community Centre")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.get_by_role("button", name="保存").click()
        page.wait_for_load_state()
        error = page.locator("#name_ko-error")
        assert "120文字以内で入力してください。" in error.inner_text()
        assert page.locator("#name_ko").get_attribute("aria-invalid") == "true"
        assert page.locator("#access_ko").input_value() == "기타역에서 걸어서 3분"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.screenshot(path=str(artifacts / "admin-venue-form-1366x768-ja.png"), full_page=True)
        assert_accessible(page, "/admin/venues/new (a Korean name too long)")

        page.get_by_label("会場名（韓国語）").fill("북 지역 센터 집회실")
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(f"{base}/admin/venues")
        with live_server.database.read() as db:
            venue = db.query(Venue).filter_by(name="北地域センター 集会室").one()
            assert venue.name_translations == {
                "en": "North Community Centre",
                "ko": "북 지역 센터 집회실",
            }
            assert venue.access_translations == {"ko": "기타역에서 걸어서 3분"}

        page.goto(f"{base}/admin/courses/new")
        assert page.get_by_label("講座名（やさしい日本語）").get_attribute("lang") == "ja"
        assert page.get_by_label("講座名（中国語（簡体字））").get_attribute("lang") == "zh-Hans"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        page.screenshot(path=str(artifacts / "admin-course-form-1366x768-ja.png"), full_page=True)
        assert_accessible(page, "/admin/courses/new")
    finally:
        context.close()
