"""A resident at home in Chromium: reads the class schedule in their language, switches
language, reads a guide with furigana, on a small phone and at 200% zoom.

Screenshots go to test-artifacts/public/; every public page passes axe-core with no
serious or critical violation, in Japanese and in English.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from classroom.models import (
    BookingMode,
    Course,
    CourseKind,
    DeviceTrack,
    Source,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import registration, residents, sessions
from classroom.services.actor import Actor
from content import load_catalog

from .conftest import assert_accessible

LANGUAGES = [
    ("ja", "ja", "日本語"),
    ("ja-easy", "ja", "やさしい日本語"),
    ("en", "en", "English"),
    ("zh-Hans", "zh-Hans", "中文"),
    ("ko", "ko", "한국어"),
]


@pytest.fixture
def shots(artifacts):
    folder = artifacts / "public"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def ward_classes(live_server):
    """A believable month or two of classes: three venues, a full class, a lottery; one
    resident registered (whose data must never show)."""
    now = utcnow()
    with live_server.database.write() as db:
        courses = [
            Course(
                code="intro-iphone",
                title="スマホ入門（iPhone）",
                kind=CourseKind.INTRO,
                device_track=DeviceTrack.IPHONE,
                title_translations={"en": "Smartphone introduction (iPhone)"},
                lesson_ids=["intro-01-power", "intro-02-touch"],
            ),
            Course(
                code="intro-senior",
                title="スマホ入門（らくらくスマートフォン）",
                kind=CourseKind.INTRO,
                device_track=DeviceTrack.SENIOR,
                title_translations={"en": "Smartphone introduction (senior phones)"},
                lesson_ids=["intro-01-power"],
            ),
            Course(
                code="op-mynumber",
                title="ワンポイント教室：マイナンバーカードとマイナポータル",
                kind=CourseKind.ONE_POINT,
                device_track=DeviceTrack.ANY,
                title_translations={"en": "One-point class: My Number Card and Mynaportal"},
                lesson_ids=["mynumber-card", "mynaportal"],
            ),
        ]
        venues = [
            Venue(
                name="つなぐ区立中央図書館 2階 研修室",
                kind=VenueKind.LIBRARY,
                capacity=16,
                name_translations={"en": "Tsunagu Central Library, training room (2F)"},
                address="つなぐ区中央1-2-3",
                access="つなぐ駅 東口から徒歩5分。エレベーターがあります。",
                loaner_phones=4,
            ),
            Venue(
                name="東つなぐ地域センター 会議室A",
                kind=VenueKind.COMMUNITY_CENTRE,
                capacity=12,
                name_translations={"en": "East Tsunagu Community Centre, room A"},
                address="つなぐ区東4-5-6",
                access="区役所前バス停から徒歩2分。",
            ),
        ]
        db.add_all(courses + venues)
        db.flush()
        ids = []
        for day, course, venue, capacity, lottery in [
            (3, 0, 0, 10, False),
            (5, 1, 1, 1, False),
            (9, 2, 0, 12, True),
            (16, 0, 1, 10, False),
            (35, 1, 0, 8, False),
            (38, 2, 1, 10, False),
        ]:
            starts = (now + timedelta(days=day)).replace(hour=1, minute=0, second=0, microsecond=0)
            ids.append(
                sessions.create_session(
                    db,
                    course_id=courses[course].id,
                    venue_id=venues[venue].id,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1, minutes=30),
                    capacity=capacity,
                    booking_mode=BookingMode.LOTTERY if lottery else BookingMode.FIRST_COME,
                    application_deadline=now + timedelta(days=6) if lottery else None,
                    actor=Actor.system(),
                ).id
            )
        person = residents.create_participant(
            db,
            family_name="山田",
            given_name="花子",
            reading="ヤマダ ハナコ",
            phone="090-1234-5678",
            birth_year=1948,
            consent=True,
            source=Source.PHONE,
            actor=Actor.system(),
        )
        registration.register(
            db,
            session_id=ids[1],
            participant_id=person.id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
    return ids


def public_pages(live_server, ids) -> dict[str, str]:
    base = live_server.url
    return {
        "schedule": f"{base}/",
        "schedule-filtered": f"{base}/?device=senior",
        "class": f"{base}/classes/{ids[0]}",
        "class-full": f"{base}/classes/{ids[1]}",
        "class-lottery": f"{base}/classes/{ids[2]}",
        "guides": f"{base}/guides",
        "guide": f"{base}/guides/juminhyo",
        "guide-furigana": f"{base}/guides/juminhyo?furigana=1",
        "accessibility": f"{base}/accessibility",
        "not-found": f"{base}/guides/vaccine-voucher",
    }


def choose_language(page, name: str) -> None:
    page.get_by_role("navigation", name=re.compile("Language|言語|语言|언어")).get_by_role(
        "link", name=name, exact=True
    ).click()
    page.wait_for_load_state()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_horizontal_scroll(page) -> bool:
    """Neither the page nor any visible element reaches past the window's right edge."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > width) return false;
        return [...document.querySelectorAll("body *")].every(e => {
            if (e.closest(".visually-hidden, .skip-link")) return true;
            const box = e.getBoundingClientRect();
            return box.width === 0 || box.right <= width + 1;
        });
    }""")


def test_the_schedule_in_each_language(live_server, ward_classes, browser, shots):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    for code, lang, name in LANGUAGES:
        choose_language(page, name)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1
        assert (
            page.get_by_role("link", name=name, exact=True).get_attribute("aria-current") == "true"
        )
        page.screenshot(path=str(shots / f"schedule-{code}.png"), full_page=True)
        html = page.content()
        assert "山田" not in html and "090-1234-5678" not in html
    context.close()


def test_switching_language_changes_lang_and_the_heading(live_server, ward_classes, page):
    guide = load_catalog().guide("juminhyo")
    page.goto(live_server.url + "/guides/juminhyo")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == guide.title.get("ja")
    choose_language(page, "English")
    assert page.url.endswith("/guides/juminhyo")  # the same page, in English
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == guide.title.get("en")
    choose_language(page, "한국어")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == guide.title.get("ko")
    # remembered: a new visit to another page stays in Korean
    page.goto(live_server.url + "/accessibility")
    assert page.locator("html").get_attribute("lang") == "ko"


def test_a_phone_320_px_wide_never_scrolls_sideways(live_server, ward_classes, browser, shots):
    # not is_mobile: a mobile viewport would widen itself to fit and hide the overflow
    context = browser.new_context(
        locale="ja-JP",
        viewport={"width": 320, "height": 640},
        device_scale_factor=2,
        has_touch=True,
    )
    page = context.new_page()
    for name, url in public_pages(live_server, ward_classes).items():
        page.goto(url)
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at 320 px"
        if name in ("schedule", "class", "guide-furigana"):
            page.screenshot(path=str(shots / f"{name}-320px.png"), full_page=True)
    context.close()


def test_at_200_percent_zoom_nothing_is_cut_off(live_server, ward_classes, browser, shots):
    # 200% zoom of a 1280 px window is a 640 CSS px viewport with pixels twice as big
    context = browser.new_context(
        locale="en-GB", viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    page = context.new_page()
    for name, url in public_pages(live_server, ward_classes).items():
        page.goto(url)
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at 200% zoom"
    page.goto(live_server.url + "/")
    page.screenshot(path=str(shots / "schedule-zoom200-en.png"), full_page=True)
    context.close()


def test_filters_work_without_javascript(live_server, ward_classes, browser):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_text("Find a class").click()  # the fold is a <details>: it opens without script
    page.get_by_label("Your phone").select_option("senior")
    page.get_by_role("button", name="Show classes").click()
    page.wait_for_load_state()
    assert "device=senior" in page.url
    titles = page.locator(".class-card__title").all_inner_texts()
    assert titles and all("iPhone" not in t for t in titles)
    context.close()


def test_keyboard_users_can_skip_to_the_content_and_see_the_focus(live_server, ward_classes, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # shown when focused
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("locale, cookie", [("ja-JP", "ja"), ("en-GB", "en")])
def test_axe_finds_nothing_serious_on_any_public_page(
    live_server, ward_classes, browser, shots, locale, cookie
):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "lang", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    problems = {}
    for name, url in public_pages(live_server, ward_classes).items():
        page.goto(url)
        if found := serious_violations(page):
            problems[name] = found
        if cookie == "ja" and name in ("class-lottery", "guide", "guide-furigana", "accessibility"):
            page.screenshot(path=str(shots / f"{name}-ja.png"), full_page=True)
    context.close()
    assert not problems, problems


def test_on_a_phone_the_filters_fold_away_and_the_first_class_is_on_the_first_screen(
    live_server, ward_classes, browser, shots
):
    context = browser.new_context(
        locale="ja-JP",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        has_touch=True,
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    first = page.locator(".class-card").first
    box = first.locator(".class-card__title").bounding_box()
    when = first.locator(".when").bounding_box()
    page.screenshot(path=str(shots / "schedule-390x844.png"))
    assert box["y"] >= 0 and when["y"] + when["height"] <= 844, (box, when)
    assert not page.get_by_label("お使いのスマホ").is_visible()  # folded away
    assert page.locator("h2", has_text="令和").first.is_visible()
    # a tap opens the filters, and they work
    page.locator(".filters summary").click()
    page.get_by_label("お使いのスマホ").select_option("senior")
    page.screenshot(path=str(shots / "schedule-390x844-filters-open.png"))
    assert_accessible(page, "schedule with the filters open, 390 px")
    page.locator(".filters").get_by_role("button").first.click()
    page.wait_for_load_state()
    assert "device=senior" in page.url
    # chosen filters stay open so the visitor sees what is applied
    assert page.get_by_label("お使いのスマホ").is_visible()
    context.close()
