"""A resident's daughter on her phone (390×844): books a class, keeps the slip, checks the
booking with its code and phone, and cancels it (issue 19), in Japanese and in English.

The Japanese walk also runs with JavaScript switched off (the pages need none); every
page of the walks with JavaScript passes axe-core (a local copy, nothing from a CDN) and
is no wider than the phone. Screenshots go to
test-artifacts/public-booking/ (or TSUNAGU_SHOTS_DIR).
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from classroom.models import (
    Course,
    CourseKind,
    DeviceTrack,
    Registration,
    RegistrationStatus,
    Venue,
    VenueKind,
    utcnow,
)
from classroom.services import sessions
from classroom.services.actor import Actor

from .conftest import PAGE_TIMEOUT_MS, assert_accessible

PHONE_VIEW = {"width": 390, "height": 844}


@pytest.fixture
def shots(artifacts):
    folder = Path(os.environ.get("TSUNAGU_SHOTS_DIR") or artifacts / "public-booking")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def a_class(live_server):
    with live_server.database.write() as db:
        course = Course(
            code="intro-android",
            title="スマホ入門（Android）",
            kind=CourseKind.INTRO,
            device_track=DeviceTrack.ANDROID,
            title_translations={"en": "Smartphone introduction (Android)"},
            lesson_ids=[],
        )
        venue = Venue(
            name="中央図書館",
            kind=VenueKind.LIBRARY,
            capacity=20,
            name_translations={"en": "Central Library"},
            address="東京都つなぐ区中央1-2-3",
            access="つなぐ駅 東口から徒歩5分",
            access_translations={"en": "5 minutes on foot from the east exit of Tsunagu station"},
        )
        db.add_all([course, venue])
        db.flush()
        starts = utcnow().replace(hour=5, minute=0, second=0, microsecond=0) + timedelta(days=7)
        return sessions.create_session(
            db,
            course_id=course.id,
            venue_id=venue.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            capacity=8,
            actor=Actor.system(),
        ).id


def _no_sideways_scroll(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEW["width"], f"{name}: {width}px wide"


@pytest.mark.parametrize(
    "lang, locale, javascript",
    [("ja", "ja-JP", True), ("en", "en-GB", True), ("ja", "ja-JP", False)],
    ids=["ja", "en", "ja-without-javascript"],
)
def test_book_keep_the_slip_check_and_cancel_on_a_phone(
    live_server, a_class, browser, shots, lang, locale, javascript
):
    context = browser.new_context(
        locale=locale, viewport=PHONE_VIEW, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    checked = []

    def look(name: str, full: bool = True) -> None:
        suffix = lang if javascript else f"{lang}-nojs"
        page.screenshot(path=str(shots / f"{name}-{suffix}.png"), full_page=full)
        if javascript:  # axe and the width check are scripts: not without JavaScript
            _no_sideways_scroll(page, name)
            assert_accessible(page, f"{name} ({lang})")
        checked.append(name)

    try:
        page.goto(f"{live_server.url}/classes/{a_class}")
        apply_link = page.locator(f'a[href="/classes/{a_class}/apply"]')
        apply_link.scroll_into_view_if_needed()
        look("class", full=False)
        apply_link.click()

        # the form: the kiosk's fields, consent, the family choice
        page.fill("#reading", "スズキ ハナコ")
        page.fill("#phone", "090-2222-3333")
        page.fill("#birth_year", "1950")
        page.check("#device-1")
        page.check("#for_family")
        page.fill("#contact_phone", "080-4444-5555")
        look("apply-form")
        page.click("button[type=submit]")  # consent not ticked yet: explained, nothing kept
        page.wait_for_selector("#consent-error")
        look("apply-missing-consent")
        page.check("#consent")
        page.click("button[type=submit]")

        # the slip
        page.wait_for_url(re.compile(r"/reservations/slip/"))
        code = page.locator(".code--big").inner_text()
        assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}", code)
        assert page.locator("svg.slip__qr title").count() == 1
        body = page.locator("main").inner_text()
        assert ("令和8年12月11日（金）" in body) if lang == "ja" else ("令和8年" in body)
        assert lang == "ja" or "December 11, 2026" in body
        assert ("徒歩5分" in body) if lang == "ja" else ("east exit" in body)
        assert "スズキ" not in body and "2222" not in body and "4444" not in body
        look("slip")
        page.emulate_media(media="print")
        page.screenshot(path=str(shots / f"slip-print-{lang}.png"), full_page=True)
        if javascript:  # printable: the slip fits one A4 page
            pdf = shots / f"slip-{lang}.pdf"
            page.pdf(path=str(pdf), format="A4")
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            assert re.search(r"^Pages:\s+1$", info, re.M), info
        page.emulate_media(media="screen")

        # check it with the code and the daughter's phone
        page.click('a[href="/reservations"].button')
        page.fill("#code", code.lower())
        page.fill("#phone", "08044445555")
        look("lookup-form")
        page.click("button[type=submit]")
        assert code in page.locator("main").inner_text()
        look("lookup-found")

        # cancel: a confirmation first
        page.click("form button.danger")
        page.wait_for_selector(".confirm")
        look("cancel-confirm")
        page.click(".confirm button.danger")
        page.wait_for_selector(".notice--ok")
        look("cancelled")
        with live_server.database.read() as db:
            [registration] = db.query(Registration).all()
            assert registration.status == RegistrationStatus.CANCELLED
            assert registration.booked_by_family
    finally:
        context.close()
    assert len(checked) == 8
