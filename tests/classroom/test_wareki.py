"""Birth years as residents say them: 昭和22年."""

import pytest

from classroom.wareki import era_of_year, parse_year, wareki_year


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
