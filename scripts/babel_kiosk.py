"""A Babel extractor for the kiosk: its strings get the message context "kiosk".

The kiosk's wording differs from the staff site's for the same English ("Back" is もどる
for a resident, 戻る for staff), so ``kiosk.i18n`` looks its strings up with
``pgettext("kiosk", msgid)``. The kiosk's code does not spell the context out: it calls
``gettext_in("Back", language)``, ``tr("Back", language)``, ``_("Back")`` or, in kv rules,
``app.tr("Back", app.language)``. This extractor reports each of those as if it were
``pgettext("kiosk", "Back")``, and again as ``pgettext("kiosk-easy", "Back")``: the ja
catalog's kiosk-easy entries are the kiosk's やさしい日本語 (ja-easy); one left empty reads
the ja wording.

babel.cfg registers it for ``kiosk/**.py`` and ``kiosk/**.kv``::

    [extractors]
    kiosk = scripts.babel_kiosk:extract_kiosk

    [kiosk: kiosk/**.py]
    [kiosk: kiosk/**.kv]

(``make i18n`` puts the repository on PYTHONPATH so that ``scripts.babel_kiosk`` imports.)

What is found:

* Python (``*.py``): calls of ``gettext_in``, ``tr``, ``_``, ``gettext``, ``N_`` (and
  ``ngettext``) with literal arguments, as Babel's own Python extractor finds them; the
  translating functions a module imports from ``languages`` (``gettext as _`` for the
  operator's CLI messages, say) keep no context, since ``languages`` looks them up
  without one. ``N_`` only marks a string, so it always gives the kiosk context.
* kv rules, in ``*.kv`` files and in string literals of ``*.py`` files (``Builder.load_string``):
  ``app.tr("…", …)``, ``tr("…", …)``, ``gettext_in("…", …)`` and ``_("…")`` whose first
  argument is a single string literal.

A msgid computed at run time (``app.tr(root.problem, …)``) cannot be found: mark it where
it is defined with ``N_("…")`` in a kiosk module.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from babel.messages.extract import extract_python

CONTEXT = "kiosk"
#: each kiosk string again, for its やさしい日本語 wording in the ja catalog (docs/translations.md)
EASY_CONTEXT = "kiosk-easy"

#: function names whose first argument is a kiosk msgid
SINGULAR = ("gettext_in", "tr", "_", "gettext", "N_")
PLURAL = ("ngettext",)

#: a kv rule's call: ``app.tr("Back", app.language)``; the literal is evaluated with ast
_KV_CALL = re.compile(
    r"""(?<![\w.])(?:app\.)?(?:tr|gettext_in|_)\(\s*"""
    r"""(?P<literal>[rRuU]?(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))\s*[,)]"""
)
_CLASSROOM_IMPORT = re.compile(
    r"^\s*from\s+(?:languages|classroom\.i18n)\s+import\s+\(?(?P<names>[^)\n]*)", re.MULTILINE
)


def _kv_messages(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    for match in _KV_CALL.finditer(text):
        try:
            message = ast.literal_eval(match.group("literal"))
        except (ValueError, SyntaxError):
            continue
        if isinstance(message, str) and message:
            yield first_line + text.count("\n", 0, match.start()), message


def _classroom_names(source: str) -> set[str]:
    """Local names bound by ``from languages import …`` (they have no context)."""
    names: set[str] = set()
    for match in _CLASSROOM_IMPORT.finditer(source):
        for part in match.group("names").split(","):
            words = part.strip().split()
            if words and words[0] != "N_":  # N_ only marks: the kiosk looks the string up
                names.add(words[-1])  # "gettext as _" binds "_"
    return names


def extract_kiosk(
    fileobj, keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Each kiosk entry of ``_extract`` twice: context "kiosk", then "kiosk-easy"."""
    for lineno, funcname, messages, comments in _extract(fileobj, keywords, comment_tags, options):
        yield lineno, funcname, messages, comments
        if funcname in ("pgettext", "npgettext") and messages[0] == CONTEXT:
            yield lineno, funcname, [EASY_CONTEXT, *messages[1:]], comments


def _extract(
    fileobj, keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Yield ``(lineno, funcname, messages, comments)``; ``funcname`` is ``pgettext``
    (or ``npgettext``) with the context as first message, so Babel records the context.
    Names imported from languages are yielded as plain ``gettext``/``ngettext``."""
    raw = fileobj.read()
    encoding = options.get("encoding", "utf-8")
    source = raw.decode(encoding) if isinstance(raw, bytes) else raw
    name = getattr(fileobj, "name", "") or ""
    seen: set[tuple[str | None, Any]] = set()

    def emit(lineno, funcname, messages, comments):
        key = (funcname, messages if isinstance(messages, str) else tuple(messages))
        if key in seen:
            return None
        seen.add(key)
        return lineno, funcname, messages, comments

    if str(name).endswith(".kv") or options.get("kv") == "true":
        for lineno, message in _kv_messages(source):
            if (item := emit(lineno, "pgettext", [CONTEXT, message], [])) is not None:
                yield item
        return

    plain = _classroom_names(source)
    python_keywords = {word: None for word in (*SINGULAR, *PLURAL)}
    for lineno, funcname, messages, comments in extract_python(
        io.BytesIO(source.encode("utf-8")), python_keywords, comment_tags, {"encoding": "utf-8"}
    ):
        if not isinstance(messages, (list, tuple)):
            messages = [messages]
        messages = list(messages)
        if funcname in PLURAL:
            if len(messages) < 2 or not messages[0] or not messages[1]:
                continue
            pair = messages[:2]
            if funcname in plain:
                item = emit(lineno, "ngettext", [*pair, None], comments)
            else:
                item = emit(lineno, "npgettext", [CONTEXT, *pair, None], comments)
        else:
            if not messages or not isinstance(messages[0], str) or not messages[0]:
                continue
            if funcname in plain:
                item = emit(lineno, "gettext", [messages[0]], comments)
            else:
                item = emit(lineno, "pgettext", [CONTEXT, messages[0]], comments)
        if item is not None:
            yield item

    # kv rules written inside the module's string literals (Builder.load_string)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return
    for token in tokens:
        if token.type != tokenize.STRING or "tr(" not in token.string:
            continue
        try:
            text = ast.literal_eval(token.string)
        except (ValueError, SyntaxError):
            continue
        if not isinstance(text, str):
            continue
        for lineno, message in _kv_messages(text, token.start[0]):
            if (item := emit(lineno, "pgettext", [CONTEXT, message], [])) is not None:
                yield item
