"""The kiosk's gettext: English msgids, translated into the language the resident chose.

The kiosk switches language at the touch of a button, so ``_`` reads the kiosk's
current language rather than the process's. Translations come from the shared
``locales/`` catalogs (``languages``, the leaf package), from their entries with the message
context "kiosk" (``make i18n`` extracts the kiosk's strings with that context, see
scripts/babel_kiosk.py); an empty entry shows the English msgid. やさしい日本語 (ja-easy)
is the ja catalog's entries with the context "kiosk-easy" (``EASY_CONTEXT``); where one is
empty the kiosk's ja wording is read (docs/translations.md).
"""

from __future__ import annotations

from languages import LANGUAGES, N_, translations

#: each language's own name, shown on its button (never translated)
AUTONYMS: dict[str, str] = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "zh-Hans": "中文",
    "ko": "한국어",
}

_state = {"language": "ja"}


#: msgids the kiosk computes at run time (a dict's values, a screen's ``message``), marked
#: here so that ``make i18n`` extracts them with the "kiosk" context; add one when a kiosk
#: module passes a string to ``app.tr``/``gettext_in`` through a variable
RUNTIME_MSGIDS: tuple[str, ...] = (
    # kiosk.numbers.ERA_NAMES
    N_("Taisho"),
    N_("Showa"),
    N_("Heisei"),
    N_("Reiwa"),
    N_("Western calendar"),
    # kiosk.app: the window title, calling staff
    N_("Tsunagu"),
    N_("Calling the staff…"),
    N_("A staff member is coming. Please wait here."),
    N_("Please ask at the counter. A staff member will help you."),
    # kiosk.screens.home, kiosk.cli: the notice screen
    N_("This is not ready yet. Please ask the staff."),
    # kiosk.screens.guide_walk: printing the step sheet
    N_("The step sheet is printing. Please take it from the printer."),
    N_("The sheet could not be printed. Please ask the staff."),
    # kiosk.screens.booking: the birth year's problem
    N_("Please check the year. It does not look like a birth year."),
    # kiosk.booking_text: what happens next, by booking status
    N_("Please come to the venue on the day. Show this code at reception."),
    N_("If a seat becomes free, the office will call you."),
    N_("The office will tell you the result after the lottery."),
    N_(
        "This kiosk cannot reach the office right now. Your application is saved and will be "
        "sent automatically when the connection is back. Please ask at the counter to check "
        "your booking."
    ),
    N_("Please ask the staff. They can book for you."),
)


def set_language(language: str) -> None:
    """Make ``language`` the kiosk's language for every later ``_`` call."""
    if language not in LANGUAGES:
        raise ValueError(language)
    _state["language"] = language


def current_language() -> str:
    """The language the resident chose (ja until they choose)."""
    return _state["language"]


#: the kiosk's wording differs from the staff site's for the same English ("Back" is
#: もどる for a resident, 戻る for staff), so kiosk entries in the shared catalogs
#: carry this message context
CONTEXT = "kiosk"
#: the ja catalog's やさしい日本語 entries for the kiosk (ja-easy)
EASY_CONTEXT = "kiosk-easy"


def gettext(message: str) -> str:
    """``message`` in the kiosk's language: the shared catalog's kiosk entry, else ``message``.

    ja-easy: the ja catalog's kiosk-easy entry, else the ja wording.
    """
    language = _state["language"]
    if language == "en":
        return message
    if language == "ja-easy":
        easy = translations("ja").pgettext(EASY_CONTEXT, message)
        if easy != message:
            return easy
        language = "ja"
    return translations(language).pgettext(CONTEXT, message)


_ = gettext

__all__ = [
    "AUTONYMS",
    "LANGUAGES",
    "N_",
    "current_language",
    "gettext",
    "gettext_in",
    "set_language",
    "_",
]


def gettext_in(message: str, language: str) -> str:
    """``message`` in ``language`` (for kv rules, which re-run when the language changes)."""
    previous = _state["language"]
    _state["language"] = language if language in LANGUAGES else previous
    try:
        return gettext(message)
    finally:
        _state["language"] = previous
