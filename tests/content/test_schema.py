"""One content schema (issue 15): content/schema.py describes each kind once; the check,
the loader, the model and docs/content-schema.md agree with it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from content import schema
from content.model import FaqTopic, Guide, Lesson
from content.validate import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "content-schema.md"
#: the heading of each kind's section in the doc
SECTIONS = {"guide": "## Guides", "lesson": "## Lessons", "faq": "## FAQ topics"}


def kind_block(kind: str) -> str:
    """The first ```yaml block of the kind's section of docs/content-schema.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(SECTIONS[kind]) :]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, f"no yaml example under {SECTIONS[kind]}"
    return match.group(1)


@pytest.mark.parametrize("kind", sorted(schema.KINDS))
def test_the_doc_names_every_field_of_every_kind(kind: str) -> None:
    block = kind_block(kind)
    missing = [
        path
        for path, field in schema.all_fields(schema.KINDS[kind])
        if not re.search(rf"(^|[\s{{,-]){re.escape(field.name)}:", block, re.MULTILINE)
    ]
    assert not missing, f"docs/content-schema.md's {kind} example does not show {missing}"


@pytest.mark.parametrize("kind", sorted(schema.KINDS))
def test_the_doc_names_every_allowed_value(kind: str) -> None:
    block = kind_block(kind)
    missing = [
        f"{path}: {value}"
        for path, field in schema.all_fields(schema.KINDS[kind])
        for spec in (field.spec.item if isinstance(field.spec, schema.ListOf) else field.spec,)
        if isinstance(spec, schema.Choice)
        for value in spec.values
        if not re.search(rf"\b{re.escape(value)}\b", block)
    ]
    assert not missing, f"docs/content-schema.md's {kind} example does not list {missing}"


@pytest.mark.parametrize("model", [Guide, Lesson, FaqTopic])
def test_every_attribute_of_the_model_is_loaded_from_the_schema(model: type) -> None:
    record = next(r for r in schema.KINDS.values() if r.model is model)
    loaded: set[str | None] = set()
    for entry in record.fields:
        if isinstance(entry, schema.Group):
            loaded.add(entry.attr)
            continue
        nested = entry.spec
        if isinstance(nested, schema.Record) and nested.model is None:
            loaded |= {f.target for f in nested.key_fields()}
        else:
            loaded.add(entry.target)
    assert loaded - {None} == {f.name for f in dataclasses.fields(model)}


def test_every_rule_of_the_schema_is_checked() -> None:
    used = {
        rule for r in schema.KINDS.values() for _, f in schema.all_fields(r) for rule in f.rules
    }
    assert used <= set(schema.RULES) == set(RULES)


def test_the_required_languages_are_the_docs_table() -> None:
    """The doc's language table says which kinds require each language."""
    text = DOC.read_text(encoding="utf-8")
    assert schema.REQUIRED_LANGUAGES["guide"] == ("ja", "ja-easy", "en")
    assert "guides: always; lessons and FAQ: optional" in text
    assert set(schema.REQUIRED_LANGUAGES["lesson"]) == set(schema.REQUIRED_LANGUAGES["faq"])
    assert "guides, lessons, FAQ: always" in text


def test_the_doc_gives_the_schemas_minimums() -> None:
    assert f"at least {schema.MIN_STEPS}" in kind_block("guide")
    assert f"at least {schema.MIN_STEPS}" in kind_block("lesson")
    assert f">= {schema.MIN_CAN_DO}" in kind_block("lesson")
    assert f"at least {schema.MIN_QUESTIONS}" in kind_block("faq")


def test_every_allowed_value_has_a_name_for_the_editor():
    """The editor's lists show each value in words (「スマホ入門 (intro)」): a value added to
    the schema without a name would show as a bare id."""
    for kind, record in schema.KINDS.items():
        for path, field in schema.all_fields(record):
            spec = field.spec.item if isinstance(field.spec, schema.ListOf) else field.spec
            if isinstance(spec, schema.Choice):
                unnamed = [v for v in spec.values if spec.label(v) is None]
                assert not unnamed, f"{kind}.{path}: {unnamed}"
