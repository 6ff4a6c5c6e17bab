"""What the result screen, the slip and 読み上げ say about a booking (kiosk.booking_text, no Kivy)."""

from __future__ import annotations

import datetime

import pytest

from kiosk import booking_text

SESSION = {
    "id": 7,
    "course": {"title": "スマホ入門（iPhone）", "titles": {"en": "Smartphone introduction"}},
    "venue": {
        "name": "中央図書館",
        "names": {"en": "Central Library"},
        "address": "中央1-2-3",
        "access": "つなぐ駅 東口から徒歩5分",
        "lends_phones": True,
    },
    # 10:00 on Thursday 31 December 2026 in Tokyo, ending at 11:30
    "starts_at": "2026-12-31T01:00:00Z",
    "ends_at": "2026-12-31T02:30:00Z",
    "seats_left": 0,
}


@pytest.mark.parametrize(
    "day, expected",
    [
        (datetime.date(2019, 4, 30), "平成31年"),
        (datetime.date(2019, 5, 1), "令和元年"),
        (datetime.date(2027, 1, 1), "令和9年"),
        (datetime.date(1989, 1, 7), "昭和64年"),
    ],
)
def test_the_japanese_era_year_turns_on_its_first_day(day, expected):
    assert booking_text.wareki(day) == expected


def test_the_date_has_weekday_and_era_in_the_wards_time_and_the_hours_both_ends():
    assert booking_text.long_date(SESSION, "ja") == "2026年（令和8年）12月31日（木）"
    assert booking_text.long_date(SESSION, "en") == "Thursday 31 December 2026"
    assert booking_text.hours(SESSION, "ja") == "10:00〜11:30"
    # 23:30 UTC is already the next day in Tokyo
    late = {**SESSION, "starts_at": "2026-12-31T15:30:00Z", "ends_at": "2026-12-31T16:30:00Z"}
    assert booking_text.long_date(late, "ja") == "2027年（令和9年）1月1日（金）"


def test_the_rows_hold_class_date_time_place_with_access_bring_and_code():
    result = {"status": "confirmed", "code": "K7Q3XP", "qr_token": "t"}
    rows = dict(booking_text.details(SESSION, result, "ja"))
    assert rows["教室"] == "スマホ入門（iPhone）" and rows["時間"] == "10:00〜11:30"
    assert rows["場所"] == "中央図書館\n中央1-2-3\nつなぐ駅 東口から徒歩5分"
    assert "充電器" in rows["持ち物"] and "お貸しします" in rows["持ち物"]
    assert rows["予約番号"] == "K7Q-3XP"
    # a resident who said which phone they bring is not offered a loaner
    assert "お貸し" not in dict(booking_text.details(SESSION, result, "ja", "iphone"))["持ち物"]


def test_waitlisted_says_no_seat_the_number_and_the_phone_call_and_no_reception():
    result = {"status": "waitlisted", "position": 4, "code": "H3T8W5PQ", "qr_token": "t"}
    said = " ".join(booking_text.spoken_result(SESSION, result, "ja"))
    assert "4 番" in said and "まだ席はありません" in said and "電話" in said
    assert "受付" not in said.replace("受付番号", "")  # nothing to show at reception
    assert "予約番号" not in said and "受付番号" in said
    english = " ".join(booking_text.spoken_result(SESSION, result, "en"))
    assert "no seat for you yet" in english and "number 4" in english
    assert "reception" not in english


def test_the_spoken_result_reads_every_row():
    result = {"status": "confirmed", "code": "K7Q3XP", "qr_token": "t"}
    said = " ".join(booking_text.spoken_result(SESSION, result, "ja"))
    for part in (
        "予約できました",
        "スマホ入門",
        "令和8年",
        "10:00〜11:30",
        "中央図書館",
        "つなぐ駅",
        "充電器",
        "K7Q-3XP",
    ):
        assert part in said


@pytest.mark.parametrize(
    "availability, bookable, shown",
    [
        ({"state": "open", "bookable": True}, True, "残り0席"),
        ({"state": "waitlist", "bookable": True}, True, "満席：キャンセル待ちできます"),
        (
            {"state": "lottery", "bookable": True, "deadline": "2026-12-20T08:00:00Z"},
            True,
            "抽選：12月20日（日） 17:00まで",
        ),
        (
            {"state": "closed", "bookable": False, "reason": "deadline_passed"},
            False,
            "受付は終わりました",
        ),
    ],
)
def test_the_list_shows_the_servers_availability_and_a_closed_class_is_not_bookable(
    availability, bookable, shown
):
    session = {**SESSION, "availability": availability}
    assert booking_text.bookable(session) is bookable
    assert booking_text.availability(session, "ja") == shown
