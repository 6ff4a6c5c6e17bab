"""The rules of a guide's walk, without Kivy: finder groups, pages, checklist, events.

The screens (``kiosk.screens.finder``, ``guide_walk``, ``guide_step``, ``faq``) follow
these; tests check them without a window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from content.model import Text
from kiosk.i18n import N_, gettext_in

#: finder categories in the order shown, with their English msgids
CATEGORIES: dict[str, str] = {
    "certificates": N_("Certificates"),
    "events": N_("Events"),
    "health": N_("Health"),
    "payments": N_("Payments"),
    "mynumber": N_("My Number Card"),
}
#: the event kinds of a guide's walk (docs/kiosk-api.md)
EVENT_KINDS = (
    "guide_viewed",
    "step_reached",
    "guide_finished",
    "handoff_shown",
    "language_chosen",
    "text_size_chosen",
    "speech_played",
    "faq_viewed",
)
#: the API's name of each text size
API_TEXT_SIZES = {"large": "large", "extra-large": "xlarge"}


VOLUME_STEP = 0.2


def next_volume(volume: float, step: int) -> float:
    """The volume one press of 音量 − (step -1) or ＋ (step 1) gives, within 0.2..1."""
    return round(max(VOLUME_STEP, min(1.0, volume + step * VOLUME_STEP)), 2)


#: each language's name in itself (never translated: a reader must recognise it)
LANGUAGE_NAMES = {"ja-easy": "やさしい日本語", "en": "English", "zh-Hans": "中文", "ko": "한국어"}
UNTRANSLATED = N_(
    "Parts of this guide are not yet written in %(language)s. "
    "They are shown in Japanese, as at the ward's counters."
)


UNTRANSLATED_ANSWER = N_(
    "This answer is not yet written in %(language)s. "
    "It is shown in Japanese, as at the ward's counters."
)


def untranslated_answer_notice(question, language: str) -> str:
    """For an FAQ answer whose question, answer or next step is missing in ``language``
    (and so shows in Japanese): the notice in ``language``; else ""."""
    texts = [question.q, question.a] + ([question.next] if question.next is not None else [])
    if language == "ja" or all(text.has(language) for text in texts):
        return ""
    name = LANGUAGE_NAMES.get(language, language)
    return gettext_in(UNTRANSLATED_ANSWER, language) % {"language": name}


def untranslated(guide, language: str) -> bool:
    """True when a text of ``guide`` a resident sees is missing in ``language`` (and so
    shows in Japanese: the content never falls back to a third language)."""
    return language != "ja" and any(not text.has(language) for text in guide.resident_texts())


def untranslated_notice(language: str) -> str:
    """The notice, in ``language``, that parts of the guide are shown in Japanese."""
    name = LANGUAGE_NAMES.get(language, language)
    return gettext_in(UNTRANSLATED, language) % {"language": name}


def offered(guides: Iterable) -> list:
    """Guides a resident may pick: never a withdrawn one."""
    return [guide for guide in guides if not guide.withdrawn]


def finder_groups(guides: Iterable) -> list[tuple[str, list]]:
    """(category, guides) in ``CATEGORIES`` order, then any other category; empty ones left out."""
    groups: dict[str, list] = {name: [] for name in CATEGORIES}
    # within a category, by the guide's finder order (コンビニ交付 first), then as given
    ordered = sorted(offered(guides), key=lambda guide: getattr(guide, "finder_order", 100))
    for guide in ordered:
        groups.setdefault(guide.category, []).append(guide)
    return [(name, items) for name, items in groups.items() if items]


def paginate_groups(groups: Sequence[tuple[str, list]], budget: int, cols: int = 2) -> list[list]:
    """Groups split into pages; a heading costs 1, a row of ``cols`` buttons 2.

    A group never splits unless it alone is over the budget.
    """
    pages: list[list] = [[]]
    used = 0
    for name, items in groups:
        rows = [items[i : i + cols] for i in range(0, len(items), cols)]
        cost = 1 + 2 * len(rows)
        if pages[-1] and used + cost > budget:
            pages.append([])
            used = 0
        if cost <= budget:
            pages[-1].append((name, items))
            used += cost
            continue
        per_page = max(1, (budget - 1) // 2) * cols  # a group too big for one page
        for start in range(0, len(items), per_page):
            if pages[-1]:
                pages.append([])
            pages[-1].append((name, items[start : start + per_page]))
            used = budget
    return [page for page in pages if page] or [[]]


#: where a sentence ends: after 。！？ (and the spaces after them), or after . ! ? and
#: spaces before anything but a small letter (「a.m. to」 goes on)
_SENTENCE_END = re.compile(r"[。！？]+[ \u3000]*|[.!?]+\s+(?=[^a-z\s])")


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence, each keeping the spaces after it: ``"".join`` gives
    ``text`` back (an FAQ answer too long for one page is shown a few sentences a page)."""
    cuts = [match.end() for match in _SENTENCE_END.finditer(text) if match.end() < len(text)]
    starts = [0, *cuts]
    return [text[a:b] for a, b in zip(starts, [*cuts, len(text)], strict=True) if text[a:b]]


