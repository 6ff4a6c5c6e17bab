"""The language of the public pages: the visitor's switch (a `lang` cookie), else the
browser's Accept-Language, else Japanese. Staff pages keep their own rule (web.select_locale).

Three codes per language: the content's (`ja-easy`, `zh-Hans`), Babel's locale for the UI
strings (`ja`, `zh_Hans`) and the HTML `lang` attribute (`ja`, `zh-Hans`).
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app, g, request

from content.model import fallback_chain

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


class Language(NamedTuple):
    code: str  #: the content's language code, also the cookie's value
    name: str  #: the language's name in itself (never translated: a reader must find it)
    locale: str  #: Babel locale of the UI strings
    html_lang: str  #: what `lang` attributes say


#: the public site's languages in the order the switch shows them
LANGUAGES: tuple[Language, ...] = (
    Language("ja", "日本語", "ja", "ja"),
    # やさしい日本語 is Japanese: UI strings from the ja catalog, content from its ja-easy text
    Language("ja-easy", "やさしい日本語", "ja", "ja"),
    Language("en", "English", "en", "en"),
    Language("zh-Hans", "中文", "zh_Hans", "zh-Hans"),
    Language("ko", "한국어", "ko", "ko"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
DEFAULT = BY_CODE["ja"]
#: Accept-Language tags we answer; "zh-CN" and plain "zh" fall back to zh-Hans by primary tag
_ACCEPTED = ("ja", "en", "zh-Hans", "ko")


def current() -> Language:
    """The visitor's language for this request (cookie, else Accept-Language, else ja)."""
    if "public_language" not in g:
        g.public_language = _choose()
    return g.public_language


def _choose() -> Language:
    chosen = BY_CODE.get(request.cookies.get(COOKIE, ""))
    if chosen is not None:
        return chosen
    best = request.accept_languages.best_match(_ACCEPTED)
    return BY_CODE.get(best or "", DEFAULT)


def babel_locale() -> str:
    """The Babel locale for the public pages' UI strings."""
    return current().locale


def html_lang(content_code: str) -> str:
    """The `lang` attribute for text written in the content language `content_code`."""
    language = BY_CODE.get(content_code)
    return language.html_lang if language is not None else content_code


def written_in(values: dict, language: str) -> str:
    """Which language of `values` a reader of `language` gets (the content's fallback chain)."""
    for code in fallback_chain(language):
        if values.get(code):
            return code
    return next(iter(values), "ja")


def set_cookie(response, language: Language):
    response.set_cookie(
        COOKIE,
        language.code,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response
