"""The administrators' staff page in Japanese at 1366×768 (a ward office PC): looked at,
checked with axe-core, and used — an account is disabled with its button and its open
browser is logged out at once."""

from __future__ import annotations

from datetime import timedelta

from classroom.models import Role, User, utcnow
from tests.browser.conftest import PAGE_TIMEOUT_MS, add_staff, assert_accessible, log_in


def _staff(live_server) -> dict[str, int]:
    ids = {}
    with live_server.database.write() as db:
        for login, role, name in [
            ("kanri", Role.ADMIN, "管理 太郎"),
            ("sato", Role.COORDINATOR, "佐藤 花子"),
            ("suzuki", Role.INSTRUCTOR, "鈴木 一郎"),
            ("takahashi", Role.INSTRUCTOR, "高橋 美咲"),
        ]:
            ids[login] = add_staff(db, login, role, name)
        db.get(User, ids["sato"]).last_login_at = utcnow() - timedelta(days=1, hours=3)
        db.get(User, ids["takahashi"]).active = False
        db.get(User, ids["suzuki"]).must_change_password = True
    return ids


def test_the_staff_page_in_japanese_at_1366x768(live_server, browser, artifacts):
    ids = _staff(live_server)
    base = live_server.url
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        log_in(page, live_server, "kanri")
        # reachable from the menu, as the axe crawler finds it
        page.get_by_role("navigation", name="メインメニュー").get_by_role(
            "link", name="職員"
        ).click()
        page.wait_for_url(f"{base}/admin/staff")
        assert page.get_by_role("heading", name="職員アカウント").is_visible()
        assert page.get_by_role("columnheader", name="最終ログイン").is_visible()
        assert page.get_by_text("ログイン記録なし").count() >= 2
        assert page.get_by_text("パスワード再設定待ち").is_visible()
        page.screenshot(path=str(artifacts / "admin-staff-1366x768-ja.png"), full_page=True)
        assert_accessible(page, "/admin/staff")

        page.get_by_role("link", name="sato", exact=True).click()
        page.wait_for_url(f"{base}/admin/staff/{ids['sato']}")
        page.screenshot(path=str(artifacts / "admin-staff-member-1366x768-ja.png"), full_page=True)
        assert_accessible(page, "/admin/staff/N")

        # sato is logged in elsewhere; disabling ends that session at once
        other = browser.new_context(locale="ja-JP").new_page()
        log_in(other, live_server, "sato")
        page.get_by_role("button", name="このアカウントを無効にする").click()
        page.wait_for_load_state()
        assert page.get_by_text("sato を無効にし、すべてのログインを終了しました。").is_visible()
        assert page.get_by_role("button", name="このアカウントを有効にする").is_visible()
        other.goto(f"{base}/office/residents")
        assert "/login" in other.url
        other.context.close()

        page.get_by_role("link", name="パスワード変更").click()
        page.wait_for_url(f"{base}/account/password")
        page.screenshot(path=str(artifacts / "account-password-1366x768-ja.png"), full_page=True)
        assert_accessible(page, "/account/password")
    finally:
        context.close()
