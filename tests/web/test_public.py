"""The public pages as a resident at home uses them: no login, their own language,
nothing personal about anyone."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from babel.support import Translations

from classroom.models import (
    BookingMode,
    ClassSession,
    Course,
    CourseKind,
    DeviceTrack,
    Source,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import registration, sessions
from classroom.services.actor import Actor
from content import load_catalog
from content.model import Text
from web import LOCALES_DIR

from .conftest import log_in


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no h1"
    return re.sub(r"<rt>.*?</rt>|<[^>]+>", "", match.group(1)).strip()


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def page(client, path, lang=None, **headers) -> str:
    if lang:
        client.set_cookie("lang", lang)
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


@pytest.fixture
def visitor(app):
    """A resident's browser: no cookies, no Accept-Language (the site starts in Japanese)."""
    return app.test_client()


@pytest.fixture
def more_classes(database, ward, staff):
    """An Android course at a second venue and a lottery class, a month and more ahead."""
    now = utcnow()
    with database.write() as db:
        android = Course(
            code="intro-android",
            title="スマホ入門（Android）",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.ANDROID,
            title_translations={"en": "Smartphone introduction (Android)"},
            lesson_ids=["intro-01-power"],
        )
        scams = Course(
            code="op-scam",
            title="ワンポイント教室：詐欺から身を守る",
            kind=CourseKind.ONE_POINT,
            device_track=DeviceTrack.ANY,
            title_translations={"en": "One-point class: scams"},
            lesson_ids=[],
        )
        east = Venue(
            name="東つなぐ地域センター",
            kind=VenueKind.COMMUNITY_CENTRE,
            capacity=12,
            name_translations={"en": "East Tsunagu Community Centre"},
            loaner_phones=2,
            address="つなぐ区東4-5-6",
        )
        db.add_all([android, scams, east])
        db.flush()
        starts = now + timedelta(days=40)
        ids = {
            "android": sessions.create_session(
                db,
                course_id=android.id,
                venue_id=east.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                capacity=10,
                actor=Actor.system(),
            ).id,
            "lottery": sessions.create_session(
                db,
                course_id=scams.id,
                venue_id=ward.venue_id,
                starts_at=starts + timedelta(days=1),
                ends_at=starts + timedelta(days=1, hours=1),
                capacity=10,
                booking_mode=BookingMode.LOTTERY,
                application_deadline=now + timedelta(days=20),
                actor=Actor.system(),
            ).id,
            "android_course": android.id,
            "east": east.id,
        }
    return ids


# ------------------------------------------------------------------ the schedule


def test_the_schedule_is_the_front_page_and_needs_no_login(visitor, ward):
    response = visitor.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html_lang(html) == "ja"
    assert "スマホ入門（iPhone）" in html and "中央図書館" in html
    assert re.search(r"\d+月\d+日（[月火水木金土日]）\d\d:\d\d〜\d\d:\d\d", html)
    assert "tsunagu_session" not in response.headers.get("Set-Cookie", "")


def test_staff_keep_their_start_page_at_home(app, as_role):
    from flask import url_for

    with app.test_request_context():
        assert url_for("index") == "/home"
    coordinator = as_role("coordinator")
    assert coordinator.get("/home").location == "/office/residents"


def test_each_class_says_seats_left_or_lottery_deadline_in_words(visitor, ward, more_classes):
    html = page(visitor, "/", lang="en")
    assert "Only 2 seats left" in html
    assert "10 seats left" in html
    assert re.search(r"Lottery — apply by \w{3}, \w{3} \d+<", html)
    japanese = page(visitor, "/", lang="ja")
    lottery = Translations.load(str(LOCALES_DIR), ["ja"]).gettext("Lottery — apply by %(date)s")
    deadline = lottery.split("%(date)s")[0] + r"\d+月\d+日（[月火水木金土日]）"
    assert re.search(deadline, japanese)


