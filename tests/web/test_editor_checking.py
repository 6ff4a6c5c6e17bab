"""One document checked as `tsunagu content check` checks it (issue 18), each problem on
the field at fault: the editor's form shows the CLI's own message under that field."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from content.documents import document_path, dump
from content.loader import CONTENT_DIR
from content.validate import validate
from languages import reset_language, set_language
from languages.clock import ward_today
from web.content_source import source
from web.editor.checking import check_document, field_lines


@pytest.fixture(autouse=True)
def english():
    token = set_language("en")
    yield
    reset_language(token)


def _shipped(kind: str, slug: str) -> str:
    return (CONTENT_DIR / document_path(kind, slug)).read_text(encoding="utf-8")


def _cli_problems(tmp_path: Path, kind: str, slug: str, body: str) -> list[tuple[int, str, bool]]:
    """What `tsunagu content check` says about this file, with the document written over
    a copy of the shipped folder."""
    root = tmp_path / "copy"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (root / document_path(kind, slug)).write_text(body, encoding="utf-8")
    return [
        (p.line, p.message, p.is_error)
        for p in validate(root, today=ward_today())
        if p.file == document_path(kind, slug)
    ]


@pytest.mark.parametrize(
    "kind, slug",
    [("guide", "juminhyo"), ("lesson", "line-basics"), ("faq", "covid"), ("settings", "ward")],
)
def test_the_shipped_documents_have_no_error(kind, slug):
    body = (
        (CONTENT_DIR / "settings.sample.yaml").read_text(encoding="utf-8")
        if kind == "settings"
        else _shipped(kind, slug)
    )
    assert [p for p in check_document(kind, slug, body, root=CONTENT_DIR) if p.error] == []


def test_a_broken_step_text_is_reported_on_that_field_with_the_clis_message(tmp_path):
    data = yaml.safe_load(_shipped("guide", "juminhyo"))
    data["steps"][1]["text"]["ja"] = "{fees.no_such_fee}円を払います。"
    del data["steps"][2]["text"]["en"]
    body = dump(data)

    found = check_document("guide", "juminhyo", body, root=CONTENT_DIR)

    errors = [p for p in found if p.error]
    assert [p.path for p in errors] == ["steps[2].text.ja", "steps[3].text"]
    assert "{fees.no_such_fee}" in errors[0].message
    assert "step 3 has no en text" in errors[1].message
    cli = _cli_problems(tmp_path, "guide", "juminhyo", body)
    assert [(p.line, p.message, p.error) for p in found] == cli


def test_a_missing_required_field_belongs_to_that_field(tmp_path):
    data = yaml.safe_load(_shipped("lesson", "line-basics"))
    del data["title"]
    del data["steps"][0]["text"]
    found = check_document("lesson", "line-basics", dump(data), root=CONTENT_DIR)
    assert {p.path for p in found if p.error} == {"title", "steps[1].text"}


def test_a_yaml_syntax_error_is_one_problem_of_the_whole_document():
    found = check_document("faq", "covid", "id: covid\ntitle: [unclosed\n", root=CONTENT_DIR)
    assert len(found) == 1 and found[0].error and found[0].path is None
    assert "cannot be read" in found[0].message


def test_a_new_lesson_is_checked_against_the_other_lessons(tmp_path):
    body = _shipped("lesson", "intro-02-touch").replace("id: intro-02-touch", "id: intro-09-more")
    found = check_document("lesson", "intro-09-more", body, root=CONTENT_DIR)
    # the CLI says so too: the order is an earlier intro lesson's
    assert [(p.path, p.error) for p in found if p.error] == [("order", True)]
    assert "intro-02-touch" in found[0].message
    assert [(p.line, p.message, p.error) for p in found] == _cli_problems(
        tmp_path, "lesson", "intro-09-more", body
    )


def test_the_id_must_be_the_items_own():
    body = _shipped("guide", "koseki")
    found = check_document("guide", "koseki-copy", body, root=CONTENT_DIR)
    assert [p.path for p in found if p.error] == ["id"]


def test_settings_are_checked_as_settings():
    found = check_document("settings", "ward", "sample: maybe\nfees:\n  x: ''\n", root=CONTENT_DIR)
    assert {p.path for p in found if p.error} == {"sample", "fees.x"}


def test_lines_are_named_by_path():
    lines = dict(field_lines("a:\n  - b: 1\n    c:\n      ja: x\n"))
    assert lines == {1: "a", 2: "a[1].b", 3: "a[1].c", 4: "a[1].c.ja"}


def test_the_published_content_is_the_default_and_a_check_is_quick(app):
    source(app).seed()
    body = _shipped("lesson", "line-basics")
    with app.app_context():
        check_document("lesson", "line-basics", body)
        started = time.perf_counter()
        found = check_document("lesson", "line-basics", body.replace("line-basics", "x", 1))
        took = time.perf_counter() - started
    assert [p.path for p in found if p.error] == ["id"]
    assert took < 0.3, took
