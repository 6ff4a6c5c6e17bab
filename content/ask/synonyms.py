"""The ward's synonym list (content/synonyms.yaml): load it, check it, apply it.

Under each language, a heading word (the one the guides and FAQ use) and the words
residents type for it. ``Synonyms.apply`` replaces each listed word, longest first, by its
heading word; the heading words match themselves, so 「マイナ」 never eats the start of
「マイナンバーカード」.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from languages import gettext as _

#: the languages a synonym list may have; やさしい日本語 uses the ja list
LIST_LANGUAGES = ("ja", "en", "zh-Hans", "ko")
SYNONYMS_FILE = "synonyms.yaml"


class SynonymError(Exception):
    """The synonym file is broken; the message names the file and the entry."""


def fold(text: str) -> str:
    """Width-folded (NFKC) and lower-case: how questions, documents and synonyms compare."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class Synonyms:
    """For each language, every variant (folded) -> its heading word."""

    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def apply(self, text: str, language: str) -> str:
        """``text`` (already folded) with each listed word replaced by its heading word."""
        pattern = _pattern(self, language)
        if pattern is None:
            return text
        table = self.words[language]
        return pattern.sub(lambda m: table[m.group(0)], text)


_patterns: dict[tuple[int, str], re.Pattern[str] | None] = {}


def _pattern(synonyms: Synonyms, language: str) -> re.Pattern[str] | None:
    key = (id(synonyms.words), language)
    if key not in _patterns:
        table = synonyms.words.get(language) or {}
        words = sorted(table, key=len, reverse=True)
        if not words:
            _patterns[key] = None
        elif language == "en":  # whole words only: "pin" is not in "pinch"
            alternatives = "|".join(re.escape(w) for w in words)
            _patterns[key] = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
        else:
            _patterns[key] = re.compile("|".join(re.escape(w) for w in words))
    return _patterns[key]


def parse_synonyms(data: object, source: str) -> Synonyms:
    """Check the parsed YAML of a synonym file and build ``Synonyms``; raises SynonymError."""

    def fail(message: str) -> SynonymError:
        return SynonymError(f"{source}: {message}")

    if data is None:
        return Synonyms({})
    if not isinstance(data, Mapping):
        raise fail(_("the file must map each language (ja, en, zh-Hans, ko) to its words"))
    words: dict[str, dict[str, str]] = {}
    for language, entries in data.items():
        if language not in LIST_LANGUAGES:
            raise fail(
                _("unknown language '%(language)s' (use one of: %(known)s)")
                % {"language": language, "known": ", ".join(LIST_LANGUAGES)}
            )
        if not isinstance(entries, Mapping):
            raise fail(
                _("under '%(language)s', write 'word: [other word, ...]' lines")
                % {"language": language}
            )
        table: dict[str, str] = {}
        for heading, variants in entries.items():
            if not isinstance(heading, str | int) or not str(heading).strip():
                raise fail(_("an empty word under '%(language)s'") % {"language": language})
            heading = str(heading).strip()
            if not isinstance(variants, list) or not variants:
                raise fail(
                    _("'%(word)s' needs a list of other words: %(word)s: [word, word]")
                    % {"word": heading}
                )
            for variant in [heading, *variants]:
                if not isinstance(variant, str | int) or not str(variant).strip():
                    raise fail(_("an empty word in the list of '%(word)s'") % {"word": heading})
                folded = fold(str(variant).strip())
                earlier = table.get(folded)
                if earlier is not None and earlier != heading:
                    raise fail(
                        _("'%(variant)s' is listed under both '%(first)s' and '%(second)s'")
                        % {"variant": variant, "first": earlier, "second": heading}
                    )
                table[folded] = heading
        words[language] = {variant: fold(heading) for variant, heading in table.items()}
    return Synonyms(words)


def load_synonyms(path: Path) -> Synonyms:
    """The synonyms in ``path`` (none when the file is absent); raises SynonymError."""
    if not path.is_file():
        return Synonyms({})
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SynonymError(f"{path}: {str(exc).splitlines()[0]}") from exc
    return parse_synonyms(data, str(path))