def test_the_schedule_filters_by_course_venue_device_and_month(visitor, ward, more_classes):
    everything = page(visitor, "/", lang="en")
    assert (
        "Smartphone introduction (Android)" in everything and "スマホ入門（iPhone）" in everything
    )

    by_course = page(visitor, f"/?course={more_classes['android_course']}")
    assert "Smartphone introduction (Android)" in by_course
    assert f"/classes/{ward.session_id}" not in by_course

    by_venue = page(visitor, f"/?venue={ward.venue_id}")
    assert f"/classes/{more_classes['lottery']}" in by_venue
    assert f"/classes/{more_classes['android']}" not in by_venue

    android = page(visitor, "/?device=android")
    assert f"/classes/{more_classes['android']}" in android
    assert f"/classes/{more_classes['lottery']}" in android  # any phone
    assert f"/classes/{ward.session_id}" not in android  # iPhone only

    in_40_days = (utcnow() + timedelta(days=40, hours=9)).strftime("%Y-%m")
    by_month = page(visitor, f"/?month={in_40_days}")
    assert f"/classes/{more_classes['android']}" in by_month
    assert f"/classes/{ward.session_id}" not in by_month or in_40_days == utcnow().strftime("%Y-%m")
    assert "selected>" in by_month

    nonsense = page(visitor, "/?course=x&venue=-1&device=fax&month=soon")
    assert f"/classes/{ward.session_id}" in nonsense


def test_the_filters_are_a_plain_get_form_with_labels(visitor, ward):
    html = page(visitor, "/")
    assert re.search(
        r'<details class="filters">\s*<summary[^>]*>.*?</summary>\s*<form method="get"', html, re.S
    )
    for name in ("month", "venue", "course", "device"):
        assert f'<label for="{name}">' in html and f'<select id="{name}" name="{name}">' in html
    assert "<script" not in html


# ------------------------------------------------------------------ a class


def test_a_class_page_says_when_where_seats_how_to_apply_and_what_to_bring(
    visitor, ward, more_classes
):
    html = page(visitor, f"/classes/{more_classes['android']}", lang="en")
    assert h1(html) == "Smartphone introduction (Android)"
    assert "East Tsunagu Community Centre" in html and "つなぐ区東4-5-6" in html
    assert "10 seats left" in html
    settings = load_catalog().settings
    phone = settings.value_in("phones.digital_support", "en")
    assert phone in html and f'href="tel:{phone.replace("-", "")}"' in html
    assert settings.value_in("counters.digital_support", "en") in html
    assert "What to bring" in html and "Your own smartphone, charged." in html
    assert "lend you one" in html  # the venue has loaner phones
    assert "Power on and off" in html or "What you will learn" in html


def test_a_cancelled_class_says_so_and_an_unknown_one_is_not_found(visitor, database, ward):
    with database.write() as db:
        sessions.cancel_session(db, ward.session_id, actor=Actor.system())
    html = page(visitor, f"/classes/{ward.session_id}", lang="en")
    assert "This class has been cancelled." in html and "How to apply" not in html
    response = visitor.get("/classes/999999")
    assert response.status_code == 404
    assert 'class="languages"' in response.get_data(as_text=True)  # the public layout


# ------------------------------------------------------------------ guides


def test_the_guides_list_shows_active_guides_only(visitor):
    html = page(visitor, "/guides")
    assert "/guides/juminhyo" in html and "/guides/vaccine-voucher" not in html


def test_a_guide_page_has_steps_bring_checklist_warnings_and_the_handoff_qr(visitor):
    guide = load_catalog().guide("juminhyo")
    html = page(visitor, "/guides/juminhyo")
    assert h1(html) == guide.title.get("ja")
    for text in (guide.bring[0], guide.checklist[1].text, guide.steps[1].text, guide.warnings[0]):
        assert str(text.get("ja")) in html
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<path" in svg
    assert guide.handoff.url in html
    assert "<ruby>" not in html


def test_furigana_are_ruby_when_asked_for_in_japanese(visitor):
    html = page(visitor, "/guides/juminhyo?furigana=1")
    assert "<ruby>" in html and "<rt>" in html
    assert "<ruby>写<rt>うつ</rt></ruby>し" in html  # the guide's own reading wins
    assert h1(html) == load_catalog().guide("juminhyo").title.get("ja")
    english = page(visitor, "/guides/juminhyo?furigana=1", lang="en")
    assert "<ruby>" not in english


