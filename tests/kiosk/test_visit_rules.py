"""The rules behind the booking screens, idle reset and lock-down. No window needed."""

from __future__ import annotations

import datetime
from functools import reduce

import pytest

from kiosk import kana, numbers
from kiosk.config import ConfigError, load
from kiosk.idle import IdleWatcher
from kiosk.lockdown import CornerSequence, corner_of, pin_matches
from kiosk.visit import Visit
from tests.kiosk.fake_server import SESSION

TODAY = datetime.date(2026, 11, 26)


def typed(*keys: str) -> str:
    return reduce(kana.press, keys, "")


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


# -- the kana keyboard ---------------------------------------------------------------
def test_ka_then_dakuten_is_ga():
    assert typed("カ", "゛") == "ガ"
    assert typed("ハ", "゜") == "パ"
    assert typed("ハ", "゛", "゜") == "パ"  # ゜ on バ: the resident meant パ


def test_the_same_mark_again_undoes_it():
    assert typed("カ", "゛", "゛") == "カ"
    assert typed("ツ", "小", "小") == "ツ"


def test_small_tsu_and_small_ya():
    assert typed("キ", "ツ", "小", "テ") == "キッテ"
    assert typed("キ", "ヤ", "小") == "キャ"


def test_marks_where_they_cannot_apply_change_nothing():
    assert typed("゛") == "" and typed("ア", "゛") == "ア" and typed("マ", "゜") == "マ"


def test_a_name_with_space_and_long_vowel_is_sent_in_katakana():
    name = typed("サ", "ト", "ウ", kana.SPACE, kana.SPACE, "ユ", "ウ", "コ", "ー")
    assert name == "サトウ\u3000ユウコー"
    assert kana.reading_for_api(name) == "サトウ ユウコー"
    assert kana.press("", kana.SPACE) == "" and kana.press("", "ー") == ""
    assert kana.delete("ガ") == "" and kana.to_katakana("やまだ") == "ヤマダ"


def test_the_name_has_a_length_limit():
    assert len(typed(*["ア"] * 40)) == kana.MAX_LENGTH


# -- 和暦 and phone numbers ----------------------------------------------------------
@pytest.mark.parametrize(
    ("era", "year", "gregorian"),
    [
        ("昭和", 22, 1947),
        ("昭和", 1, 1926),
        ("昭和", 64, 1989),
        ("平成", 1, 1989),
        ("平成", 31, 2019),
        ("大正", 15, 1926),
        ("令和", 1, 2019),
        ("西暦", 1948, 1948),
    ],
)
def test_wareki_to_seireki(era, year, gregorian):
    assert numbers.to_gregorian(era, year) == gregorian


@pytest.mark.parametrize(
    ("era", "digits"),
    [
        ("昭和", "65"),
        ("平成", "32"),
        ("平成", "0"),
        ("大正", "16"),
        ("令和", "3"),  # a child of five: valid 和暦, not a plausible participant
        ("西暦", "1850"),
        ("西暦", "2030"),
        ("昭和", ""),
    ],
)
def test_impossible_or_implausible_birth_years_are_refused(era, digits):
    with pytest.raises(numbers.InvalidYear):
        numbers.birth_year(era, digits, TODAY)


def test_plausible_birth_years_pass():
    assert numbers.birth_year("昭和", "23", TODAY) == 1948
    assert numbers.birth_year("西暦", "1940", TODAY) == 1940


def test_phone_numbers():
    assert numbers.phone_digits_ok("09012345678") and numbers.phone_digits_ok("0312345678")
    assert not numbers.phone_digits_ok("9012345678") and not numbers.phone_digits_ok("090")
    assert numbers.format_phone("09012345678") == "090-1234-5678"
    assert numbers.format_phone("0312345678") == "03-1234-5678"


# -- idle ----------------------------------------------------------------------------
def test_idle_warns_after_ninety_seconds_and_resets_twenty_later():
    clock = FakeClock()
    idle = IdleWatcher(clock)
    clock.now = 89
    assert idle.poll() is None
    clock.now = 90
    assert idle.poll() == "warn"
    assert idle.poll() is None, "the warning is given once"
    clock.now = 95
    assert idle.seconds_left() == 15
    clock.now = 109.5
    assert idle.poll() is None and idle.seconds_left() == 1
    clock.now = 110
    assert idle.poll() == "reset"
    clock.now = 150
    assert idle.poll() is None, "the next visit has its own 90 s"


