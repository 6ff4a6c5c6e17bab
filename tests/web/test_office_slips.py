"""The reservation slip: QR code of the opaque token, the code in large letters, Japanese dates."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from classroom.models import AuditEvent, Registration, Source, Venue
from classroom.services import registration
from classroom.services.actor import Actor
from classroom.services.codes import format_code
from content.loader import load_settings, settings_path
from web.office.slips import qr_svg

TOKYO = ZoneInfo("Asia/Tokyo")
WEEKDAYS = "月火水木金土日"


@pytest.fixture
def booked(database, ward) -> Registration:
    with database.write() as db:
        venue = db.get(Venue, ward.venue_id)
        venue.address = "つなぐ区中央1-2-3"
        venue.access = "つなぐ駅 東口から徒歩5分"
        return registration.register(
            db,
            session_id=ward.session_id,
            participant_id=ward.resident_id,
            source=Source.PHONE,
            actor=Actor.system(),
        ).registration


def japanese_when(database, registration_id) -> str:
    with database.read() as db:
        s = db.get(Registration, registration_id).session
        start, end = s.starts_at.astimezone(TOKYO), s.ends_at.astimezone(TOKYO)
    return f"{start.month}月{start.day}日（{WEEKDAYS[start.weekday()]}）{start:%H:%M}〜{end:%H:%M}"


def test_the_slip_has_everything_a_resident_needs_in_japanese(coordinator, database, booked):
    response = coordinator.get(f"/office/registrations/{booked.id}/slip")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ja">' in html  # residents read Japanese, whatever the staff reads
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}", format_code(booked.code))
    assert f'<p class="code">{format_code(booked.code)}</p>' in html
    assert japanese_when(database, booked.id) in html
    assert "山田 花子 様" in html and "スマホ入門（iPhone）" in html
    assert "中央図書館" in html and "つなぐ区中央1-2-3" in html and "徒歩5分" in html
    phone = load_settings(settings_path()).value_in("ward.phone", "ja")
    assert phone in html
    assert f'src="/office/registrations/{booked.id}/qr.svg"' in html
    for thing in ("スマートフォン", "充電器", "パスワード"):
        assert thing in html, thing
    assert "/static/css/page-a6.css" in html and "/static/css/slip.css" in html
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert "site-nav" not in html


def test_the_slip_can_be_printed_on_a4_or_in_english(coordinator, booked):
    html = coordinator.get(f"/office/registrations/{booked.id}/slip?size=a4").get_data(as_text=True)
    assert "/static/css/page-a4.css" in html and 'class="slip slip--a4"' in html
    html = coordinator.get(f"/office/registrations/{booked.id}/slip?size=b5").get_data(as_text=True)
    assert "/static/css/page-a6.css" in html
    html = coordinator.get(f"/office/registrations/{booked.id}/slip?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "What to bring" in html


def test_the_qr_code_carries_the_opaque_token_and_nothing_else(coordinator, booked):
    response = coordinator.get(f"/office/registrations/{booked.id}/qr.svg")
    assert response.status_code == 200
    assert response.content_type.startswith("image/svg+xml")
    assert response.data == qr_svg(booked.qr_token)
    assert response.data != qr_svg(booked.code)
    assert response.data.startswith(b"<svg") or b"<svg" in response.data[:200]


def test_printing_a_slip_is_audited(coordinator, database, booked):
    coordinator.get(f"/office/registrations/{booked.id}/slip")
    with database.read() as db:
        event = db.query(AuditEvent).filter_by(action="registration.slip").one()
        assert event.participant_id == booked.participant_id


def test_only_a_confirmed_seat_gets_a_slip(coordinator, database, booked):
    with database.write() as db:
        registration.cancel_registration(db, booked.id, actor=Actor.system())
    response = coordinator.get(f"/office/registrations/{booked.id}/slip")
    assert response.status_code == 409
    assert "Only a confirmed registration has a slip" in response.get_data(as_text=True)


def test_the_registration_and_session_pages_link_to_the_slip(coordinator, ward, booked):
    html = coordinator.get(f"/office/registrations/{booked.id}").get_data(as_text=True)
    assert f"/office/registrations/{booked.id}/slip" in html
    assert f"/office/registrations/{booked.id}/slip?size=a4" in html
    html = coordinator.get(f"/office/sessions/{ward.session_id}").get_data(as_text=True)
    assert f"/office/registrations/{booked.id}/slip" in html


def test_a_slip_for_nobody_is_not_found(coordinator):
    assert coordinator.get("/office/registrations/999/slip").status_code == 404
    assert coordinator.get("/office/registrations/999/qr.svg").status_code == 404


def test_an_english_slip_names_the_class_and_the_way_there_in_english(
    coordinator, database, booked
):
    """Issue 14: the slip's language is the resident's: the course, the venue (with its
    Japanese name, the sign's, beside) and the access line in English where the ward wrote
    them, the Japanese otherwise (marked lang=ja) — and a Japanese slip stays Japanese."""
    with database.write() as db:
        venue = db.get(Registration, booked.id).session.venue
        venue.name_translations = {"en": "Central Library", "ko": "중앙도서관"}
        venue.access_translations = {"en": "5 minutes on foot from the east exit"}
    path = f"/office/registrations/{booked.id}/slip"
    html = coordinator.get(f"{path}?lang=en").get_data(as_text=True)
    assert 'Central Library</strong>（<span lang="ja">中央図書館</span>）' in html
    assert '<span class="slip-access">5 minutes on foot from the east exit</span>' in html
    assert '<span lang="ja">スマホ入門（iPhone）</span>' in html  # no English title yet
    assert "중앙도서관" not in html and "徒歩5分" not in html
    html = coordinator.get(path).get_data(as_text=True)
    assert "<strong>中央図書館</strong>" in html and "Central Library" not in html
    assert "つなぐ駅 東口から徒歩5分" in html and "east exit" not in html
