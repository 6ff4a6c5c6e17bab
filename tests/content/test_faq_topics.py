"""The shipped FAQ (the ward's four chatbot topics) answers what residents ask the counters.

Issue 14: each topic has at least 20 questions; every question, answer and "where next" is
written in all five languages; answers name ward values only through placeholders the
settings know; やさしい日本語 keeps the fees and hours of the Japanese answer and never
writes 区 as 「くに」 (which reads as 国).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from content.loader import CONTENT_DIR, load_settings, settings_path
from content.model import PLACEHOLDER

FAQ_DIR = CONTENT_DIR / "faq"
TOPICS = ("covid", "hoikuen", "koseki-juminhyo", "kodomo-teate")
LANGUAGES = ("ja", "ja-easy", "en", "zh-Hans", "ko")
MIN_QUESTIONS = 20

pytestmark = pytest.mark.skipif(not FAQ_DIR.is_dir(), reason="no shipped content")


def topic(topic_id: str) -> dict:
    return yaml.safe_load((FAQ_DIR / f"{topic_id}.yaml").read_text(encoding="utf-8"))


def texts(question: dict):
    """(field, language mapping) of every resident-facing text of one question."""
    for field in ("q", "a", "next"):
        if field in question:
            yield field, question[field]


def test_the_four_chatbot_topics_are_shipped() -> None:
    assert sorted(path.stem for path in FAQ_DIR.glob("*.yaml")) == sorted(TOPICS)


@pytest.mark.parametrize("topic_id", TOPICS)
def test_each_topic_has_at_least_20_questions(topic_id: str) -> None:
    questions = topic(topic_id)["questions"]
    assert len(questions) >= MIN_QUESTIONS, f"{topic_id}: only {len(questions)} questions"
    ids = [q["id"] for q in questions]
    assert len(set(ids)) == len(ids)
    # a question is asked once: no two questions with the same Japanese wording
    assert len({q["q"]["ja"] for q in questions}) == len(questions)


@pytest.mark.parametrize("topic_id", TOPICS)
def test_every_question_and_answer_is_in_all_five_languages(topic_id: str) -> None:
    data = topic(topic_id)
    lacking = [
        ("title", code) for code in LANGUAGES if not str(data["title"].get(code, "")).strip()
    ]
    for question in data["questions"]:
        assert "next" in question, f"{topic_id}/{question['id']} says nowhere to go next"
        for field, text in texts(question):
            lacking += [
                (f"{question['id']}.{field}", code)
                for code in LANGUAGES
                if not str(text.get(code, "")).strip()
            ]
    assert lacking == []


@pytest.mark.parametrize("topic_id", TOPICS)
def test_answers_use_only_placeholders_the_settings_know(topic_id: str) -> None:
    settings = load_settings(settings_path(CONTENT_DIR))
    unknown = []
    for question in topic(topic_id)["questions"]:
        for field, text in texts(question):
            for code, value in text.items():
                unknown += [
                    (question["id"], field, code, match.group(0))
                    for match in PLACEHOLDER.finditer(str(value))
                    if not settings.has_value(match.group(1))
                ]
                # a brace that is not a placeholder would be shown to residents as is
                stray = PLACEHOLDER.sub("", str(value))
                assert "{" not in stray and "}" not in stray, (question["id"], field, code)
    assert unknown == []


def test_a_placeholder_missing_from_the_settings_is_caught(tmp_path: Path) -> None:
    """The check above can fail: a ward's settings without the co-payment lack one value."""
    sample = yaml.safe_load(settings_path(CONTENT_DIR).read_text(encoding="utf-8"))
    del sample["fees"]["covid_vaccine"]
    ward = tmp_path / "settings.yaml"
    ward.write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    settings = load_settings(ward)
    used = {
        match.group(1)
        for question in topic("covid")["questions"]
        for _field, text in texts(question)
        for value in text.values()
        for match in PLACEHOLDER.finditer(str(value))
    }
    assert "fees.covid_vaccine" in used
    assert not settings.has_value("fees.covid_vaccine")


#: an amount or a time in a Japanese answer: 15,000円, 6時30分 — and the ward's fees and hours
AMOUNT = re.compile(r"([\d,]+)円")
KEPT_PLACEHOLDERS = re.compile(r"\{(?:fees\.[a-z0-9_]+|konbini\.hours|ward\.office_hours)\}")


@pytest.mark.parametrize("topic_id", TOPICS)
def test_easy_japanese_keeps_the_fees_and_hours(topic_id: str) -> None:
    dropped = []
    for question in topic(topic_id)["questions"]:
        for field, text in texts(question):
            ja, easy = str(text["ja"]), str(text["ja-easy"])
            dropped += [
                (question["id"], field, kept)
                for kept in KEPT_PLACEHOLDERS.findall(ja) + AMOUNT.findall(ja)
                if kept not in easy
            ]
    assert dropped == []


#: 「くに」 as a word of its own (after a space, punctuation or the start), e.g. 「くに　でんわ」
KUNI = re.compile(r"(?:^|[\s　、。「（])くに")


@pytest.mark.parametrize("topic_id", TOPICS)
def test_easy_japanese_never_writes_kuni(topic_id: str) -> None:
    """The reviewer found 「くに」 used for 区: it reads as 国. 区 is 「く」 or 「くやくしょ」."""
    found = [
        (question["id"], field)
        for question in topic(topic_id)["questions"]
        for field, text in texts(question)
        if KUNI.search(str(text["ja-easy"]))
    ]
    assert found == []


def test_the_kuni_check_can_fail() -> None:
    assert KUNI.search("くから　おしらせが　とどきます。") is None
    assert KUNI.search("くにから　おしらせが　とどきます。")
    assert KUNI.search("この　くに　ひっこして　きました。")
    assert KUNI.search("ちかくの　まどぐち") is None