def test_a_touch_keeps_the_visit_and_answers_the_warning():
    clock = FakeClock()
    idle = IdleWatcher(clock)
    clock.now = 80
    idle.touch()
    clock.now = 169
    assert idle.poll() is None
    clock.now = 170
    assert idle.poll() == "warn"
    clock.now = 185
    idle.touch()  # 続けます
    clock.now = 200
    assert idle.poll() is None and idle.state == "active"


# -- the visit -----------------------------------------------------------------------
def test_a_visit_is_forgotten_on_reset():
    visit = Visit(
        session=SESSION,
        consent=True,
        reading="ヤマダ",
        phone_digits="09000000001",
        era="平成",
        year_digits="3",
        birth_year=1991,
    )
    visit.confirm()
    visit.result = {"status": "confirmed", "code": "AB0002"}
    assert not visit.empty
    visit.reset()
    assert visit.empty and visit.result == {} and visit.attempt_key == ""


def test_one_key_per_attempt():
    visit = Visit()
    first = visit.confirm()
    assert visit.confirm() == first, "a double tap sends the same booking"
    visit.change_booking()
    assert visit.confirm() != first


def test_the_phone_is_asked_only_for_a_class_for_any_phone():
    any_phone = {**SESSION, "course": {**SESSION["course"], "device_track": "any"}}
    assert not Visit(session=SESSION).needs_device
    visit = Visit(session=any_phone, reading="ア", phone_digits="0312345678", birth_year=1950)
    assert visit.needs_device and visit.booking()["device"] == "none"
    visit.device = "android"
    assert visit.booking()["device"] == "android"


def test_the_booking_body_holds_only_what_the_server_needs():
    visit = Visit(
        session=SESSION, reading="ヤマダ\u3000ハナコ", phone_digits="09000000001", birth_year=1948
    )
    assert visit.booking() == {
        "session_id": 12,
        "reading": "ヤマダ ハナコ",
        "phone": "090-0000-0001",
        "birth_year": 1948,
        "device": "iphone",
    }


# -- lock-down and config ------------------------------------------------------------
def test_corners():
    assert corner_of(10, 1070, 1920, 1080) == "top-left"
    assert corner_of(1910, 10, 1920, 1080) == "bottom-right"
    assert corner_of(960, 1070, 1920, 1080) is None


def test_the_corner_sequence_must_be_done_in_order_within_five_seconds():
    clock = FakeClock()
    corners = CornerSequence(clock)
    order = ["top-left", "top-right", "bottom-right", "bottom-left"]
    assert [corners.tap(c) for c in order] == [False, False, False, True]
    assert not any(corners.tap(c) for c in ["top-left", "bottom-right", "top-right", "bottom-left"])
    results = []
    for corner in order:
        results.append(corners.tap(corner))
        clock.now += 2  # 6 s for the four taps
    assert results == [False, False, False, False]


def test_the_pin():
    assert pin_matches("2468", "2468")
    assert not pin_matches("2469", "2468") and not pin_matches("", "")


def test_config_from_toml_ini_and_options(tmp_path):
    toml = tmp_path / "kiosk.toml"
    toml.write_text(
        'server = "http://a"\ntoken = "t"\nstaff_pin = "1234"\nfullscreen = false\n'
        f'data_dir = "{tmp_path / "data"}"\n'
    )
    config = load(toml, server="http://b", token=None)
    assert config.server == "http://b" and config.token == "t" and config.staff_pin == "1234"
    assert config.fullscreen is False and config.data_dir == tmp_path / "data"
    ini = tmp_path / "kiosk.ini"
    ini.write_text("[kiosk]\nserver = http://c\nfullscreen = no\nprinter = none\n")
    assert load(ini).server == "http://c" and load(ini).fullscreen is False
    bad = tmp_path / "bad.toml"
    bad.write_text('servr = "x"\n')
    with pytest.raises(ConfigError):
        load(bad)
