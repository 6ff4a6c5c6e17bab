"""The lessons issue 14 found missing from the ministry's デジタル活用支援 curriculum.

E-mail and SMS, the smartphone certificate / iPhone card, online booking and consultation,
a disaster app, and the 公金受取口座: each is shipped, passes the validator, has an
"I can ..." checklist an instructor can watch being done (「…できる」, never 「…が分かる」),
and gives every phone it declares (iPhone, Android, らくらくスマートフォン) steps of its own.
"""

from __future__ import annotations

import pytest

from content.loader import CONTENT_DIR, load_catalog
from content.validate import validate

LESSONS = {
    "email-sms": "認証コード",
    "smartphone-certificate": "スマホ用電子証明書",
    "online-medical": "マイナ保険証",
    "bousai-app": "171",
    "kokin-account": "公金受取口座",
}
DEVICES = ("iphone", "android", "senior")

pytestmark = pytest.mark.skipif(not (CONTENT_DIR / "lessons").is_dir(), reason="no shipped content")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_content_check_reports_nothing_about_the_new_lessons() -> None:
    mine = {f"lessons/{lesson_id}.yaml" for lesson_id in LESSONS}
    assert [str(p) for p in validate(CONTENT_DIR) if p.file in mine] == []


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_each_lesson_is_shipped_on_its_topic(catalog, lesson_id: str) -> None:
    lesson = catalog.lesson(lesson_id)
    body = " ".join(
        [lesson.title.get("ja"), lesson.goal.get("ja")]
        + [step.text.get("ja") for step in lesson.steps]
        + [v.get("ja") for step in lesson.steps for v in step.variants.values()]
    )
    assert LESSONS[lesson_id] in body
    # fits a 90-minute class; the title and goal are written for residents
    assert 0 < lesson.duration_minutes <= 90
    for text in (lesson.title, lesson.goal):
        assert text.has("ja-easy") and text.has("en")


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_can_do_items_are_abilities_an_instructor_can_watch(catalog, lesson_id: str) -> None:
    items = catalog.lesson(lesson_id).can_do
    assert len(items) >= 3
    for item in items:
        ja = item.text.get("ja")
        assert ja.endswith("できる"), ja
        assert "分かる" not in ja and "わかる" not in ja, ja
        assert item.text.get("en").startswith("I can "), item.text.get("en")
        assert item.text.has("ja-easy"), ja


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_declared_phone_has_its_own_steps(catalog, lesson_id: str) -> None:
    lesson = catalog.lesson(lesson_id)
    assert set(lesson.devices) == set(DEVICES)
    for device in lesson.devices:
        own = [step for step in lesson.steps if device in step.variants]
        assert own, f"{lesson_id}: no step written for {device}"
        for step in own:
            assert step.variants[device].has("ja") and step.variants[device].has("en")
    # what one phone reads differs from what another reads (the handout per phone)
    handouts = {
        device: [step.variants.get(device, step.text).get("ja") for step in lesson.steps]
        for device in lesson.devices
    }
    assert handouts["iphone"] != handouts["android"] != handouts["senior"]


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_everything_a_participant_reads_is_in_easy_japanese_and_english(catalog, lesson_id) -> None:
    lesson = catalog.lesson(lesson_id)
    for text in lesson.resident_texts():
        assert text.has("ja-easy") and text.has("en"), text.get("ja")


FIVE_LANGUAGES = tuple(LESSONS)


@pytest.mark.parametrize("lesson_id", FIVE_LANGUAGES)
def test_the_lessons_are_written_in_all_five_languages(catalog, lesson_id) -> None:
    # residents who read Chinese or Korean need these most: codes by SMS, 171 and the
    # shelters in a disaster, the account their benefits are paid into, the doctor
    for text in catalog.lesson(lesson_id).resident_texts():
        for language in ("ja", "ja-easy", "en", "zh-Hans", "ko"):
            assert text.has(language), (language, text.get("ja"))
