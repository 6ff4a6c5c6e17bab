"""Load the content directory into a ``Catalog`` of typed, placeholder-resolved objects.

The kiosk loads the catalog at start, so parsed files are cached by (mtime, size) and
YAML is read with libyaml when it is available. The loader trusts the schema;
``tsunagu content check`` (``content.validate``) is what explains a broken file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from content.model import (
    CheckItem,
    FaqTopic,
    Guide,
    Handoff,
    Lesson,
    Question,
    Review,
    Settings,
    Source,
    Step,
    Stuck,
    Text,
)
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
    builders: dict[str, Callable[[Mapping[str, Any], Settings], Any]] = {
        "guides": build_guide,
        "lessons": build_lesson,
        "faq": build_faq,
    }
    loaded = {
        section: {item.id: item for item in (_build(builders[section], p, settings) for p in paths)}
        for section, paths in files.items()
    }
    return Catalog(root, settings, loaded["guides"], loaded["lessons"], loaded["faq"])


def _build(builder: Callable[[Mapping[str, Any], Settings], Any], path: Path, settings: Settings):
    """Run ``builder`` on one file, turning a schema mismatch into a ContentError."""
    data = read_yaml(path)
    try:
        return builder(data, settings)
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


def _optional_text(raw: Mapping[str, Any] | None, settings: Settings) -> Text | None:
    return build_text(raw, settings) if raw is not None else None


def _texts(raws: list[Any] | None, settings: Settings) -> tuple[Text, ...]:
    return tuple(build_text(raw, settings) for raw in raws or ())


def _items(raws: list[Any] | None, settings: Settings) -> tuple[CheckItem, ...]:
    return tuple(CheckItem(str(raw["id"]), build_text(raw["text"], settings)) for raw in raws or ())


def build_step(raw: Mapping[str, Any], settings: Settings) -> Step:
    """A Step from its mapping (text, screen, illustration, variants, tip)."""
    variants = raw.get("variants") or {}
    return Step(
        text=build_text(raw["text"], settings),
        screen=_optional_text(raw.get("screen"), settings),
        illustration=raw.get("illustration"),
        variants={str(k): build_text(v, settings) for k, v in variants.items()},
        tip=_optional_text(raw.get("tip"), settings),
        handoff=raw.get("handoff") is True,
    )


def build_review(raw: Mapping[str, Any]) -> Review:
    """When the item was checked, against which sources, and its reviewed languages."""
    checked = raw.get("checked")
    if isinstance(checked, datetime):
        checked = checked.date()
    return Review(
        checked=checked if isinstance(checked, date) else None,
        sources=tuple(Source(str(s["title"]), str(s["url"])) for s in raw.get("sources") or ()),
        reviewed=tuple(str(code) for code in raw.get("reviewed") or ()),
    )


def _furigana(raw: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in (raw.get("furigana") or {}).items()}


def build_guide(raw: Mapping[str, Any], settings: Settings) -> Guide:
    """A Guide from a guide file's mapping."""
    stuck = raw["stuck"]
    return Guide(
        id=str(raw["id"]),
        status=str(raw["status"]),
        category=str(raw["category"]),
        title=build_text(raw["title"], settings),
        for_whom=build_text(raw["for_whom"], settings),
        duration_minutes=int(raw["duration_minutes"]),
        fee=build_text(raw["fee"], settings),
        finder_question=build_text(raw["finder"]["question"], settings),
        finder_order=int(raw["finder"].get("order", 100)),
        bring=_texts(raw["bring"], settings),
        checklist=_items(raw.get("checklist"), settings),
        steps=tuple(build_step(s, settings) for s in raw["steps"]),
        warnings=_texts(raw.get("warnings"), settings),
        handoff=Handoff(
            url=settings.resolve(str(raw["handoff"]["url"]), "ja"),
            label=build_text(raw["handoff"]["label"], settings),
        ),
        stuck=Stuck(
            lessons=tuple(str(x) for x in stuck.get("lessons") or ()),
            counter=build_text(stuck["counter"], settings),
        ),
        furigana=_furigana(raw),
        review=build_review(raw),
    )


def build_lesson(raw: Mapping[str, Any], settings: Settings) -> Lesson:
    """A Lesson from a lesson file's mapping."""
    order = raw.get("order")
    return Lesson(
        id=str(raw["id"]),
        course=str(raw["course"]),
        level=str(raw["level"]),
        order=int(order) if order is not None else None,
        title=build_text(raw["title"], settings),
        goal=build_text(raw["goal"], settings),
        duration_minutes=int(raw["duration_minutes"]),
        devices=tuple(str(d) for d in raw["devices"]),
        prepare=_texts(raw.get("prepare"), settings),
        steps=tuple(build_step(s, settings) for s in raw["steps"]),
        can_do=_items(raw["can_do"], settings),
        furigana=_furigana(raw),
        review=build_review(raw),
    )


def build_faq(raw: Mapping[str, Any], settings: Settings) -> FaqTopic:
    """A FaqTopic from an FAQ file's mapping."""
    return FaqTopic(
        id=str(raw["id"]),
        title=build_text(raw["title"], settings),
        questions=tuple(
            Question(
                id=str(q["id"]),
                q=build_text(q["q"], settings),
                a=build_text(q["a"], settings),
                next=_optional_text(q.get("next"), settings),
                guide=q.get("guide"),
            )
            for q in raw["questions"]
        ),
        furigana=_furigana(raw),
        review=build_review(raw),
    )
