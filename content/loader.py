"""Load the content directory into a ``Catalog`` of typed, placeholder-resolved objects.

The kiosk loads the catalog at start, so parsed files are cached by (mtime, size) and
YAML is read with libyaml when it is available. Each kind is built by walking its
description in ``content.schema`` (``load_record``), the one the check walks too. The
loader trusts the schema; ``tsunagu content check`` (``content.validate``) is what
explains a broken file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from content.model import FaqTopic, Guide, Lesson, Settings, Text
from content.schema import (
    KINDS,
    Date,
    Field,
    Flag,
    Furigana,
    Group,
    HandoffUrl,
    Illustration,
    ListOf,
    PositiveInt,
    Record,
    Spec,
    Variants,
)
from content.schema import Text as TextSpec
from languages import gettext as _

#: the content package's own directory: the default content root
CONTENT_DIR = Path(__file__).resolve().parent
#: the shipped settings file, relative to the content root
SAMPLE_SETTINGS = "settings.sample.yaml"
#: a ward's own settings beside the content (what a kiosk bundle carries); wins over the sample
OWN_SETTINGS = "settings.yaml"
#: environment variable naming a deployment's own settings file (replaces the sample)
SETTINGS_ENV = "TSUNAGU_CONTENT_SETTINGS"
#: content section directory -> the ``kind`` its files declare
SECTIONS: dict[str, str] = {"guides": "guide", "lessons": "lesson", "faq": "faq"}

YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_parsed: dict[Path, tuple[tuple[int, int], Any]] = {}


class ContentError(Exception):
    """The content cannot be loaded; the message names the file and what to run."""


def settings_path(root: Path | None = None) -> Path:
    """The settings in effect: $TSUNAGU_CONTENT_SETTINGS, else root/settings.yaml, else the sample."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    root = root or CONTENT_DIR
    own = root / OWN_SETTINGS
    return own if own.is_file() else root / SAMPLE_SETTINGS


def section_files(root: Path) -> dict[str, list[Path]]:
    """The YAML files of each section (guides, lessons, faq), sorted by name."""
    return {
        section: sorted((root / section).glob("*.yaml")) if (root / section).is_dir() else []
        for section in SECTIONS
    }


def read_yaml(path: Path) -> Any:
    """The parsed YAML of ``path``; re-parsed only when its mtime or size changed."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _parsed.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        data = yaml.load(path.read_bytes(), Loader=YamlLoader)
    except yaml.YAMLError as exc:
        raise ContentError(_broken(path, str(exc).splitlines()[0])) from exc
    _parsed[path] = (stamp, data)
    return data


def forget_parsed() -> None:
    """Drop every cached parse, so that the next load reads each file again."""
    _parsed.clear()


def load_settings(path: Path) -> Settings:
    """The settings in ``path``; an absent file gives empty settings."""
    if not path.is_file():
        return Settings({}, str(path))
    data = read_yaml(path)
    return Settings(data if isinstance(data, Mapping) else {}, str(path))


@dataclass(frozen=True)
class Catalog:
    """All content of one directory: guides (active and withdrawn), lessons, FAQ topics."""

    root: Path
    settings: Settings
    guides: Mapping[str, Guide]
    lessons: Mapping[str, Lesson]
    faq: Mapping[str, FaqTopic]

    @property
    def active_guides(self) -> list[Guide]:
        """Guides the kiosk offers (not withdrawn), sorted by id."""
        return [g for g in self.guides.values() if not g.withdrawn]

    @property
    def withdrawn_guides(self) -> list[Guide]:
        """Guides the ward retired: kept for the record, hidden from the kiosk."""
        return [g for g in self.guides.values() if g.withdrawn]

    def guide(self, guide_id: str) -> Guide:
        """The guide with this id; raises KeyError when there is none."""
        return self.guides[guide_id]

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson with this id; raises KeyError when there is none."""
        return self.lessons[lesson_id]

    def faq_topic(self, topic_id: str) -> FaqTopic:
        """The FAQ topic with this id; raises KeyError when there is none."""
        return self.faq[topic_id]


def load_catalog(root: Path | None = None, settings_file: Path | None = None) -> Catalog:
    """Load every guide, lesson and FAQ topic under ``root`` with placeholders resolved."""
    root = Path(root) if root is not None else CONTENT_DIR
    settings = load_settings(settings_file or settings_path(root))
    files = section_files(root)
    loaded = {
        section: {
            item.id: item for item in (_build(KINDS[SECTIONS[section]], p, settings) for p in paths)
        }
        for section, paths in files.items()
    }
    return Catalog(root, settings, loaded["guides"], loaded["lessons"], loaded["faq"])


def _build(record: Record, path: Path, settings: Settings) -> Any:
    """Build one file's object as ``record`` describes it; a mismatch is a ContentError."""
    data = read_yaml(path)
    try:
        return load_record(record, data, settings)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ContentError(_broken(path, repr(exc))) from exc


def _broken(path: Path, detail: str) -> str:
    return _(
        "%(file)s does not fit the content schema (%(detail)s); "
        "run 'tsunagu content check' for details."
    ) % {"file": path, "detail": detail}


def build_text(raw: Mapping[str, Any], settings: Settings) -> Text:
    """A Text from a language mapping, each language's placeholders resolved in that language."""
    return Text({str(lang): settings.resolve(str(value), str(lang)) for lang, value in raw.items()})


def load_record(record: Record, raw: Mapping[str, Any], settings: Settings) -> Any:
    """The model object ``record`` describes, from its parsed mapping (content.schema)."""
    assert record.model is not None
    return record.model(**_load_fields(record.fields, raw, settings))


def _load_fields(
    entries: Iterable[Field | Group],
    raw: Mapping[str, Any],
    settings: Settings,
    group: bool = False,
) -> dict[str, Any]:
    """Model attribute -> value for each loaded field of a mapping."""
    kwargs: dict[str, Any] = {}
    for entry in entries:
        if isinstance(entry, Group):
            kwargs[entry.attr] = entry.model(**_load_fields(entry.fields, raw, settings, True))
            continue
        if entry.target is None:
            continue
        required = entry.required and not group
        value = raw[entry.name] if required else raw.get(entry.name, entry.default)
        if isinstance(entry.spec, Record) and entry.spec.model is None:
            kwargs.update(_load_fields(entry.spec.fields, value, settings))
        else:
            kwargs[entry.target] = load_value(entry.spec, value, settings, required)
    return kwargs


def load_value(spec: Spec, value: Any, settings: Settings, required: bool = True) -> Any:
    """The model's value for one field's parsed ``value`` (an optional one may be None)."""
    if isinstance(spec, ListOf):
        items = value if required else value or ()
        return tuple(load_value(spec.item, item, settings) for item in items)
    if isinstance(spec, Variants):
        return {str(k): build_text(v, settings) for k, v in (value or {}).items()}
    if isinstance(spec, Furigana):
        return {str(k): str(v) for k, v in (value or {}).items()}
    if isinstance(spec, Flag):
        return value is True
    if value is None and not required:
        return None
    if isinstance(spec, TextSpec):
        return build_text(value, settings)
    if isinstance(spec, Record):
        return load_record(spec, value, settings)
    if isinstance(spec, PositiveInt):
        return int(value)
    if isinstance(spec, HandoffUrl):
        return settings.resolve(str(value), "ja")
    if isinstance(spec, Date):
        value = value.date() if isinstance(value, datetime) else value
        return value if isinstance(value, date) else None
    if isinstance(spec, Illustration) or getattr(spec, "raw", False):
        return value
    return str(value)
