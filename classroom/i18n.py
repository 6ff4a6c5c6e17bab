"""Gettext for the rooms that run outside a Flask request (CLI, domain errors, kiosk).

Catalogs live in the repository's ``locales/`` (shared with the web and the kiosk).
The language is a context variable so that threads and requests do not leak into
each other; it defaults to TSUNAGU_LANGUAGE, else Japanese.
"""

from __future__ import annotations

import gettext as _gettext
import os
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "ja"

_language: ContextVar[str | None] = ContextVar("tsunagu_language", default=None)


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