@pytest.mark.parametrize("guide_id", ["vaccine-voucher", "no-such-guide"])
def test_withdrawn_and_unknown_guides_are_not_found(visitor, guide_id):
    response = visitor.get(f"/guides/{guide_id}")
    assert response.status_code == 404
    withdrawn = load_catalog().guide("vaccine-voucher")
    assert withdrawn.title.get("ja") not in response.get_data(as_text=True)


def test_the_accessibility_statement_names_the_standard_and_a_contact(visitor):
    html = page(visitor, "/accessibility", lang="en")
    assert "JIS X 8341-3:2016" in html and "WCAG 2.2" in html
    assert load_catalog().settings.value_in("phones.digital_support", "en") in html


# ------------------------------------------------------------------ languages


def test_the_switch_remembers_the_language_in_a_lax_cookie(visitor):
    response = visitor.get("/language/en?next=/guides/juminhyo")
    assert response.status_code == 302 and response.location == "/guides/juminhyo"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;") and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    html = page(visitor, "/guides/juminhyo")
    assert html_lang(html) == "en"
    assert h1(html) == "Apply online for a copy of your resident record"


def test_the_switch_never_sends_a_visitor_elsewhere(visitor):
    assert visitor.get("/language/ko?next=//evil.example/").location == "/"
    assert visitor.get("/language/fr").status_code == 404


def test_every_page_shows_the_switch_with_each_language_in_itself(visitor):
    html = page(visitor, "/accessibility")
    for code, lang, name in [
        ("ja", "ja", "日本語"),
        ("ja-easy", "ja", "やさしい日本語"),
        ("en", "en", "English"),
        ("zh-Hans", "zh-Hans", "中文"),
        ("ko", "ko", "한국어"),
    ]:
        assert re.search(
            rf'href="/language/{code}\?next=[^"]*" lang="{lang}" hreflang="{lang}"'
            rf"[^>]*>{name}</a>",
            html,
        ), code
    assert 'aria-current="true">日本語<' in html


@pytest.mark.parametrize(
    "cookie, lang, title_code",
    [
        ("ja", "ja", "ja"),
        ("ja-easy", "ja", "ja-easy"),
        ("en", "en", "en"),
        ("zh-Hans", "zh-Hans", "zh-Hans"),
        ("ko", "ko", "ko"),
    ],
)
def test_the_cookie_sets_html_lang_and_the_guide_headings(visitor, cookie, lang, title_code):
    html = page(visitor, "/guides/juminhyo", lang=cookie)
    assert html_lang(html) == lang
    assert h1(html) == load_catalog().guide("juminhyo").title.get(title_code)


UNTRANSLATED = (
    "Parts of this guide are not yet written in %(language)s. "
    "They are shown in Japanese, as at the ward's counters."
)


def juminhyo_without_chinese_and_korean(monkeypatch):
    """The public pages' catalog with one juminhyo text lacking zh-Hans and ko (the shipped
    content is written in all five languages since issue 14)."""
    catalog = load_catalog()
    guide = catalog.guide("juminhyo")
    values = {k: v for k, v in guide.bring[0].values.items() if k not in ("zh-Hans", "ko")}
    guide = dataclasses.replace(guide, bring=(Text(values), *guide.bring[1:]))
    catalog = dataclasses.replace(catalog, guides={**catalog.guides, "juminhyo": guide})
    monkeypatch.setattr("web.content_source.catalog", lambda: catalog)
    return guide


@pytest.mark.parametrize(
    "code, locale, name", [("zh-Hans", "zh_Hans", "中文"), ("ko", "ko", "한국어")]
)
def test_text_missing_in_a_language_shows_japanese_and_the_page_says_so(
    visitor, monkeypatch, code, locale, name
):
    """Never silently another language: an untranslated text is the Japanese one (marked
    lang="ja"), and a notice in the visitor's own language says the guide is incomplete."""
    guide = juminhyo_without_chinese_and_korean(monkeypatch)
    assert not guide.bring[0].has(code)
    html = page(visitor, "/guides/juminhyo", lang=code)
    assert f'<span lang="ja">{guide.bring[0].get("ja")}</span>' in html
    assert guide.bring[0].get("en") not in html
    notice = Translations.load(str(LOCALES_DIR), [locale]).gettext(UNTRANSLATED)
    assert notice != UNTRANSLATED, "the notice is not translated"
    assert notice.replace("%(language)s", name) in html


