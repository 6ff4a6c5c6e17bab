"""Unanswered questions (issue 20), on both engines: kept without a name, scrubbed of phone
numbers and reservation codes, counted exactly under concurrency, and purged after a year."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from classroom.models import UnansweredQuestion
from classroom.services import unanswered
from tests.conftest import TOKYO_MIDNIGHT, TOKYO_NEXT_DAY, TOKYO_SAME_DAY


def ask(database, question, language="ja", place=unanswered.WEB_PLACE, now=TOKYO_SAME_DAY):
    with database.write() as s:
        return unanswered.record(s, question, language, place=place, now=now)


def rows(database):
    with database.read() as s:
        return [
            (r.text, r.language, r.place, r.day, r.count)
            for r in s.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id))
        ]


def test_the_page_and_the_content_agree_on_the_longest_question():
    from content.ask import MAX_CHARS

    assert unanswered.MAX_CHARS == MAX_CHARS


def test_identical_questions_add_up_per_day_and_place(database):
    assert ask(database, "今日の天気は？")
    assert ask(database, "  今日の　天気は？ ")  # spaces and a full-width space fold away
    assert ask(database, "今日の天気は？", place="区役所1階ロビー")
    assert ask(database, "今日の天気は？", now=TOKYO_NEXT_DAY)
    assert rows(database) == [
        ("今日の天気は?", "ja", "/ask", date(2026, 12, 4), 2),
        ("今日の天気は?", "ja", "区役所1階ロビー", date(2026, 12, 4), 1),
        ("今日の天気は?", "ja", "/ask", date(2026, 12, 5), 1),
    ]


def test_the_day_is_the_wards_day_without_the_time(database):
    ask(database, "weather today", "en", now=TOKYO_MIDNIGHT)  # 15:00 UTC: 5 Dec in Tokyo
    ((_text, _lang, _place, day, _count),) = rows(database)
    assert day == date(2026, 12, 5)
    assert {c.name for c in UnansweredQuestion.__table__.columns} == {
        "id",
        "text",
        "language",
        "place",
        "day",
        "count",
    }


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("電話 03-1234-5678 に折り返して", "電話[phone]に折り返して"),
        ("０９０ー１２３４ー５６７８から電話", "[phone]から電話"),
        ("call me on +81 90 1234 5678", "call me on [phone]"),
        ("(03)1234-5678", "[phone]"),
        ("予約番号ABC234を取り消したい", "予約番号[code]を取り消したい"),
        ("予約 abc-def キャンセル", "予約[code]キャンセル"),
        ("code K7MP2X please", "code [code] please"),
        ("ＫＭＰＲＳＴの予約", "[code]の予約"),
        ("mail taro@example.jp please", "mail [email] please"),
        # what is not personal stays: years, times, short numbers, ordinary words
        ("2026年12月5日 10時から", "2026年12月5日10時から"),
        ("my heater is broken", "my heater is broken"),
        ("第3子の手当", "第3子の手当"),
    ],
)
def test_phone_numbers_codes_and_addresses_are_replaced_by_a_mark(database, typed, kept):
    assert ask(database, typed)
    assert [r[0] for r in rows(database)] == [kept]


def test_what_the_page_refuses_is_not_kept(database):
    assert not ask(database, "")
    assert not ask(database, " \u3000\x00 ")
    assert not ask(database, "あ" * (unanswered.MAX_CHARS + 1))
    assert not ask(database, "ok", language="../../etc")
    assert not ask(database, None)  # type: ignore[arg-type]
    assert ask(database, "あ" * unanswered.MAX_CHARS)
    assert len(rows(database)) == 1


def test_a_kiosk_is_kept_by_its_location_only(database):
    ask(database, "天気", place="  中央図書館\n2階 ")
    ask(database, "天気", place="")
    assert [r[2] for r in rows(database)] == ["中央図書館 2階", unanswered.KIOSK_PLACE]


def test_two_identical_questions_at_once_count_two(database):
    n = 8
    start = threading.Barrier(n)
    errors = []

    def one():
        try:
            start.wait(timeout=30)
            ask(database, "ゴミの出し方")
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [r[4] for r in rows(database)] == [n]


def test_the_staff_list_groups_counts_and_orders(database):
    for _ in range(3):
        ask(database, "粗大ごみ", now=TOKYO_SAME_DAY - timedelta(days=10))
    ask(database, "粗大ごみ", place="図書館", now=TOKYO_SAME_DAY - timedelta(days=2))
    ask(database, "天気", now=TOKYO_SAME_DAY)
    ask(database, "weather", "en", now=TOKYO_SAME_DAY - timedelta(days=5))
    with database.read() as s:
        newest = unanswered.summary(s)
        most = unanswered.summary(s, order="most")
        recent = unanswered.summary(s, since=date(2026, 11, 29), until=date(2026, 12, 4))
        with pytest.raises(ValueError):
            unanswered.summary(s, order="random")
    assert [(a.text, a.count) for a in newest] == [("天気", 1), ("粗大ごみ", 4), ("weather", 1)]
    assert [(a.text, a.count) for a in most] == [("粗大ごみ", 4), ("天気", 1), ("weather", 1)]
    gomi = most[0]
    assert gomi.places == {"/ask": 3, "図書館": 1}
    assert (gomi.first_day, gomi.last_day) == (date(2026, 11, 24), date(2026, 12, 2))
    assert [(a.text, a.count) for a in recent] == [("天気", 1), ("粗大ごみ", 1), ("weather", 1)]
    csv = unanswered.export_rows(most)
    assert csv[0][0] == "Question" and csv[1][:3] == ["粗大ごみ", "ja", 4]
    assert csv[1][5] == "/ask (3); 図書館 (1)"


def test_purge_removes_rows_older_than_a_year(database):
    old = TOKYO_SAME_DAY - timedelta(days=unanswered.RETENTION_DAYS + 1)
    ask(database, "古い質問", now=old)
    ask(database, "境目", now=TOKYO_SAME_DAY - timedelta(days=unanswered.RETENTION_DAYS))
    ask(database, "新しい質問")
    with database.write() as s:
        assert unanswered.purge(s, now=TOKYO_SAME_DAY) == 1  # a dry run
    assert len(rows(database)) == 3
    with database.write() as s:
        assert unanswered.purge(s, apply=True, now=TOKYO_SAME_DAY) == 1
    assert [r[0] for r in rows(database)] == ["境目", "新しい質問"]
