"""The kiosk's own line breaking: whole phrases, lines that fit. No window needed."""

from __future__ import annotations

import pytest

from kiosk.layout import fill_lines, layout, phrases


def monospace(text: str) -> float:
    """A stub font: every character 10 px wide."""
    return 10.0 * len(text)


SENTENCE = "住民票の写しをオンラインで申し込んでください。"


def test_budoux_phrases_keep_kudasai_whole():
    pieces = phrases("ボタンを押してください。", "ja")
    assert "".join(pieces) == "ボタンを押してください。"
    assert any(piece.endswith("ください。") for piece in pieces)
    assert not any(piece.startswith("い。") or piece == "。" for piece in pieces)


@pytest.mark.parametrize("width", [100, 130, 170, 250, 1000])  # all >= the longest phrase
def test_lines_fit_and_never_split_a_phrase(width):
    pieces = phrases(SENTENCE, "ja")
    lines = fill_lines(pieces, width, monospace)
    assert "".join(lines) == SENTENCE
    for line in lines:
        assert monospace(line) <= width
    # every line boundary is a phrase boundary
    boundaries = {sum(len(p) for p in pieces[:i]) for i in range(len(pieces) + 1)}
    position = 0
    for line in lines:
        position += len(line)
        assert position in boundaries


def test_kudasai_stays_on_one_line_when_the_line_is_narrow():
    lines = layout("名前を入れてください。", "ja", 100, monospace)
    assert any("ください。" in line for line in lines.split("\n"))
    assert not any(line.startswith(("い", "。")) for line in lines.split("\n"))


def test_lines_are_filled_greedily():
    lines = fill_lines(["ab", "cd", "ef", "gh"], 40, monospace)
    assert lines == ["abcd", "efgh"]


def test_a_phrase_wider_than_the_line_is_cut_rather_than_drawn_past_the_edge():
    lines = fill_lines(["あいうえおかきくけこ"], 40, monospace)
    assert all(monospace(line) <= 40 for line in lines)
    assert "".join(lines) == "あいうえおかきくけこ"


def test_no_line_starts_with_closing_punctuation():
    pieces = phrases("「必須」の欄は、必ず入れます。", "ja")
    assert not any(piece[0] in "」、。" for piece in pieces)


def test_english_wraps_on_spaces_and_drops_trailing_spaces():
    text = "Tell the staff which payment you will use."
    lines = layout(text, "en", 120, monospace).split("\n")
    assert " ".join(lines) == text
    assert all(monospace(line) <= 120 and not line.endswith(" ") for line in lines)


def test_easy_japanese_breaks_at_its_word_spaces_not_inside_words():
    text = "じゅうみんひょうを\u3000スマホで\u3000もうしこむ"
    lines = layout(text, "ja-easy", 90, monospace).split("\n")
    assert [line.strip("\u3000") for line in lines] == [
        "じゅうみんひょうを",
        "スマホで",
        "もうしこむ",
    ]


@pytest.mark.parametrize("word", ["きょうしつ", "へいせい", "でんわばんごう", "たいしょう"])
def test_easy_japanese_in_kana_alone_is_one_word(word):
    """budoux cuts hiragana badly (きょう｜しつ, へい｜せい): a kana-only label stays whole."""
    assert phrases(word, "ja-easy") == [word]


def test_easy_japanese_may_break_after_a_full_stop_or_before_a_bracket():
    text = "いまは\u3000つかえません。わからないときは「しょくいんを\u3000よぶ」を\u3000おしてください。"
    pieces = phrases(text, "ja-easy")
    assert "".join(pieces) == text
    assert "つかえません。" in pieces and "わからないときは" in pieces
    assert any(piece.startswith("「しょくいんを") for piece in pieces)


def test_easy_japanese_with_kanji_still_goes_to_budoux():
    """A class's own title (in ja) shown on a やさしい日本語 screen: Japanese as written."""
    assert len(phrases("住民票の写しをオンラインで申し込む", "ja-easy")) > 1


def test_paragraph_breaks_are_kept():
    assert (
        layout("一行目です。\n二行目です。", "ja", 1000, monospace) == "一行目です。\n二行目です。"
    )


def test_an_option_mark_stays_with_its_caption():
    lines = layout("○ English", "en", 80, monospace).split("\n")
    assert lines == ["○ English"] or lines[0].startswith("○ E")
    assert layout("● やさしい日本語", "ja", 90, monospace).split("\n")[0].startswith("● やさしい")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_japanese_text_shown_in_another_language_still_breaks_between_phrases(language):
    """A guide not yet translated shows its Japanese in a Korean or English label."""
    text = "つなぐ区に住民登録がある人です。マイナンバーカードとスマホで住民票を申し込めます。"
    lines = layout(text, language, 160, monospace).split("\n")
    assert "".join(lines) == text
    assert all(monospace(line) <= 160 for line in lines)
    assert any(line.endswith("です。") for line in lines)


def test_korean_and_english_still_break_at_spaces():
    assert phrases("온라인으로 주민표 사본 신청", "ko") == [
        "온라인으로 ",
        "주민표 ",
        "사본 ",
        "신청",
    ]
    assert phrases("My Number Card (マイナンバーカード)", "en")[0] == "My "
