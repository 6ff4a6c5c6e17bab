"""Furigana: readings on the kanji only, okurigana outside the ruby, overrides win."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from content.cli import content
from content.furigana import Segment, align, reading, segments, to_html, to_plain


def plain(text: str, overrides: dict[str, str] | None = None) -> str:
    return to_plain(segments(text, overrides))


def test_words_from_the_guides_read_correctly() -> None:
    assert plain("住民票の写し") == "住民(じゅうみん)票(ひょう)の写(うつ)し"
    assert plain("戸籍証明書") == "戸籍(こせき)証明(しょうめい)書(しょ)"
    assert plain("暗証番号") == "暗証(あんしょう)番号(ばんごう)"
    assert plain("利用者証明用電子証明書") == (
        "利用(りよう)者(しゃ)証明(しょうめい)用(よう)電子(でんし)証明(しょうめい)書(しょ)"
    )


def test_okurigana_stays_outside_the_ruby() -> None:
    assert segments("申し込む") == [
        Segment("申", "もう"),
        Segment("し", None),
        Segment("込", "こ"),
        Segment("む", None),
    ]


def test_long_vowels_are_spelled_as_written_not_as_pronounced() -> None:
    # the pronunciation field would give じゅーみんひょー
    assert "ー" not in reading("住民票")
    assert reading("住民票") == "じゅうみんひょう"


def test_digits_the_frontend_rewrites_keep_the_text_and_its_neighbours_readings() -> None:
    assert plain("１通300円です。") == "１通(つう)300円(えん)です。"
    assert plain("数字4桁の暗証番号") == "数字(すうじ)4桁(けた)の暗証(あんしょう)番号(ばんごう)"


def test_after_a_rewritten_date_the_rest_of_the_sentence_still_gets_readings() -> None:
    # the frontend reads 12月2日 as 十二月 / 二日: those words are not in the text
    assert plain("12月2日から、紙の保険証") == "12月2日から、紙(かみ)の保険(ほけん)証(しょう)"


def test_overrides_from_the_content_file_win() -> None:
    assert (
        plain("住民票の写し", {"住民票": "じゅうみんひょう"})
        == "住民票(じゅうみんひょう)の写(うつ)し"
    )
    assert plain("役所に行く", {"役所": "やくしょ", "行く": "いく"}) == "役所(やくしょ)に行(い)く"


def test_a_reading_that_does_not_follow_the_spelling_rubies_the_whole_word() -> None:
    assert align("今日", "きょう") == [Segment("今日", "きょう")]
    assert align("お持ち", "おもち") == [
        Segment("お", None),
        Segment("持", "も"),
        Segment("ち", None),
    ]


def test_html_is_escaped_and_ruby_marks_only_kanji() -> None:
    html = to_html(segments("<b>申し込む</b>"))
    assert html == ("&lt;b&gt;<ruby>申<rt>もう</rt></ruby>し<ruby>込<rt>こ</rt></ruby>む&lt;/b&gt;")


JAPANESE = st.text(
    alphabet=st.sampled_from(
        list("住民票の写し申込む戸籍証明書はをカードスマホ１２3。、「」 abcー々")
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(JAPANESE)
def test_the_segments_spell_the_text_exactly(text: str) -> None:
    parts = segments(text)
    assert "".join(p.base for p in parts) == text
    assert all(p.ruby is None or p.ruby for p in parts)


def test_authors_can_ask_for_the_reading_of_a_sentence() -> None:
    result = CliRunner().invoke(content, ["furigana", "暗証番号を申し込む"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "暗証(あんしょう)番号(ばんごう)を申(もう)し込(こ)む",
        "あんしょうばんごうをもうしこむ",
    ]
