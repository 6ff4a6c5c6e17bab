"""Ask in your own words (issue 20): the answering service, its synonym list, `tsunagu ask`,
and the evaluation set's targets (top-1 >= 85 %, top-3 >= 95 %, out of scope >= 90 %)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from content.ask import MAX_CHARS, AskError, SynonymError, ask
from content.ask.cli import ask_command
from content.ask.evaluate import evaluate, load_cases
from content.ask.index import index_for
from content.ask.synonyms import load_synonyms, parse_synonyms
from content.loader import CONTENT_DIR, load_catalog

EVAL = Path(__file__).parent / "ask_eval.yaml"
CONVENIENCE = {"koseki-juminhyo/convenience-store", "konbini"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def ids(question: str, catalog, language: str = "ja") -> list[str]:
    return [a.id for a in ask(question, language, catalog).answers]


# -- the hard cases the issue names ------------------------------------------------------


def test_convenience_store_and_hours_colloquial(catalog):
    result = ask("コンビニで住民票とれる？何時まで", "ja", catalog)
    assert result.confident
    assert result.answers[0].id == "koseki-juminhyo/convenience-store"
    assert "6時30分" in result.answers[0].text  # the hours, from the ward's settings


def test_reading_in_hiragana_finds_the_kanji(catalog):
    result = ask("じゅうみんひょう", "ja", catalog)
    assert result.confident
    assert all("住民票" in a.title for a in result.answers)


def test_failed_nursery_application(catalog):
    result = ask("保育園落ちたらどうなる", "ja", catalog)
    assert result.confident
    assert result.answers[0].id == "hoikuen/not-admitted"


@pytest.mark.parametrize("brand", ["セブン", "ローソン", "ファミマ", "ｾﾌﾞﾝ"])
def test_a_brand_name_means_convenience_store(catalog, brand):
    found = ids(f"{brand}で住民票", catalog)
    assert found[0] in {"koseki-juminhyo/convenience-store", "konbini"}


def test_the_weather_is_not_confident(catalog):
    result = ask("今日の天気は？", "ja", catalog)
    assert not result.confident


def test_horse_racing_has_nothing_even_related(catalog):
    result = ask("競馬の予想", "ja", catalog)
    assert not result.confident
    assert result.answers == ()


def test_myna_is_the_card_and_does_not_eat_the_full_name(catalog):
    assert ids("マイナ なくした", catalog)[0] == "koseki-juminhyo/card-lost"
    assert ids("マイナンバーカード なくした", catalog)[0] == "koseki-juminhyo/card-lost"


def test_other_languages_answer_from_their_own_texts(catalog):
    en = ask("can I get my resident record at 7-eleven", "en", catalog)
    assert en.answers[0].id in {"koseki-juminhyo/convenience-store", "konbini"}
    assert "convenience store" in en.answers[0].title.lower()
    zh = ask("便利店能开住民票吗", "zh-Hans", catalog)
    assert zh.answers[0].id == "koseki-juminhyo/convenience-store"
    assert "便利店" in zh.answers[0].title
    ko = ask("편의점에서 주민표", "ko", catalog)
    assert ko.answers[0].id in {"koseki-juminhyo/convenience-store", "konbini"}


def test_kana_typed_on_an_english_page_is_read_as_japanese(catalog):
    result = ask("ほいくえん おちた", "en", catalog)
    assert result.answers[0].id == "hoikuen/not-admitted"
    assert result.answers[0].title.isascii()  # shown in the reader's language


def test_at_most_three_best_first(catalog):
    answers = ask("住民票", "ja", catalog).answers
    assert 1 <= len(answers) <= 3
    assert [a.score for a in answers] == sorted((a.score for a in answers), reverse=True)
    assert {a.kind for a in answers} <= {"faq", "guide", "lesson"}


# -- bad input gets a message, never a crash ---------------------------------------------


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01\x1b", "\u200b", "\ud800"])
def test_empty_question_is_refused(catalog, question):
    with pytest.raises(AskError, match="Type a question"):
        ask(question, "ja", catalog)


def test_long_question_is_refused(catalog):
    with pytest.raises(AskError, match=str(MAX_CHARS)):
        ask("あ" * 10_000, "ja", catalog)


def test_control_characters_and_lone_surrogates_are_dropped(catalog):
    assert ids("保育園\x00落ちた\x1b", catalog)[0] == "hoikuen/not-admitted"
    # JSON may carry a lone surrogate ("\\ud800"), which no tokenizer can encode
    assert ids("保育園\ud83d落ちた", catalog)[0] == "hoikuen/not-admitted"


def test_unknown_language_is_refused(catalog):
    with pytest.raises(AskError, match="ja-easy"):
        ask("住民票", "fr", catalog)


@pytest.mark.parametrize("question", ["!!!???", "12345", "😀😀", "ー", "ｰｰｰ", "a"])
def test_questions_without_words_are_not_confident(catalog, question):
    assert not ask(question, "ja", catalog).confident


# -- the index: once per content version -------------------------------------------------


def test_the_index_is_built_once_and_again_when_content_changes(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "media"))
    first = index_for(load_catalog(root))
    assert index_for(load_catalog(root)) is first
    synonyms = root / "synonyms.yaml"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8") + "  うまうま: [競馬]\n", encoding="utf-8"
    )
    second = index_for(load_catalog(root))
    assert second is not first and second.version != first.version


def test_a_content_directory_answers_like_its_catalog(catalog):
    assert ask("保育園落ちた", "ja", CONTENT_DIR) == ask("保育園落ちた", "ja", catalog)


def test_a_directory_is_loaded_only_to_build_its_index(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "media"))
    ask("住民票", "ja", root)
    monkeypatch.setattr("content.ask.index.load_catalog", lambda root: pytest.fail("reloaded"))
    assert ask("住民票", "ja", root).confident


def test_a_broken_synonym_list_keeps_a_server_answering(tmp_path, caplog):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "media"))
    assert ask("セブンで住民票", "ja", root).answers[0].id in CONVENIENCE
    text = (root / "synonyms.yaml").read_text(encoding="utf-8")
    broken = text.replace("\nja:\n", "\nja:\n  ローソン: [セブン]\n", 1)
    (root / "synonyms.yaml").write_text(broken, encoding="utf-8")
    assert ask("セブンで住民票", "ja", root).answers[0].id in CONVENIENCE  # the last good list
    assert "synonym list is broken" in caplog.text
    with pytest.raises(SynonymError, match="listed under both"):
        ask("セブンで住民票", "ja", load_catalog(root))  # tsunagu ask names the fault


# -- the synonym list --------------------------------------------------------------------


def test_the_shipped_synonyms_load():
    synonyms = load_synonyms(CONTENT_DIR / "synonyms.yaml")
    assert synonyms.apply("セブンでマイナ", "ja") == "コンビニでマイナンバーカード"
    assert synonyms.apply("マイナンバーカード", "ja") == "マイナンバーカード"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["コンビニ"], "map each language"),
        ({"fr": {"a": ["b"]}}, "unknown language 'fr'"),
        ({"ja": ["コンビニ"]}, "under 'ja'"),
        ({"ja": {"コンビニ": "セブン"}}, "'コンビニ' needs a list"),
        ({"ja": {"コンビニ": []}}, "'コンビニ' needs a list"),
        ({"ja": {"コンビニ": ["", "セブン"]}}, "an empty word"),
        ({"ja": {"コンビニ": ["セブン"], "スーパー": ["ｾﾌﾞﾝ"]}}, "listed under both"),
    ],
)
def test_broken_synonyms_are_explained(data, message):
    with pytest.raises(SynonymError, match=message) as error:
        parse_synonyms(data, "content/synonyms.yaml")
    assert str(error.value).startswith("content/synonyms.yaml: ")


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("ja: [\n", encoding="utf-8")
    with pytest.raises(SynonymError, match="synonyms.yaml"):
        load_synonyms(path)


# -- the command -------------------------------------------------------------------------


def test_command_json_shape():
    result = CliRunner().invoke(ask_command, ["セブンで住民票とれる？", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"confident", "answers"} and data["confident"] is True
    assert 1 <= len(data["answers"]) <= 3
    for answer in data["answers"]:
        assert set(answer) == {"kind", "id", "title", "text", "score"}
        assert answer["kind"] in {"faq", "guide", "lesson", "class"}
        assert isinstance(answer["score"], float)


def test_command_human_output_and_not_confident():
    sure = CliRunner().invoke(ask_command, ["lost my my number card", "--language", "en"])
    assert sure.exit_code == 0 and sure.output.startswith("1. I lost my My Number Card.")
    unsure = CliRunner().invoke(ask_command, ["what is the weather", "--language", "en"])
    assert unsure.exit_code == 0
    assert "ward office counter" in unsure.output


def test_command_bad_input_is_one_line():
    result = CliRunner().invoke(ask_command, ["", "--language", "en"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Type a question."


# -- the evaluation set ------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases():
    return load_cases(EVAL)


def test_the_evaluation_set_is_big_enough_and_names_real_answers(cases, catalog):
    answerable = [c for c in cases if c.ids]
    assert len(answerable) >= 200
    assert len([c for c in cases if not c.ids]) >= 30
    assert {c.language for c in answerable} == {"ja", "ja-easy", "en", "zh-Hans", "ko"}
    known = {d.id for d in index_for(catalog).documents}
    assert {i for c in answerable for i in c.ids} <= known


def test_accuracy_targets(cases, catalog):
    figures = evaluate(cases, catalog)
    report = "\n".join(figures.misses)
    assert figures.top1_rate >= 0.85, report
    assert figures.top3_rate >= 0.95, report
    assert figures.declined_rate >= 0.90, report
    # never a wrong answer presented as right: at most 3 % (8 of 270) confident and wrong
    assert figures.confident_wrong_rate <= 0.03, report


def test_content_check_refuses_a_broken_synonym_list(content_dir):
    from content.cli import content

    (content_dir / "synonyms.yaml").write_text("ja:\n  コンビニ: セブン\n", encoding="utf-8")
    result = CliRunner().invoke(content, ["check", "--dir", str(content_dir)])
    assert result.exit_code == 1
    assert "synonyms.yaml: 'コンビニ' needs a list" in result.output
