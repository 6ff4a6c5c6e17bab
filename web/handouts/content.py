"""The content package as the web site reads it: the catalog, the language, furigana."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort
from flask_babel import get_locale
from markupsafe import Markup, escape

from classroom.services.progress import item_id
from content import Guide, Lesson
from content import furigana as furigana_lib
from content.loader import Catalog

from .. import content_source

#: the language handouts are printed in: residents read Japanese (furigana is for Japanese)
HANDOUT_LANGUAGE = "ja"
#: device variants a lesson may carry, in the order the lessons list them
DEVICES = ("iphone", "android", "senior")


def catalog() -> Catalog:
    """The content as it is on disk now (files are re-parsed only when they changed)."""
    return content_source.catalog()


def content_language() -> str:
    """The staff member's language for lesson texts; Japanese when the content lacks it."""
    return str(get_locale() or "ja").split("_")[0]


def lesson_or_404(lesson_id: str) -> Lesson:
    try:
        return catalog().lesson(lesson_id)
    except KeyError:
        abort(404)


def public_guide_or_404(guide_id: str) -> Guide:
    """An active guide; a withdrawn one is not handed out any more (404, as if unknown)."""
    try:
        guide = catalog().guide(guide_id)
    except KeyError:
        abort(404)
    if guide.withdrawn:
        abort(404)
    return guide


def ruby(text: str, overrides: Mapping[str, str] | None, with_furigana: bool) -> Markup:
    """Escaped text, with <ruby> readings over the kanji when asked for."""
    if not with_furigana:
        return escape(text)
    return Markup(furigana_lib.to_html(furigana_lib.segments(text, overrides or None)))


def lesson_item_ids() -> dict[str, list[str]]:
    """Each lesson's "I can ..." item ids ("<lesson>/<item>"), in order: what the domain
    core's progress rules take in place of the content they do not read."""
    return {
        lesson_id: [item_id(lesson_id, can.id) for can in lesson.can_do]
        for lesson_id, lesson in catalog().lessons.items()
    }


def item_texts(language: str | None = None) -> dict[str, str]:
    """Each "I can ..." item's text by id, in the staff member's language (Japanese
    when the content lacks it)."""
    language = language or content_language()
    return {
        item_id(lesson_id, can.id): can.text.get(language)
        for lesson_id, lesson in catalog().lessons.items()
        for can in lesson.can_do
    }


def lesson_titles(language: str | None = None) -> dict[str, str]:
    """Each lesson's title by id, in the staff member's language (else Japanese)."""
    language = language or content_language()
    return {
        lesson_id: lesson.title.get(language) for lesson_id, lesson in catalog().lessons.items()
    }
