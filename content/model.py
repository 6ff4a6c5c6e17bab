"""Typed content: guides, lessons, FAQ topics and the ward settings they refer to.

Objects here are immutable and already have their ``{a.b}`` placeholders resolved;
``content.loader`` builds them from YAML, ``content.validate`` checks the YAML itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from languages import FALLBACKS, LANGUAGES, fallback_chain

#: every language a text may carry, and where each looks when its own text is missing
#: (the leaf package ``languages`` holds both for every room)
#: a placeholder such as ``{fees.juminhyo_online}``
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+(?:\.[a-z0-9_-]+)*)\}")


def is_language_mapping(value: Any) -> bool:
    """True when ``value`` is a mapping of known language codes that includes ``ja``."""
    return (
        isinstance(value, Mapping)
        and "ja" in value
        and all(isinstance(k, str) and k in FALLBACKS for k in value)
    )


@dataclass(frozen=True)
class Text:
    """A piece of text in several languages; ``get`` never returns a missing language."""

    values: Mapping[str, str]

    def get(self, language: str = "ja") -> str:
        """The text in ``language``, else in Japanese (the only fallback, see FALLBACKS)."""
        for code in fallback_chain(language):
            value = self.values.get(code)
            if value:
                return value
        return next(iter(self.values.values()), "")

    def has(self, language: str) -> bool:
        """True when the text is written in ``language`` itself (no fallback)."""
        return bool(self.values.get(language))

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages this text is written in, in ``LANGUAGES`` order."""
        return tuple(code for code in LANGUAGES if self.has(code))

    def __str__(self) -> str:
        return self.get("ja")


#: how the sample settings mark a value as a sample, in each language
SAMPLE_MARKS = re.compile(r"\s*(（サンプル）|\(sample\)|（样本）|\(샘플\))", re.IGNORECASE)


def strip_sample_marks(text: str) -> str:
    """``text`` without 「（サンプル）」 and its translations."""
    return SAMPLE_MARKS.sub("", text)


@dataclass(frozen=True)
class Settings:
    """The ward's values that placeholders refer to (fees, URLs, counters, phone numbers)."""

    values: Mapping[str, Any]
    source: str = ""

    @property
    def sample(self) -> bool:
        """True when these are the shipped sample values, not a ward's own."""
        return bool(self.values.get("sample", False))

    def lookup(self, path: str) -> Any:
        """The value at a dotted ``path``; raises KeyError when any part is missing."""
        node: Any = self.values
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(path)
            node = node[part]
        return node

    def has_value(self, path: str) -> bool:
        """True when ``path`` names a single value (a scalar or a language mapping)."""
        try:
            value = self.lookup(path)
        except KeyError:
            return False
        return not isinstance(value, Mapping) or is_language_mapping(value)

    def value_in(self, path: str, language: str) -> str:
        """The value at ``path`` as text in ``language`` (with the usual fallback).

        「（サンプル）」 marks a shipped sample value; a ward's own settings (``sample:
        false``) never show it to a resident, even where a sample value was kept.
        """
        value = self.lookup(path)
        if isinstance(value, Mapping):
            text = Text({str(k): str(v) for k, v in value.items()}).get(language)
        else:
            text = str(value)
        return text if self.sample else strip_sample_marks(text)

    def resolve(self, text: str, language: str) -> str:
        """``text`` with every known placeholder replaced; unknown ones stay as written."""

        def replace(match: re.Match[str]) -> str:
            path = match.group(1)
            return self.value_in(path, language) if self.has_value(path) else match.group(0)

        return PLACEHOLDER.sub(replace, text)


@dataclass(frozen=True)
class Step:
    """One action: what to do, optionally what the screen shows, a picture, device variants."""

    text: Text
    screen: Text | None = None
    illustration: str | None = None
    variants: Mapping[str, Text] = field(default_factory=dict)
    tip: Text | None = None
    #: the kiosk shows the guide's hand-off QR code at this step (the one that says to scan it)
    handoff: bool = False


@dataclass(frozen=True)
class CheckItem:
    """An item with a stable id: a before-you-go check or an "I can ..." skill."""

    id: str
    text: Text


