"""Administrators keep the venues and courses; every rule answers next to its field."""

from __future__ import annotations

import re

import pytest

from classroom.models import AuditEvent, Course, PhoneLoan, Source, User, Venue
from classroom.services import loans, registration
from classroom.services.actor import Actor
from tests.web.conftest import count
from tests.web.test_api import KioskClient, add_kiosk


@pytest.fixture
def admin(as_role, ward):
    return as_role("admin")


def venue_form(**overrides):
    data = {
        "name": "つなぐ区 北地域センター 集会室",
        "kind": "community_centre",
        "address": "つなぐ区北1-1-1",
        "access": "北駅から徒歩3分",
        "capacity": "12",
        "loaner_phones": "3",
    }
    data.update(overrides)
    return data


def course_form(**overrides):
    data = {
        "code": "one-point-line",
        "title": "スマホワンポイント教室（LINE）",
        "title_en": "One-point class (LINE)",
        "kind": "one_point",
        "device_track": "any",
        "description": "LINEの使い方",
    }
    data.update(overrides)
    return data


def test_the_lists_show_venues_and_courses_with_their_classes(admin, ward):
    html = admin.get("/admin/venues").get_data(as_text=True)
    assert "中央図書館" in html and 'aria-current="page">Venues' in html
    html = admin.get("/admin/courses").get_data(as_text=True)
    assert "スマホ入門（iPhone）" in html and "intro-iphone" in html


def test_an_administrator_adds_and_edits_a_venue(admin, database):
    response = admin.post("/admin/venues/new", data=venue_form(), follow_redirects=True)
    assert "The venue つなぐ区 北地域センター 集会室 was saved." in response.get_data(as_text=True)
    with database.read() as db:
        venue = db.query(Venue).filter_by(name="つなぐ区 北地域センター 集会室").one()
        assert (venue.capacity, venue.loaner_phones, venue.access) == (12, 3, "北駅から徒歩3分")
    path = f"/admin/venues/{venue.id}/edit"
    assert 'value="つなぐ区 北地域センター 集会室"' in admin.get(path).get_data(as_text=True)
    assert admin.post(path, data=venue_form(capacity="15")).status_code == 302
    with database.read() as db:
        assert db.get(Venue, venue.id).capacity == 15
    assert count(database, AuditEvent, action="venue.update") == 1


def test_an_administrator_adds_and_edits_a_course(admin, database):
    assert admin.post("/admin/courses/new", data=course_form()).status_code == 302
    with database.read() as db:
        course = db.query(Course).filter_by(code="one-point-line").one()
        assert course.title_translations == {"en": "One-point class (LINE)"}
    path = f"/admin/courses/{course.id}/edit"
    assert 'value="One-point class (LINE)"' in admin.get(path).get_data(as_text=True)
    assert (
        admin.post(
            path, data=course_form(title="スマホワンポイント教室（LINE入門）", title_en="")
        ).status_code
        == 302
    )
    with database.read() as db:
        course = db.get(Course, course.id)
        assert (course.title, course.title_translations) == (
            "スマホワンポイント教室（LINE入門）",
            {},
        )


def test_an_administrator_chooses_the_lessons_a_course_teaches(admin, app, database, ward):
    path = f"/admin/courses/{ward.course_id}/edit"
    html = admin.get(path).get_data(as_text=True)
    assert "<legend>Lessons taught</legend>" in html and 'id="lesson_ids-hint"' in html
    assert "電源とボタン（intro-01-power）" in html and "詐欺メール" in html
    # intro lessons by their order, then the one-point lessons
    assert html.index("intro-01-power") < html.index("intro-02-touch") < html.index("app-install")
    assert re.findall(r'<input checked[^>]*value="([^"]+)"', html) == []
    base = course_form(
        code="intro-iphone", title="スマホ入門（iPhone）", kind="intro", device_track="iphone"
    )
    chosen = ["intro-02-touch", "intro-01-power", "intro-02-touch"]
    assert admin.post(path, data={**base, "lesson_ids": chosen}).status_code == 302
    with database.read() as db:
        assert db.get(Course, ward.course_id).lesson_ids == ["intro-02-touch", "intro-01-power"]
    html = admin.get(path).get_data(as_text=True)
    assert re.findall(r'<input checked[^>]*value="([^"]+)"', html) == [
        "intro-01-power",
        "intro-02-touch",
    ]  # shown in the list's order
    # the kiosk API names them, in the same order
    kiosk = KioskClient(app, add_kiosk(database))
    found = kiosk.get("/api/v1/sessions").json["sessions"]
    assert {s["id"] for s in found} >= {ward.session_id}
    assert all(
        s["course"]["lesson_ids"] == ["intro-02-touch", "intro-01-power"]
        for s in found
        if s["course"]["code"] == "intro-iphone"
    )


