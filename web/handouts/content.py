"""The content package as the web site reads it: the catalog, the language, furigana."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort
from flask_babel import get_locale
from markupsafe import Markup, escape

from content import Guide, Lesson, load_catalog
from content import furigana as furigana_lib
from content.loader import Catalog

#: the language handouts are printed in: residents read Japanese (furigana is for Japanese)
HANDOUT_LANGUAGE = "ja"
#: device variants a lesson may carry, in the order the lessons list them
DEVICES = ("iphone", "android", "senior")


def catalog() -> Catalog:
    """The content as it is on disk now (files are re-parsed only when they changed)."""
    return load_catalog()


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
