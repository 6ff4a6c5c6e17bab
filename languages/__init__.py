"""The residents' languages, their fallbacks and gettext: one small leaf package.

Every room may import it (classroom, content, web, kiosk, the CLI) and it imports nothing
of ours, so the kiosk no longer reaches into the domain core for its words
(../shared/design/ARCHITECTURE.md, "Which way the arrows point").

Catalogs live in the repository's ``locales/`` (shared with the web and the kiosk). The
language of code running outside a Flask request (CLI, domain errors, the kiosk) is a
context variable, so threads and requests do not leak into each other; it defaults to
TSUNAGU_LANGUAGE, else Japanese.
"""

from __future__ import annotations

import gettext as _gettext
import os
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

#: every language a resident may choose, in the order the kiosk and the site offer them
LANGUAGES: tuple[str, ...] = ("ja", "ja-easy", "en", "zh-Hans", "ko")

#: where a language looks when its own text is missing (ja is always present): the
#: language itself, then Japanese — never silently a third language. A resident reading
#: Chinese or Korean sees the Japanese text, which is what the counter and the ward's
#: pages say, and the page or kiosk tells them in their language that it is untranslated.
#: ``en`` → ``ja`` also serves staff pages.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "ja": ("ja",),
    "ja-easy": ("ja-easy", "ja"),
    "en": ("en", "ja"),
    "zh-Hans": ("zh-Hans", "ja"),
    "ko": ("ko", "ja"),
}

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "ja"

_language: ContextVar[str | None] = ContextVar("tsunagu_language", default=None)


def fallback_chain(language: str) -> tuple[str, ...]:
    """Languages to try for ``language``, ending with Japanese."""
    return FALLBACKS.get(language, (language, "ja"))


def current_language() -> str:
    return _language.get() or os.environ.get("TSUNAGU_LANGUAGE") or DEFAULT_LANGUAGE


def set_language(language: str | None):
    """Set the language for this context; returns a token for ``reset_language``."""
    return _language.set(language)


def reset_language(token) -> None:
    _language.reset(token)


@lru_cache(maxsize=16)
def translations(language: str) -> _gettext.NullTranslations:
    # Babel writes zh_Hans; callers may say zh-Hans.
    code = language.replace("-", "_")
    return _gettext.translation(DOMAIN, LOCALES_DIR, languages=[code], fallback=True)


def gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


_ = gettext