def test_an_unknown_lesson_is_refused_and_nothing_changes(admin, database, ward):
    with database.write() as db:
        db.get(Course, ward.course_id).lesson_ids = ["intro-01-power"]
    before = count(database, AuditEvent)
    data = course_form(
        code="intro-iphone",
        title="スマホ入門（新）",
        kind="intro",
        device_track="iphone",
        lesson_ids=["intro-02-touch", "no-such-lesson"],
    )
    response = admin.post(f"/admin/courses/{ward.course_id}/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is no lesson no-such-lesson in the content." in html
    assert 'id="lesson_ids-error"' in html and 'href="#lesson_ids"' in html
    with database.read() as db:
        course = db.get(Course, ward.course_id)
        assert (course.title, course.lesson_ids) == ("スマホ入門（iPhone）", ["intro-01-power"])
    assert count(database, AuditEvent) == before


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": " "}, "name", "Please enter the name of the venue."),
        ({"name": "中央図書館"}, "name", "There is already a venue called 中央図書館."),
        ({"capacity": "0"}, "capacity", "Please enter 1 or more."),
        ({"capacity": "twelve"}, "capacity", "Please enter a whole number."),
        ({"loaner_phones": "-1"}, "loaner_phones", "Please enter 0 or more."),
        # more than a database integer holds: once a server error on both engines
        ({"capacity": "100000000000000000000"}, "capacity", "Please enter 9999 or less."),
        ({"loaner_phones": "99999999999"}, "loaner_phones", "Please enter 9999 or less."),
        ({"name": "北\x00集会室"}, "name", "This contains invisible control characters."),
        ({"kind": "castle"}, "kind", "Not a valid choice"),
    ],
)
def test_bad_venue_input_re_renders_with_messages_and_writes_nothing(
    admin, database, overrides, field, message
):
    before = count(database, Venue), count(database, AuditEvent)
    response = admin.post("/admin/venues/new", data=venue_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    assert (count(database, Venue), count(database, AuditEvent)) == before


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"code": "Intro iPhone!"}, "code", "lower-case letters, digits and dashes"),
        ({"code": "intro-iphone"}, "code", "There is already a course with the code intro-iphone."),
        ({"title": ""}, "title", "Please enter the title residents see."),
        ({"device_track": "pager"}, "device_track", "Not a valid choice"),
    ],
)
def test_bad_course_input_re_renders_with_messages_and_writes_nothing(
    admin, database, overrides, field, message
):
    before = count(database, Course), count(database, AuditEvent)
    response = admin.post("/admin/courses/new", data=course_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    assert (count(database, Course), count(database, AuditEvent)) == before


def test_a_room_cannot_shrink_below_a_scheduled_class_nor_keep_fewer_phones_than_are_out(
    admin, database, ward
):
    path = f"/admin/venues/{ward.venue_id}/edit"
    base = venue_form(name="中央図書館", kind="library")
    # the ward's classes have 2 seats: 1 is too few, and says which class
    html = admin.post(path, data={**base, "capacity": "1"}).get_data(as_text=True)
    assert "has 2 seats; the room cannot hold fewer." in html and "+00:00" not in html
    with database.write() as db:
        db.get(Venue, ward.venue_id).loaner_phones = 2
        registration.register(
            db,
            session_id=ward.today_session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        )
        loans.lend(
            db,
            session_id=ward.today_session_id,
            participant_id=ward.resident_id,
            phone_label="1",
            actor=Actor.system(),
        )
    response = admin.post(path, data={**base, "loaner_phones": "0"})
    assert response.status_code == 422
    assert "1 loaner phones are out now" in response.get_data(as_text=True)
    with database.read() as db:
        venue = db.get(Venue, ward.venue_id)
        assert (venue.capacity, venue.loaner_phones) == (20, 2)
        assert db.query(PhoneLoan).count() == 1


def test_unknown_venue_or_course_is_not_found(admin):
    assert admin.get("/admin/venues/999/edit").status_code == 404
    assert admin.get("/admin/courses/999/edit").status_code == 404


def test_coordinators_cannot_manage_venues(as_role, ward):
    coordinator = as_role("coordinator")
    assert coordinator.get("/admin/venues").status_code == 403
    assert coordinator.post("/admin/courses/new", data=course_form()).status_code == 403


def test_a_staff_form_posted_without_login_or_password_says_what_is_missing(admin, database):
    """A script may leave fields out; that was a server error, now the usual messages."""
    before = count(database, User), count(database, AuditEvent)
    response = admin.post("/admin/staff/new", data={"role": "instructor", "language": "ja"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A login has 2 to 60 letters" in html
    assert "The password must have at least" in html
    assert (count(database, User), count(database, AuditEvent)) == before


# ------------------------------------------------ the other languages (issue 14)

VENUE_IN_LANGUAGES = {
    "name_ja_easy": "きた　ちいきセンター　しゅうかいしつ",
    "access_ja_easy": "きたえきから　あるいて　3ぷん",
    "name_en": "North Community Centre, meeting room",
    "access_en": "3 minutes on foot from Kita Station",
    "name_zh_hans": "北社区中心 集会室",
    "access_zh_hans": "从北站步行3分钟",
    "name_ko": "북 지역 센터 집회실",
    "access_ko": "기타역에서 걸어서 3분",
}
COURSE_IN_LANGUAGES = {
    "title_ja_easy": "スマホ　ワンポイント　きょうしつ（LINE）",
    "title_en": "One-point class (LINE)",
    "title_zh_hans": "单项讲座（LINE）",
    "title_ko": "원포인트 교실 (LINE)",
}


def test_a_venue_is_written_in_five_languages_and_read_back(admin, database):
    """The name and the access line in やさしい日本語, English, Chinese and Korean beside the
    Japanese: saved, shown again in their own inputs (marked with their language), changed
    and cleared one by one."""
    data = venue_form(**VENUE_IN_LANGUAGES)
    assert admin.post("/admin/venues/new", data=data).status_code == 302
    with database.read() as db:
        venue = db.query(Venue).filter_by(name="つなぐ区 北地域センター 集会室").one()
        assert venue.name_translations == {
            "ja-easy": "きた　ちいきセンター　しゅうかいしつ",
            "en": "North Community Centre, meeting room",
            "zh-Hans": "北社区中心 集会室",
            "ko": "북 지역 센터 집회실",
        }
        assert venue.access_translations == {
            "ja-easy": "きたえきから　あるいて　3ぷん",
            "en": "3 minutes on foot from Kita Station",
            "zh-Hans": "从北站步行3分钟",
            "ko": "기타역에서 걸어서 3분",
        }
        assert venue.access == "北駅から徒歩3分"
    path = f"/admin/venues/{venue.id}/edit"
    html = admin.get(path).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="name_ko"[^>]*lang="ko"[^>]*value="북 지역 센터 집회실"', html)
    assert re.search(r'<textarea[^>]*id="access_zh_hans"[^>]*lang="zh-Hans"', html)
    assert "从北站步行3分钟</textarea>" in html
    assert "<legend>Korean</legend>" in html and "Name of the venue (Korean)" in html
    changed = {**data, "name_en": "", "access_ko": " 기타역 북쪽 출구에서 걸어서 3분 "}
    assert admin.post(path, data=changed).status_code == 302
    with database.read() as db:
        venue = db.get(Venue, venue.id)
        assert set(venue.name_translations) == {"ja-easy", "zh-Hans", "ko"}
        assert venue.access_translations["ko"] == "기타역 북쪽 출구에서 걸어서 3분"
        assert venue.access_translations["en"] == "3 minutes on foot from Kita Station"


def test_a_course_title_is_written_in_five_languages_and_read_back(admin, database):
    assert (
        admin.post("/admin/courses/new", data=course_form(**COURSE_IN_LANGUAGES)).status_code == 302
    )
    with database.read() as db:
        course = db.query(Course).filter_by(code="one-point-line").one()
        assert course.title_translations == {
            "ja-easy": "スマホ　ワンポイント　きょうしつ（LINE）",
            "en": "One-point class (LINE)",
            "zh-Hans": "单项讲座（LINE）",
            "ko": "원포인트 교실 (LINE)",
        }
    path = f"/admin/courses/{course.id}/edit"
    html = admin.get(path).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="title_zh_hans"[^>]*lang="zh-Hans"[^>]*value="单项讲座', html)
    assert "Title (Easy Japanese (やさしい日本語))" in html
    data = course_form(**{**COURSE_IN_LANGUAGES, "title_ko": "", "title_ja_easy": "ライン"})
    assert admin.post(path, data=data).status_code == 302
    with database.read() as db:
        titles = db.get(Course, course.id).title_translations
        assert titles["ja-easy"] == "ライン" and "ko" not in titles and titles["en"]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name_ko": "관" * 121}, "name_ko", "At most 120 characters."),
        ({"name_ja_easy": "あ" * 121}, "name_ja_easy", "At most 120 characters."),
        ({"access_zh_hans": "走" * 1001}, "access_zh_hans", "At most 1000 characters."),
        ({"access_en": "Kita\x07Station"}, "access_en", "invisible control characters"),
    ],
)
def test_a_bad_translation_of_a_venue_is_refused_on_its_field_and_writes_nothing(
    admin, database, overrides, field, message
):
    before = count(database, Venue), count(database, AuditEvent)
    response = admin.post(
        "/admin/venues/new", data=venue_form(**{**VENUE_IN_LANGUAGES, **overrides})
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html and f'href="#{field}"' in html
    assert (count(database, Venue), count(database, AuditEvent)) == before
    assert VENUE_IN_LANGUAGES["name_en"] in html  # what was typed is kept


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title_zh_hans": "课" * 121}, "title_zh_hans", "At most 120 characters."),
        ({"title_en": "x" * 121}, "title_en", "At most 120 characters."),
        ({"title_ko": "교\x00실"}, "title_ko", "invisible control characters"),
    ],
)
def test_a_bad_translation_of_a_course_title_is_refused_on_its_field_and_writes_nothing(
    admin, database, ward, overrides, field, message
):
    with database.read() as db:
        before = db.get(Course, ward.course_id).title_translations
    data = course_form(
        code="intro-iphone",
        title="スマホ入門（iPhone）",
        kind="intro",
        device_track="iphone",
        **{**COURSE_IN_LANGUAGES, **overrides},
    )
    response = admin.post(f"/admin/courses/{ward.course_id}/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    with database.read() as db:
        assert db.get(Course, ward.course_id).title_translations == before
    assert count(database, AuditEvent, action="course.update") == 0


def test_a_translation_error_is_told_in_the_administrators_language(admin, database, staff, ward):
    with database.write() as db:
        db.get(User, staff.admin).language = "ja"
    response = admin.post(
        f"/admin/venues/{ward.venue_id}/edit",
        data=venue_form(name="中央図書館", kind="library", name_ko="관" * 121),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "120文字以内で入力してください。" in html and 'id="name_ko-error"' in html
    assert "会場名（韓国語）" in html  # the label, in Japanese too
    with database.read() as db:
        assert db.get(Venue, ward.venue_id).name_translations == {}