def test_a_fully_written_language_has_no_notice(visitor, monkeypatch):
    assert not any(not t.has("ko") for t in load_catalog().guide("juminhyo").resident_texts())
    assert "notice--language" not in page(visitor, "/guides/juminhyo", lang="ko")
    juminhyo_without_chinese_and_korean(monkeypatch)
    assert "notice--language" not in page(visitor, "/guides/juminhyo", lang="en")
    assert "notice--language" in page(visitor, "/guides/juminhyo", lang="ko")


@pytest.mark.parametrize(
    "code, locale", [("ja", "ja"), ("en", "en"), ("zh-Hans", "zh_Hans"), ("ko", "ko")]
)
def test_the_schedule_heading_follows_the_language_catalog(visitor, ward, code, locale):
    html = page(visitor, "/", lang=code)
    expected = Translations.load(str(LOCALES_DIR), [locale]).gettext("Smartphone class schedule")
    assert h1(html) == expected
    assert html_lang(html) == {"zh_Hans": "zh-Hans"}.get(locale, locale)


@pytest.mark.parametrize(
    "accept, lang",
    [
        ("en-GB,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("ko-KR", "ko"),
        ("fr", "ja"),
        ("", "ja"),
    ],
)
def test_without_a_cookie_the_browser_language_is_used(visitor, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    assert html_lang(page(visitor, "/accessibility", **headers)) == lang


def test_the_cookie_wins_over_the_browser(visitor):
    html = page(visitor, "/accessibility", lang="ko", **{"Accept-Language": "en"})
    assert html_lang(html) == "ko"


def test_staff_pages_keep_the_staff_members_own_language(as_role, ward):
    coordinator = as_role("coordinator")  # her setting is English
    coordinator.set_cookie("lang", "ko")
    assert html_lang(page(coordinator, "/")) == "ko"
    assert html_lang(page(coordinator, "/office/residents")) == "en"


# ------------------------------------------------------------------ privacy and safety


def public_paths(ward, extra=()) -> list[str]:
    return [
        "/",
        "/?device=iphone",
        f"/classes/{ward.session_id}",
        f"/classes/{ward.other_session_id}",
        "/guides",
        "/guides/juminhyo",
        "/guides/juminhyo?furigana=1",
        "/accessibility",
        "/classes/999999",
        # booking and its look-up (issue 19): no script, no cookie, nobody's data either
        f"/classes/{ward.session_id}/apply",
        "/reservations",
        *extra,
    ]


def test_no_resident_or_instructor_data_on_any_public_page(app, database, ward, staff):
    with database.write() as db:
        registration.register(
            db,
            session_id=ward.session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
        secrets = [
            "山田",
            "花子",
            "ヤマダ",
            "ハナコ",
            "やまだ",
            "090-1234-5678",
            "09012345678",
            "1948",
        ]
        secrets += [db.get(ClassSession, ward.session_id).instructors[0].display_name]
    for lang in ("ja", "ja-easy", "en", "zh-Hans", "ko"):
        client = app.test_client()
        client.set_cookie("lang", lang)
        for path in public_paths(ward):
            html = client.get(path).get_data(as_text=True)
            for secret in secrets:
                assert secret not in html, f"{secret!r} on {path} ({lang})"


def test_public_pages_have_no_inline_script_or_style_and_load_nothing_from_outside(visitor, ward):
    for path in public_paths(ward):
        response = visitor.get(path)
        html = response.get_data(as_text=True)
        assert "<script" not in html and " style=" not in html and "<style" not in html, path
        assert not re.search(r'(src|rel="stylesheet" href)="https?:', html), path
        assert html.count("<h1") == 1, path
        assert '<main id="main"' in html and 'href="#main"' in html, path
        assert "Cookie" in response.headers.get("Vary", "") or response.status_code == 404


def test_a_public_visitor_gets_no_session_cookie(visitor, ward):
    for path in public_paths(ward):
        assert "tsunagu_session" not in visitor.get(path).headers.get("Set-Cookie", ""), path


def test_logging_in_still_works_from_the_new_front_page(app, staff):
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert log_in(client, "instructor").location == "/teach/"


def test_a_venue_shows_its_japanese_name_beside_the_translation(visitor, more_classes):
    """The sign on the building says the Japanese name: an English reader sees both; a
    Korean reader (no Korean name yet) sees the Japanese name alone, never the English."""
    english = page(visitor, f"/classes/{more_classes['android']}", lang="en")
    assert 'East Tsunagu Community Centre（<span lang="ja">東つなぐ地域センター</span>）' in english
    korean = page(visitor, f"/classes/{more_classes['android']}", lang="ko")
    assert "East Tsunagu Community Centre" not in korean and "東つなぐ地域センター" in korean


def test_a_class_page_shows_the_access_line_in_the_readers_language(
    visitor, database, ward, more_classes
):
    """Issue 14: the way to the venue in the visitor's language, with the venue's Japanese
    name (its sign) beside its translated name; a language the ward has not written shows
    the Japanese line, marked as Japanese — never another language's."""
    with database.write() as db:
        east = db.get(Venue, more_classes["east"])
        east.name_translations = {"en": "East Tsunagu Community Centre", "ko": "동쓰나구 지역 센터"}
        east.access = "区役所前バス停から徒歩2分。"
        east.access_translations = {
            "en": "2 minutes on foot from the Kuyakusho-mae bus stop.",
            "ko": "구청 앞 버스 정류장에서 걸어서 2분.",
        }
    path = f"/classes/{more_classes['android']}"
    korean = page(visitor, path, lang="ko")
    assert "구청 앞 버스 정류장에서 걸어서 2분." in korean
    assert '동쓰나구 지역 센터（<span lang="ja">東つなぐ地域センター</span>）' in korean
    assert "区役所前バス停から徒歩2分。" not in korean and "Kuyakusho-mae" not in korean
    chinese = page(visitor, path, lang="zh-Hans")
    assert '<span lang="ja">区役所前バス停から徒歩2分。</span>' in chinese
    assert "Kuyakusho-mae" not in chinese and "구청" not in chinese
    japanese = page(visitor, path, lang="ja")
    assert "区役所前バス停から徒歩2分。" in japanese and "구청" not in japanese


def test_a_class_page_in_easy_japanese_names_the_venue_as_its_sign_does(
    visitor, database, more_classes
):
    with database.write() as db:
        east = db.get(Venue, more_classes["east"])
        east.name_translations = {"ja-easy": "ひがしつなぐ　ちいきセンター"}
        east.access = "区役所前バス停から徒歩2分。"
        east.access_translations = {"ja-easy": "バスてい「区役所前」から　あるいて　2ふん。"}
    easy = page(visitor, f"/classes/{more_classes['android']}", lang="ja-easy")
    assert "ひがしつなぐ　ちいきセンター（東つなぐ地域センター）" in easy
    assert "バスてい「区役所前」から　あるいて　2ふん。" in easy


def test_every_page_links_a_local_favicon_and_favicon_ico_is_served(visitor, as_role, ward):
    for html in (
        page(visitor, "/"),
        page(visitor, "/guides"),
        page(as_role("instructor"), "/teach/"),
    ):
        icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
        assert icons and all(i.startswith("/static/") for i in icons), icons
        for icon in icons:
            assert visitor.get(icon).status_code == 200, icon
    ico = visitor.get("/favicon.ico")
    assert ico.status_code == 200 and ico.mimetype == "image/x-icon"
    assert ico.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize(
    "cookie, heading", [("ja", "令和8年12月"), ("ja-easy", "令和8年12月"), ("en", "December 2026")]
)
def test_month_headings_count_years_in_reiwa_in_japanese(visitor, ward, cookie, heading):
    html = page(visitor, "/", lang=cookie)
    assert re.search(rf'<h2 id="month-2026-12">{heading}</h2>', html), heading
    assert f">{heading}</option>" in html  # the month filter says the same


def test_the_filters_fold_away_until_chosen(visitor, ward):
    assert re.search(r'<details class="filters">', page(visitor, "/"))
    assert re.search(r'<details class="filters" open>', page(visitor, "/?device=senior"))
