"""The one era table (languages.wareki): birth years as residents say them, 昭和22年."""

from datetime import date

import pytest

from languages.wareki import (
    ERAS,
    era_of_day,
    era_of_year,
    last_year,
    parse_year,
    to_gregorian,
    wareki_of_day,
    wareki_year,
)


@pytest.mark.parametrize(
    ("day", "era", "era_year", "written"),
    [
        (date(1989, 1, 7), "昭和", 64, "昭和64年"),
        (date(1989, 1, 8), "平成", 1, "平成元年"),
        (date(2019, 4, 30), "平成", 31, "平成31年"),
        (date(2019, 5, 1), "令和", 1, "令和元年"),
        (date(1926, 12, 24), "大正", 15, "大正15年"),
        (date(1926, 12, 25), "昭和", 1, "昭和元年"),
    ],
)
def test_the_eras_meet_at_their_boundaries(day, era, era_year, written):
    assert era_of_day(day) == (era, era_year)
    assert wareki_of_day(day) == written


def test_each_era_ends_the_day_before_the_next_begins():
    for era, following in zip(ERAS, ERAS[1:], strict=False):
        eve = date.fromordinal(following.start.toordinal() - 1)
        assert era_of_day(eve) == (era.name, last_year(era.name))
        assert era_of_day(following.start) == (following.name, 1)
        assert to_gregorian(era.name, last_year(era.name)) == following.start.year
        assert to_gregorian(following.name, 1) == following.start.year
    assert last_year(ERAS[-1].name) is None
    assert era_of_day(date(1868, 10, 22)) is None and wareki_of_day(date(1868, 10, 22)) == ""


@pytest.mark.parametrize(("era", "year"), [("昭和", 65), ("平成", 32), ("平成", 0), ("寛永", 3)])
def test_a_year_an_era_never_had_is_refused(era, year):
    with pytest.raises(ValueError):
        to_gregorian(era, year)


@pytest.mark.parametrize(
    ("year", "japanese", "english"),
    [
        (1947, "昭和22年", "Showa 22"),
        (1926, "大正15年", "Taisho 15"),  # 昭和 began on 25 December
        (1927, "昭和2年", "Showa 2"),
        (1989, "平成元年", "Heisei 1"),  # 平成 began on 8 January
        (2019, "令和元年", "Reiwa 1"),  # 令和 began on 1 May
        (1912, "明治45年", "Meiji 45"),  # 大正 began on 30 July: most of 1912 was 明治
    ],
)
def test_years_in_the_japanese_calendar(year, japanese, english):
    assert wareki_year(year, "ja") == japanese
    assert wareki_year(year, "en") == english


def test_unknown_or_too_early_years_are_blank():
    assert wareki_year(None) == ""
    assert era_of_year(1850) is None


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("1948", 1948),
        ("昭和23", 1948),
        ("昭和23年", 1948),
        ("昭23", 1948),
        ("S23", 1948),
        ("s.23", 1948),
        ("平成元年", 1989),
        ("H1", 1989),
        ("大正15", 1926),
        ("R7", 2025),
        ("23", None),  # which era?
        ("昭和", None),
        ("S99", None),
        ("やまだ", None),
    ],
)
def test_a_year_is_read_as_typed_western_or_japanese(typed, year):
    """The walk-in search takes the year of birth as residents say it."""
    assert parse_year(typed) == year
