"""やさしい日本語 (ja-easy) of the kiosk's own buttons and messages comes from a real catalog:
the ja catalog's entries with the context "kiosk-easy"; the kiosk keeps no table of its own."""

from __future__ import annotations

from babel.messages.pofile import read_po

from kiosk import i18n
from kiosk.i18n import EASY_CONTEXT, gettext_in
from languages import translations
from tests.test_i18n import ROOT

#: what every screen shows (the bar, the home screen) and the please-wait screen
EVERY_SCREEN = (
    "Back",
    "Start over",
    "Call staff",
    "What would you like to do?",
    "Read aloud",
    "Stop",
    "Calling the staff…",
    "A staff member is on the way.",
    "Before you start: please check",
    "Close",
)


def test_the_kiosk_keeps_no_translations_of_its_own():
    # kiosk.i18n.SEED is gone: every language is read from the catalogs
    assert not hasattr(i18n, "SEED")
    for language in ("ja", "zh-Hans", "ko"):
        catalog = translations(language)
        for msgid in EVERY_SCREEN:
            assert gettext_in(msgid, language) == catalog.pgettext("kiosk", msgid)


def test_the_kiosk_reads_ja_easy_from_the_ja_catalog():
    catalog = translations("ja")
    for msgid in EVERY_SCREEN:
        easy = catalog.pgettext(EASY_CONTEXT, msgid)
        assert easy != msgid, f"no kiosk-easy entry for {msgid!r}"
        assert gettext_in(msgid, "ja-easy") == easy
    assert gettext_in("Call staff", "ja-easy") == "しょくいんを　よぶ"
    assert gettext_in("Call staff", "ja") == "職員を呼ぶ"
    assert (
        gettext_in("A staff member is on the way.", "ja-easy") == "しょくいんが　むかって　います。"
    )


def test_an_empty_easy_entry_reads_the_ja_wording(tmp_path):
    with (ROOT / "locales/ja/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f, locale="ja")
    empty = [m.id for m in catalog if m.context == EASY_CONTEXT and m.id and not m.string]
    for msgid in empty[:5]:
        if isinstance(msgid, str):
            assert gettext_in(msgid, "ja-easy") == gettext_in(msgid, "ja")


def test_every_kiosk_string_has_its_easy_entry():
    with (ROOT / "locales/ja/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f, locale="ja")
    kiosk = {m.id for m in catalog if m.context == "kiosk" and m.id}
    easy = {m.id for m in catalog if m.context == EASY_CONTEXT and m.id}
    assert kiosk == easy