def chunks(items: Sequence, size: int, balanced: bool = False) -> list[list]:
    """``items`` in pages of at most ``size`` (one empty page for no items).

    ``balanced`` evens the pages out (3 + 3 rather than 4 + 2).
    """
    size = max(1, size)
    if balanced and items:
        pages = -(-len(items) // size)
        size = -(-len(items) // pages)
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


@dataclass
class OverviewPage:
    """One page before the steps: a kind (summary, bring, warnings) and its texts."""

    kind: str
    items: list = field(default_factory=list)


def overview_pages(guide, per_page: int, language: str = "ja") -> list[OverviewPage]:
    """Who it is for, time and fee; then what to bring; then what to watch out for.

    When the guide is not fully written in ``language``, a first page says so in that
    language (its texts show in Japanese): a page of its own, so that the summary still
    fits at the largest text size."""
    pages = []
    if untranslated(guide, language):
        notice = untranslated_notice(language)
        pages.append(OverviewPage("language", [Text({language: notice, "ja": notice})]))
    pages.append(OverviewPage("summary"))
    pages += [OverviewPage("bring", part) for part in chunks(guide.bring, per_page, True) if part]
    pages += [
        OverviewPage("warnings", part) for part in chunks(guide.warnings, per_page, True) if part
    ]
    return pages


class Checklist:
    """The before-you-go checks: each toggled on or off by a tap; nothing is required."""

    def __init__(self, item_ids: Iterable[str] = ()):
        self.ids = list(item_ids)
        self.checked: set[str] = set()

    def toggle(self, item_id: str) -> bool:
        """Flip ``item_id``; returns its new state."""
        if item_id not in self.ids:
            raise KeyError(item_id)
        if item_id in self.checked:
            self.checked.discard(item_id)
            return False
        self.checked.add(item_id)
        return True

    def is_checked(self, item_id: str) -> bool:
        return item_id in self.checked

    @property
    def all_checked(self) -> bool:
        return set(self.ids) <= self.checked

    @property
    def missing(self) -> list[str]:
        return [item_id for item_id in self.ids if item_id not in self.checked]

    def reset(self) -> None:
        self.checked.clear()


def course_kinds(catalog, guide) -> list[str]:
    """The course kinds (intro / one_point) of the lessons that teach ``guide``, in order.

    The fallback filter for servers whose sessions name no lessons (see ``sessions_teaching``).
    """
    kinds: list[str] = []
    for lesson_id in guide.stuck.lessons:
        lesson = catalog.lessons.get(lesson_id)
        if lesson is not None and lesson.course not in kinds:
            kinds.append(lesson.course)
    return kinds


def _lesson_ids(session: dict) -> list:
    ids = (session.get("course") or {}).get("lesson_ids")
    return ids if isinstance(ids, list) else []


def sessions_teaching(
    sessions: Sequence[dict], kinds: Sequence[str], lessons: Iterable[str] = ()
) -> list[dict]:
    """The sessions that teach a guide's ``lessons`` (its ``stuck.lessons``), best filter first.

    1. the sessions whose ``course.lesson_ids`` share a lesson with ``lessons``;
    2. when no session names any lesson id (an older server without ``lesson_ids``, or
       courses not yet mapped to lessons): the sessions of courses of ``kinds``;
    3. when nothing matches, or there is nothing to match with: all sessions.
    """
    wanted = set(lessons)
    if wanted and any(_lesson_ids(s) for s in sessions):
        matching = [s for s in sessions if wanted.intersection(_lesson_ids(s))]
        return matching or list(sessions)
    if not kinds:
        return list(sessions)
    matching = [s for s in sessions if (s.get("course") or {}).get("kind") in kinds]
    return matching or list(sessions)


def step_sheet(guide, language: str, tr: Callable[[str], str]) -> str:
    """The printed step sheet: title, what to bring, numbered steps, the hand-off URL."""
    lines = [guide.title.get(language), ""]
    if guide.bring:
        lines.append(tr("What to bring"))
        lines += [f"・{item.get(language)}" for item in guide.bring]
        lines.append("")
    for number, step in enumerate(guide.steps, start=1):
        lines.append(f"{number}. {step.text.get(language)}")
    lines += ["", guide.handoff.url]
    return "\n".join(lines) + "\n"


class GuideEvents:
    """Anonymous usage events of one walk through ``record(kind, **fields)``.

    ``record`` is the app's (``KioskApp.record``): it adds the time, language and
    text size. Only a guide's id and a step number are given: nothing personal.
    """

    def __init__(self, record: Callable[..., Any]):
        self.record = record

    def viewed(self, guide_id: str) -> None:
        self.record("guide_viewed", guide_id=guide_id)

    def step(self, guide_id: str, index: int) -> None:
        self.record("step_reached", guide_id=guide_id, step=index + 1)

    def finished(self, guide_id: str) -> None:
        self.record("guide_finished", guide_id=guide_id)

    def handoff(self, guide_id: str) -> None:
        self.record("handoff_shown", guide_id=guide_id)

    def speech(self, guide_id: str = "", step: int | None = None) -> None:
        self.record("speech_played", guide_id=guide_id, step=step)

    def faq(self, topic_id: str) -> None:
        self.record("faq_viewed", guide_id=topic_id)


def event_payload(kind: str, at: str, language: str, text_size: str, **fields) -> dict:
    """The event as the API takes it: known kind, API text size, no field beyond the allowed."""
    if kind not in EVENT_KINDS and kind != "booking_started":
        raise ValueError(kind)
    allowed = {"guide_id", "step"}
    extra = {name: value for name, value in fields.items() if name in allowed}
    if extra.get("step") is None:
        extra.pop("step", None)
    return {
        "kind": kind,
        "at": at,
        "language": language,
        "text_size": API_TEXT_SIZES.get(text_size, ""),
        **extra,
    }
