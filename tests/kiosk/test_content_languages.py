"""What a resident reads on the kiosk: 「住民票がほしい」 leads to コンビニ交付 first, and a
guide not written in the kiosk's language says so in that language and shows Japanese."""

from __future__ import annotations

import dataclasses

import pytest

from content import load_catalog
from content.model import Text
from kiosk import guide_flow


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def partial_juminhyo(catalog):
    """juminhyo with one text lacking zh-Hans and ko: the shipped guides are written in all
    five languages (issue 14), but a ward's own edit may not be yet."""
    guide = catalog.guide("juminhyo")
    values = {k: v for k, v in guide.bring[0].values.items() if k not in ("zh-Hans", "ko")}
    return dataclasses.replace(guide, bring=(Text(values), *guide.bring[1:]))


def test_the_finder_answers_juminhyo_ga_hoshii_with_konbini_first(catalog):
    groups = dict(guide_flow.finder_groups(catalog.guides.values()))
    first = groups["certificates"][0]
    assert first.id == "konbini"
    assert first.finder_question.get("ja") == "住民票がほしい"
    assert first.finder_question.get("ja-easy") == "じゅうみんひょうが　ほしい"
    # the online application is still offered, after it, and says what it is
    ids = [g.id for g in groups["certificates"]]
    assert ids.index("juminhyo") > 0
    assert "オンライン" in catalog.guide("juminhyo").finder_question.get("ja")


def test_the_konbini_guide_gives_the_pin_rule_hours_and_fee_from_the_settings(catalog):
    konbini = catalog.guide("konbini")
    texts = " ".join(t.get("ja") for t in konbini.resident_texts())
    assert "数字4けた" in texts and "3回まちがえるとロックされます" in texts
    assert "午前6時30分から午後11時まで" in texts
    assert konbini.fee.get("ja") == "手数料は1通200円です。機械にお金を入れて払います。"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("ko", "한국어"),
        ("zh-Hans", "中文"),
    ],
)
def test_a_guide_missing_a_language_says_so_in_that_language(partial_juminhyo, language, expected):
    juminhyo = partial_juminhyo
    assert guide_flow.untranslated(juminhyo, language)
    notice = guide_flow.untranslated_notice(language)
    assert expected in notice
    assert not notice.startswith("Parts of this guide"), "the notice is not translated"
    # the text itself is the Japanese one, not the English one
    assert juminhyo.bring[0].get(language) == juminhyo.bring[0].get("ja")


def test_a_guide_written_in_the_language_has_no_notice(catalog, partial_juminhyo):
    for language in ("ja", "ja-easy", "en", "zh-Hans", "ko"):
        assert not guide_flow.untranslated(catalog.guide("juminhyo"), language)
    assert not guide_flow.untranslated(partial_juminhyo, "en")


def test_the_overview_starts_with_the_notice_page_only_where_a_language_is_missing(
    catalog, partial_juminhyo
):
    juminhyo = partial_juminhyo
    korean = guide_flow.overview_pages(juminhyo, 4, "ko")
    assert korean[0].kind == "language"
    assert korean[0].items[0].get("ko") == guide_flow.untranslated_notice("ko")
    assert korean[1].kind == "summary"
    assert [p.kind for p in guide_flow.overview_pages(juminhyo, 4, "en")][0] == "summary"
    konbini = catalog.guide("konbini")  # written in all five languages
    assert guide_flow.overview_pages(konbini, 4, "ko")[0].kind == "summary"


def test_kiosk_venue_names_keep_the_japanese_name_and_never_fall_back_to_english():
    from kiosk import booking_text

    session = {
        "course": {"title": "スマホ入門（iPhone）", "titles": {"en": "Smartphone introduction"}},
        "venue": {"name": "中央図書館", "names": {"en": "Central Library"}},
    }
    assert booking_text.venue(session, "en") == "Central Library（中央図書館）"
    assert booking_text.venue(session, "ja") == "中央図書館"
    assert booking_text.venue(session, "ko") == "中央図書館"  # no Korean name: the sign's
    assert booking_text.title(session, "zh-Hans") == "スマホ入門（iPhone）"  # not English


def test_kiosk_access_lines_are_in_the_residents_language_else_japanese():
    from kiosk import booking_text

    session = {
        "venue": {
            "name": "中央図書館",
            "names": {"ko": "중앙도서관", "ja-easy": "ちゅうおう としょかん"},
            "access": "つなぐ駅 東口から徒歩5分",
            "accesses": {"ko": "쓰나구역 동쪽 출구에서 걸어서 5분", "en": "5 min from the station"},
        }
    }
    assert booking_text.place(session, "ko").splitlines() == [
        "중앙도서관（中央図書館）",
        "쓰나구역 동쪽 출구에서 걸어서 5분",
    ]
    assert booking_text.place(session, "zh-Hans").splitlines() == [
        "中央図書館",
        "つなぐ駅 東口から徒歩5分",  # no Chinese: the Japanese, never the English
    ]
    assert booking_text.place(session, "ja-easy").splitlines()[0] == (
        "ちゅうおう としょかん（中央図書館）"
    )


def test_an_faq_answer_missing_a_language_says_so_in_that_language():
    from content.model import Question, Text

    question = Question(
        "fee",
        Text({"ja": "手数料はいくらですか？", "en": "How much is it?", "ko": "수수료는 얼마예요?"}),
        Text({"ja": "1通300円です。", "en": "300 yen per copy."}),
    )
    notice = guide_flow.untranslated_answer_notice(question, "ko")
    assert "한국어" in notice and "일본어" in notice
    assert question.a.get("ko") == question.a.get("ja")  # the answer itself is the Japanese
    assert guide_flow.untranslated_answer_notice(question, "en") == ""
    assert guide_flow.untranslated_answer_notice(question, "ja") == ""
