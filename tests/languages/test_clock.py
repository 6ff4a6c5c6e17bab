"""The ward's clock (languages/clock.py): every room counts days in the zone the settings
name, so the kiosk, the content review and the domain core agree on "today" at Tokyo midnight."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk import booking_text
from kiosk.numbers import YOUNGEST_AGE, InvalidYear, birth_year
from languages.clock import ward_today, ward_zone
from tests.conftest import NEW_YEAR, TOKYO_MIDNIGHT

# 15:30 UTC on 4 December is 00:30 on 5 December in Tokyo
CLASS = {"starts_at": "2026-12-04T15:30:00Z", "ends_at": "2026-12-04T17:00:00Z"}


def test_today_is_the_wards_date_not_utcs(monkeypatch, frozen_clock):
    monkeypatch.delenv("TSUNAGU_TIMEZONE", raising=False)
    frozen_clock(TOKYO_MIDNIGHT)
    assert ward_today() == date(2026, 12, 5)
    assert str(ward_zone()) == "Asia/Tokyo"
    monkeypatch.setenv("TSUNAGU_TIMEZONE", "UTC")
    assert ward_today() == date(2026, 12, 4)


def test_the_kiosk_shows_a_class_on_the_wards_day(monkeypatch):
    monkeypatch.delenv("TSUNAGU_TIMEZONE", raising=False)
    assert booking_text.when(CLASS, "ja").startswith("12月5日（土） 00:30")
    monkeypatch.setenv("TSUNAGU_TIMEZONE", "UTC")
    assert booking_text.when(CLASS, "ja").startswith("12月4日（金） 15:30")


def test_the_kiosks_birth_year_pad_counts_the_year_in_the_wards_zone(monkeypatch, frozen_clock):
    """At 00:00 on 1 January in Tokyo it is already the new year for the plausibility check."""
    monkeypatch.delenv("TSUNAGU_TIMEZONE", raising=False)
    frozen_clock(NEW_YEAR)
    latest = 2027 - YOUNGEST_AGE
    assert birth_year("西暦", str(latest)) == latest
    monkeypatch.setenv("TSUNAGU_TIMEZONE", "UTC")
    with pytest.raises(InvalidYear):
        birth_year("西暦", str(latest))
