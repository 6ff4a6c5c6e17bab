"""The questions others asked most (issue 20), on both engines: only the answer's id,
language and day are kept, an answer is offered only once given three times in the period,
and two counted at once count two."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import inspect, select

from classroom.models import AnsweredQuestion
from classroom.services import popular
from tests.conftest import TOKYO_NEXT_DAY, TOKYO_SAME_DAY


def answered(database, answer_id, times=1, kind="faq", language="ja", now=TOKYO_SAME_DAY):
    with database.write() as s:
        return [popular.record(s, kind, answer_id, language, now=now) for _ in range(times)]


def most(database, language="ja", now=TOKYO_NEXT_DAY, **kwargs):
    with database.read() as s:
        return popular.most_asked(s, language, now=now, **kwargs)


def test_nothing_but_the_answer_its_language_day_and_count_is_kept():
    columns = {c.name for c in inspect(AnsweredQuestion).columns}
    assert columns == {"id", "answer_kind", "answer_id", "language", "day", "count"}


def test_an_answer_is_offered_only_once_given_three_times(database):
    answered(database, "koseki-juminhyo/convenience-store", times=2)
    assert most(database) == []
    answered(database, "koseki-juminhyo/convenience-store", now=TOKYO_NEXT_DAY)
    assert most(database) == [("faq", "koseki-juminhyo/convenience-store", 3)]


def test_most_given_first_per_language(database):
    answered(database, "hoikuen/fee", times=3)
    answered(database, "konbini", times=5, kind="guide")
    answered(database, "classes", times=4, kind="class")
    answered(database, "hoikuen/hours", times=9, language="en")
    assert most(database) == [
        ("guide", "konbini", 5),
        ("class", "classes", 4),
        ("faq", "hoikuen/fee", 3),
    ]
    assert most(database, limit=1) == [("guide", "konbini", 5)]
    assert most(database, language="en") == [("faq", "hoikuen/hours", 9)]
    assert most(database, language="ko") == []


def test_answers_older_than_the_period_are_not_offered(database):
    answered(database, "hoikuen/fee", times=3)
    later = TOKYO_SAME_DAY + timedelta(days=popular.PERIOD_DAYS)
    assert most(database, now=later) == []
    assert most(database, now=later - timedelta(days=1)) == [("faq", "hoikuen/fee", 3)]


def test_what_is_not_an_answer_is_not_kept(database):
    assert answered(database, "今日の天気") == [False]  # free text is never an id
    assert answered(database, "hoikuen/fee", language="fr; drop") == [False]
    assert answered(database, "hoikuen/fee", kind="Faq!") == [False]
    with database.read() as s:
        assert s.scalars(select(AnsweredQuestion)).all() == []


def test_two_at_once_count_two(database):
    n = 6
    start = threading.Barrier(n)
    errors = []

    def one():
        try:
            start.wait(timeout=30)
            answered(database, "covid/fee")
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert most(database) == [("faq", "covid/fee", n)]
