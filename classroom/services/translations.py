"""What a ward writes beside the Japanese: a course's title, a venue's name and access line
in やさしい日本語, English, Chinese and Korean.

The Japanese text is the record (what the sign and the counter say); a missing translation
shows the Japanese, never a third language (content.model.FALLBACKS). Each language is its
own input, named ``<base>_<suffix>`` (``title_ko``, ``access_zh_hans``), so that a rule that
says no is shown on that input.
"""

from __future__ import annotations

from collections.abc import Mapping

from languages import N_

from .errors import DomainError

#: the languages written beside the Japanese, in the order forms show them
OTHER_LANGUAGES: tuple[str, ...] = ("ja-easy", "en", "zh-Hans", "ko")


def field_name(base: str, language: str) -> str:
    """The input of ``base`` in ``language``: title_ja_easy, name_en, access_zh_hans."""
    return f"{base}_{language.lower().replace('-', '_')}"


def validated(
    errors: dict[str, DomainError],
    base: str,
    given: Mapping[str, str | None] | None,
    current: Mapping[str, str] | None,
    *,
    maximum: int,
) -> dict[str, str]:
    """``current`` with the languages in ``given`` replaced (an empty text removes one);
    ``given`` None keeps ``current``. A text longer than the Japanese may be is refused on
    its own field (in ``errors``)."""
    found = dict(current or {})
    if given is None:
        return found
    unknown = set(given) - set(OTHER_LANGUAGES)
    if unknown:
        raise ValueError(f"{base}: no such language {sorted(unknown)}")
    for language in OTHER_LANGUAGES:
        if language not in given:
            continue
        text = (given[language] or "").strip()
        if len(text) > maximum:
            field = field_name(base, language)
            errors[field] = DomainError(N_("At most %(max)s characters."), field=field, max=maximum)
        elif text:
            found[language] = text
        else:
            found.pop(language, None)
    return found
