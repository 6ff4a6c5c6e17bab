"""What the kiosk offers from the content, its colours and its strings. No window needed."""

from __future__ import annotations

import dataclasses

import pytest

from content.loader import load_catalog
from kiosk import i18n, theme


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_the_guide_list_leaves_withdrawn_guides_out(catalog):
    pytest.importorskip("kivy")
    from kiosk.screens.guide_list import offered_guides

    offered = offered_guides(catalog)
    assert offered, "the shipped content has active guides"
    assert all(guide.status != "withdrawn" for guide in offered)
    withdrawn = {g.id for g in catalog.withdrawn_guides}
    assert withdrawn, "the shipped content has a withdrawn guide to test with"
    assert withdrawn.isdisjoint(g.id for g in offered)


def test_a_guide_withdrawn_later_disappears_from_the_list(catalog):
    pytest.importorskip("kivy")
    from kiosk.screens.guide_list import offered_guides

    first = catalog.active_guides[0]
    retired = dataclasses.replace(first, status="withdrawn")
    changed = dataclasses.replace(catalog, guides={**catalog.guides, first.id: retired})
    assert first.id not in {g.id for g in offered_guides(changed)}


def test_step_counter_reads_like_the_screen():
    pytest.importorskip("kivy")
    from kiosk.screens.guide_step import step_counter

    assert step_counter(2, 9) == "3 / 9"


@pytest.mark.parametrize("pair", sorted(theme.COLOUR_PAIRS))
def test_every_text_colour_has_at_least_seven_to_one_contrast(pair):
    text, background = theme.COLOUR_PAIRS[pair]
    assert theme.contrast(text, background) >= theme.MIN_CONTRAST


@pytest.mark.parametrize("size", theme.TEXT_SIZES)
def test_sizes_meet_the_kiosk_floors(size):
    sizes = theme.SIZES[size]
    assert sizes.body >= 32 and sizes.heading >= 48
    assert sizes.button_height >= theme.MIN_TOUCH_HEIGHT
    assert sizes.bar_height >= theme.MIN_TOUCH_HEIGHT
    assert theme.GAP >= 16


def test_extra_large_is_larger_than_large():
    assert theme.SIZES["extra-large"].body > theme.SIZES["large"].body
    assert theme.SIZES["extra-large"].heading > theme.SIZES["large"].heading


def test_the_language_switch_changes_the_strings():
    try:
        i18n.set_language("en")
        assert i18n.gettext("Back") == "Back"
        i18n.set_language("ja")
        assert i18n.gettext("Back") == "もどる"
        assert i18n.gettext("Call staff") == "職員を呼ぶ"
        assert i18n.gettext_in("Back", "ko") == "뒤로"
        assert i18n.current_language() == "ja"
        # やさしい日本語 has its own words (the catalog's kiosk-easy entries) ...
        i18n.set_language("ja-easy")
        easy = i18n.gettext("There are no guides yet. Please ask the staff.")
        assert easy.startswith("あんない") and easy != i18n.gettext_in(
            "There are no guides yet. Please ask the staff.", "ja"
        )
        # ... and falls back to Japanese where it has none yet
        assert i18n.gettext("Class and date") == i18n.gettext_in("Class and date", "ja")
        assert i18n.gettext("Class and date") != "Class and date"
    finally:
        i18n.set_language("ja")