@dataclass(frozen=True)
class Handoff:
    """The URL the kiosk's QR code carries, and the label shown next to it."""

    url: str
    label: Text


@dataclass(frozen=True)
class Stuck:
    """Where to get help: lessons that teach this, and the counter that helps."""

    lessons: tuple[str, ...]
    counter: Text


@dataclass(frozen=True)
class Source:
    """A public source an item was checked against: its title and its https:// address."""

    title: str
    url: str


@dataclass(frozen=True)
class Review:
    """When an item was last checked against its public sources, and which of its
    languages a person has reviewed (the others are written but unreviewed)."""

    checked: date | None = None
    sources: tuple[Source, ...] = ()
    reviewed: tuple[str, ...] = ()


def lacks_language(texts: Iterable[Text], language: str) -> bool:
    """True when any of ``texts`` is not written in ``language`` (so it shows in ja)."""
    return any(not t.has(language) for t in texts)


@dataclass(frozen=True)
class Guide:
    """An online procedure the kiosk walks a resident through."""

    id: str
    status: str
    category: str
    title: Text
    for_whom: Text
    duration_minutes: int
    fee: Text
    finder_question: Text
    bring: tuple[Text, ...]
    checklist: tuple[CheckItem, ...]
    steps: tuple[Step, ...]
    warnings: tuple[Text, ...]
    handoff: Handoff
    stuck: Stuck
    furigana: Mapping[str, str] = field(default_factory=dict)
    review: Review = field(default_factory=Review)
    #: place among its category's finder buttons (smaller first); the kiosk's finder
    #: leads 「住民票がほしい」 to コンビニ交付 first
    finder_order: int = 100

    @property
    def withdrawn(self) -> bool:
        """True when the ward retired this procedure: kept, but hidden from the kiosk."""
        return self.status == "withdrawn"

    def spoken_texts(self) -> Iterator[Text]:
        """Every text of the guide that the kiosk reads aloud, in screen order."""
        yield self.title
        yield self.for_whom
        yield from self.bring
        yield from (item.text for item in self.checklist)
        for step in self.steps:
            yield step.text
            if step.screen is not None:
                yield step.screen
        yield from self.warnings

    def resident_texts(self) -> Iterator[Text]:
        """Every text a resident sees on the kiosk or the public guide page."""
        yield from self.spoken_texts()
        yield self.fee
        yield self.finder_question
        yield self.handoff.label
        yield self.stuck.counter


@dataclass(frozen=True)
class Lesson:
    """A smartphone-class lesson with device variants and an "I can ..." checklist."""

    id: str
    course: str
    level: str
    order: int | None
    title: Text
    goal: Text
    duration_minutes: int
    devices: tuple[str, ...]
    prepare: tuple[Text, ...]
    steps: tuple[Step, ...]
    can_do: tuple[CheckItem, ...]
    furigana: Mapping[str, str] = field(default_factory=dict)
    review: Review = field(default_factory=Review)

    def resident_texts(self) -> Iterator[Text]:
        """The texts a participant reads: title, goal, steps, variants and "I can ..." items."""
        yield self.title
        yield self.goal
        yield from self.prepare
        for step in self.steps:
            yield step.text
            if step.screen is not None:
                yield step.screen
            yield from step.variants.values()
        yield from (item.text for item in self.can_do)


@dataclass(frozen=True)
class Question:
    """A question of the FAQ with its short answer and where to go next."""

    id: str
    q: Text
    a: Text
    next: Text | None = None
    guide: str | None = None


@dataclass(frozen=True)
class FaqTopic:
    """One of the ward's chatbot topics with its questions."""

    id: str
    title: Text
    questions: tuple[Question, ...]
    furigana: Mapping[str, str] = field(default_factory=dict)
    review: Review = field(default_factory=Review)

    def resident_texts(self) -> Iterator[Text]:
        """The title, every question, answer and where to go next."""
        yield self.title
        for question in self.questions:
            yield question.q
            yield question.a
            if question.next is not None:
                yield question.next

    def spoken_texts(self) -> Iterator[Text]:
        """Every question and answer, in order."""
        for question in self.questions:
            yield question.q
            yield question.a
