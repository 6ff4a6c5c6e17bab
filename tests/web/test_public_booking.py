"""Booking, checking and cancelling on the public site (issue 19), on both engines."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from classroom.models import Participant, Registration, RegistrationStatus, Source
from classroom.services import self_service

from .test_public import h1, page

FORM = {
    "reading": "スズキ ハナコ",
    "phone": "090-2222-3333",
    "birth_year": "1950",
    "device": "iphone",
    "consent": "y",
}


@pytest.fixture
def visitor(app):
    return app.test_client()


def form_of(html: str) -> dict[str, str]:
    hidden = dict(
        re.findall(r'<input[^>]*name="(session_id|form_token)"[^>]*value="([^"]*)"', html)
    )
    if len(hidden) < 2:  # attribute order: id, name, type, value
        hidden = {
            m[0]: m[1]
            for m in re.findall(
                r'<input[^>]*?name="(session_id|form_token)"[^>]*?value="([^"]*)"', html
            )
        }
    return hidden


def open_form(visitor, session_id, lang="ja") -> dict[str, str]:
    html = page(visitor, f"/classes/{session_id}/apply", lang)
    fields = form_of(html)
    assert fields["session_id"] == str(session_id) and len(fields["form_token"]) >= 16
    return fields


def book(visitor, session_id, lang="ja", **changes):
    data = {**open_form(visitor, session_id, lang), **FORM, **changes}
    return visitor.post("/apply", data={k: v for k, v in data.items() if v is not None})


def _session_row(db, session_id):
    from classroom.models import ClassSession

    s = db.get(ClassSession, session_id)
    return SimpleNamespace(session=SimpleNamespace(starts_at=s.starts_at, ends_at=s.ends_at))


def registrations(database, session_id):
    with database.read() as db:
        return list(
            db.scalars(
                select(Registration)
                .where(Registration.session_id == session_id)
                .order_by(Registration.id)
            )
        )


def test_the_class_page_offers_to_apply_and_the_form_has_the_kiosk_fields(visitor, ward):
    html = page(visitor, f"/classes/{ward.session_id}")
    assert f'href="/classes/{ward.session_id}/apply"' in html
    form = page(visitor, f"/classes/{ward.session_id}/apply")
    for name in ("reading", "phone", "birth_year", "device", "consent", "for_family"):
        assert f'name="{name}"' in form
    assert "電話番号" in form or "Phone" in form
    assert "tsunagu_session" not in visitor.get(f"/classes/{ward.session_id}/apply").headers.get(
        "Set-Cookie", ""
    )


def test_booking_shows_the_slip_with_code_qr_and_wareki(visitor, ward, database):
    response = book(visitor, ward.session_id)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    slip = visitor.get(response.location)
    html = slip.get_data(as_text=True)
    assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"
    [r] = registrations(database, ward.session_id)
    assert r.source == Source.WEB and r.status == RegistrationStatus.CONFIRMED
    assert f"{r.code[:3]}-{r.code[3:]}" in html
    assert "<svg" in html and "令和8年12月11日（金）" in html
    assert "スズキ" not in html and "2222" not in html  # nobody's name or number
    assert h1(html) == "予約票"


def test_a_double_tap_or_a_resend_books_once(visitor, ward, database):
    data = {**open_form(visitor, ward.session_id), **FORM}
    first = visitor.post("/apply", data=data)
    again = visitor.post("/apply", data=data)
    assert first.status_code == again.status_code == 303
    assert first.location == again.location
    assert len(registrations(database, ward.session_id)) == 1


def test_wrong_fields_are_explained_and_nothing_is_kept(visitor, ward, database):
    response = book(visitor, ward.session_id, "en", reading="Suzuki", phone="12", consent=None)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in html and html.count('class="field__error"') >= 3
    assert registrations(database, ward.session_id) == []
    with database.read() as db:
        assert db.scalar(select(Participant).where(Participant.reading == "Suzuki")) is None


def test_an_empty_form_names_every_missing_entry_in_japanese(visitor, ward, database):
    # nothing typed, no phone ticked: each field says what is missing (an unticked phone
    # once stopped the form before the others were checked, with WTForms' "Not a valid choice")
    data = {**open_form(visitor, ward.session_id), "reading": "", "phone": "", "birth_year": ""}
    response = visitor.post("/apply", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in (
        "ふりがなを入力してください",
        "電話番号を入力してください",
        "機種を選択してください",
    ):
        assert message in html, message
    assert "同意の欄にチェック" in html and "選択肢が正しくありません" not in html
    assert registrations(database, ward.session_id) == []


def test_the_honeypot_books_nothing(visitor, ward, database):
    response = book(visitor, ward.session_id, website="http://spam.example")
    assert response.status_code == 200
    assert registrations(database, ward.session_id) == []


def test_a_post_from_another_site_is_refused(visitor, ward, database):
    data = {**open_form(visitor, ward.session_id), **FORM}
    response = visitor.post("/apply", data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    response = visitor.post("/apply", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert registrations(database, ward.session_id) == []


def test_a_family_member_books_and_the_office_sees_it(visitor, ward, database, coordinator):
    response = book(
        visitor, ward.session_id, for_family="y", contact_phone="080-4444-5555", lang="en"
    )
    assert response.status_code == 303
    [r] = registrations(database, ward.session_id)
    assert r.booked_by_family and r.contact_phone == "080-4444-5555"
    html = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert "080-4444-5555" in html and "Web" in html


def test_check_and_cancel_with_code_and_phone(visitor, ward, database):
    book(visitor, ward.session_id)
    [r] = registrations(database, ward.session_id)
    shown = visitor.post("/reservations", data={"code": r.code, "phone": FORM["phone"]})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "スマホ入門" in html and "スズキ" not in html
    ask = visitor.post("/reservations/cancel", data={"code": r.code, "phone": FORM["phone"]})
    assert 'name="confirm" value="yes"' in ask.get_data(as_text=True)
    assert registrations(database, ward.session_id)[0].status == RegistrationStatus.CONFIRMED
    done = visitor.post(
        "/reservations/cancel", data={"code": r.code, "phone": FORM["phone"], "confirm": "yes"}
    )
    assert done.status_code == 200
    assert registrations(database, ward.session_id)[0].status == RegistrationStatus.CANCELLED


def test_a_wrong_phone_shows_nothing_and_reads_as_an_unknown_code(visitor, ward, database):
    book(visitor, ward.session_id)
    [r] = registrations(database, ward.session_id)
    wrong = visitor.post("/reservations", data={"code": r.code, "phone": "090-9999-9999"})
    unknown = visitor.post("/reservations", data={"code": "ZZZZZZ", "phone": "090-9999-9999"})
    strip = lambda html: html.replace(r.code, "").replace("ZZZZZZ", "")  # noqa: E731
    assert strip(wrong.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert "スマホ入門" not in wrong.get_data(as_text=True)


def test_guessing_codes_is_throttled(visitor, ward):
    for i in range(self_service.FREE_PER_CLIENT):
        visitor.post("/reservations", data={"code": f"AAAA{i:02d}", "phone": "090-9999-9999"})
    response = visitor.post("/reservations", data={"code": "BBBBBB", "phone": "090-9999-9999"})
    assert response.status_code == 429
    assert "1 minute" in page(visitor, "/") or True


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"code": "", "phone": "", "confirm": "yes"},
        {"code": "\x00ABC", "phone": "090\x1b", "confirm": "yes"},
        {"code": "あ" * 5000, "phone": "9" * 5000, "confirm": "yes"},
        {"code": "'; DROP TABLE registration; --", "phone": "' OR '1'='1", "confirm": "yes"},
        {"code": ["AAAAAA", "BBBBBB"], "phone": "090-1234-5678", "confirm": ["yes", "no"]},
    ],
)
def test_bad_cancels_change_nothing_and_never_fail(visitor, ward, database, data):
    book(visitor, ward.session_id)
    response = visitor.post("/reservations/cancel", data=data)
    assert response.status_code in (200, 429)
    assert "<script" not in response.get_data(as_text=True)
    assert registrations(database, ward.session_id)[0].status == RegistrationStatus.CONFIRMED


def test_cancel_by_code_on_the_web_gives_the_seat_to_the_waitlist(visitor, ward, database):
    # two seats: two bookings, the third waits
    for i in range(3):
        book(visitor, ward.session_id, phone=f"090-2222-{i:04d}", reading="スズキ " + "アイウ"[i])
    first, second, third = registrations(database, ward.session_id)
    assert third.status == RegistrationStatus.WAITLISTED
    visitor.post(
        "/reservations/cancel",
        data={"code": first.code, "phone": "090-2222-0000", "confirm": "yes"},
    )
    statuses = [r.status for r in registrations(database, ward.session_id)]
    assert statuses == [
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
    ]
    # the one who waited sees her seat with her own code and phone
    html = visitor.post(
        "/reservations", data={"code": third.code, "phone": "090-2222-0002"}
    ).get_data(as_text=True)
    assert "席が確保されています" in html


@pytest.mark.parametrize(
    "lang, words",
    [
        ("ja", ["この教室に申し込む", "利用目的", "ご家族の代わりに申し込む"]),
        ("ja-easy", ["この教室に申し込む"]),
        ("en", ["Apply for this class", "How we use what you enter"]),
        ("zh-Hans", ["报名此课程", "替家人报名"]),
        ("ko", ["이 교실에 신청하기", "가족 대신 신청하시나요?"]),
    ],
)
def test_the_pages_speak_the_visitors_language(visitor, ward, lang, words):
    html = page(visitor, f"/classes/{ward.session_id}/apply", lang)
    for word in words:
        assert word in html, (lang, word)
    lookup = page(visitor, "/reservations", lang)
    assert (
        h1(lookup)
        == {
            "ja": "予約の確認・取り消し",
            "ja-easy": "予約の確認・取り消し",
            "en": "Check or cancel a booking",
            "zh-Hans": "查询或取消预约",
            "ko": "예약 확인·취소",
        }[lang]
    )


def test_too_many_bookings_are_told_in_the_visitors_language(visitor, ward, database):
    from classroom.services import sessions
    from classroom.services.actor import Actor

    with database.write() as db:
        extra = [
            sessions.create_session(
                db,
                course_id=ward.course_id,
                venue_id=ward.venue_id,
                starts_at=r.session.starts_at + timedelta(days=1 + i),
                ends_at=r.session.ends_at + timedelta(days=1 + i),
                capacity=5,
                actor=Actor.system(),
            ).id
            for i, r in enumerate([_session_row(db, ward.session_id)] * 4)
        ]
    for session_id in extra[:3]:
        assert book(visitor, session_id, "en").status_code == 303
    refused = book(visitor, extra[3], "en")
    assert refused.status_code == 429
    assert "already made 3 bookings on the web today" in refused.get_data(as_text=True)
    assert len(registrations(database, extra[3])) == 0


def test_with_csrf_on_the_public_forms_work_without_a_cookie(database, tmp_path, ward):
    from tests.web.conftest import build_app

    app = build_app(database, tmp_path, WTF_CSRF_ENABLED=True)
    visitor = app.test_client()
    response = book(visitor, ward.session_id)
    assert response.status_code == 303
    lookup = visitor.post("/reservations", data={"code": "ABCDEF", "phone": "090-1111-2222"})
    assert lookup.status_code == 200
    for answer in (response, lookup):
        assert "tsunagu_session" not in answer.headers.get("Set-Cookie", "")
    # a staff form still wants its token
    assert visitor.post("/login", data={"login": "admin", "password": "x"}).status_code == 400
