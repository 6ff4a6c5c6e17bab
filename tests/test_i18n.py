"""The translation catalogs in locales/ (docs/translations.md).

* ja and en are complete: no untranslated or fuzzy entry at all.
* zh_Hans and ko are complete in their scope: the msgids of the public pages
  (web/public/**, web/templates/errors/** and the error messages of web/errors.py) and
  every entry with the message context "kiosk".
* The committed .mo files say what their .po files say (compiled afresh and compared
  message by message; file times are not compared, git does not keep them).
* No Jinja template under web/ shows a user-facing literal outside gettext.
* A translation keeps its msgid's placeholders, in every catalog.

Each failure names the file and the msgids (or template lines) at fault.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
WEB = ROOT / "web"
KIOSK_CONTEXT = "kiosk"
#: the kiosk's やさしい日本語 in the ja catalog (docs/translations.md)
EASY_CONTEXT = "kiosk-easy"
#: complete for every string
FULL = ("ja", "en")
#: complete for the public pages and the kiosk
PUBLIC_AND_KIOSK = ("zh_Hans", "ko")
CATALOGS = (*FULL, *PUBLIC_AND_KIOSK)
#: the keywords `make i18n` extracts with (-k _l -k N_ -k lazy_gettext)
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None, "lazy_gettext": None}

#: letters a template may show outside gettext, each with its reason
TEMPLATE_LITERALS_ALLOWED: dict[str, str] = {
    # the logo's mark: the first kana of つなぐ drawn as a brand mark (aria-hidden), not text
    "つ": "brand mark",
    # office/slip.html: the honorific after the resident's name, printed only when the
    # slip's language is Japanese ({% if lang == 'ja' %} 様{% endif %})
    "様": "Japanese-only honorific",
}
#: blocks whose content goes into an attribute (a class list), not into the page's text
NON_TEXT_BLOCKS = frozenset({"body_class"})
#: attributes whose value a person reads or hears
USER_FACING_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "aria-description")


def _po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


@cache
def _catalog(language: str):
    with _po_path(language).open("rb") as f:
        return read_po(f, locale=language)


def _key(message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return f"[{message.context}] {msgid!r}" if message.context else repr(msgid)


def _incomplete(message) -> bool:
    if message.fuzzy:
        return True
    if isinstance(message.string, (list, tuple)):
        return not all(message.string)
    return not message.string


def _report(path: Path, problems: list[str], what: str) -> str:
    lines = "\n  ".join(problems[:60])
    more = f"\n  … and {len(problems) - 60} more" if len(problems) > 60 else ""
    return f"{path.relative_to(ROOT)}: {len(problems)} {what}:\n  {lines}{more}"


# -- (a) ja and en: every entry ------------------------------------------------------


@pytest.mark.parametrize("language", FULL)
def test_full_catalogs_have_no_untranslated_or_fuzzy_entry(language):
    problems = [
        ("fuzzy " if m.fuzzy else "untranslated ") + _key(m)
        for m in _catalog(language)
        # an empty kiosk-easy entry is allowed: the kiosk reads its ja wording there
        if m.id and _incomplete(m) and not (m.context == EASY_CONTEXT and not m.fuzzy)
    ]
    assert not problems, _report(_po_path(language), problems, "incomplete entries (make i18n)")


# -- (b) zh_Hans and ko: the public pages and the kiosk -------------------------------


@cache
def public_msgids() -> frozenset[str]:
    """The msgids the public pages show: web/public/**, web/templates/errors/** and the
    error messages of web/errors.py (the error page's heading)."""
    found: set[str] = set()
    method_map = [("**.py", "python"), ("**.html", "jinja2.ext:babel_extract")]
    for directory in (WEB / "public", WEB / "templates" / "errors"):
        for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(directory), method_map=method_map, keywords=KEYWORDS
        ):
            if context is None:
                found.add(message[0] if isinstance(message, tuple) else message)
    for _lineno, message, _comments, context in extract_from_file(
        "python", str(WEB / "errors.py"), keywords=KEYWORDS
    ):
        if context is None:
            found.add(message[0] if isinstance(message, tuple) else message)
    return frozenset(found)


def test_public_scope_is_found():
    msgids = public_msgids()
    assert "Error code: %(code)s" in msgids
    assert len(msgids) > 20


def test_kiosk_entries_are_in_the_catalogs():
    kiosk = [m for m in _catalog("ja") if m.context == KIOSK_CONTEXT]
    assert len(kiosk) > 50, "no kiosk entries: run make i18n (babel.cfg's kiosk extractor)"


@pytest.mark.parametrize("language", PUBLIC_AND_KIOSK)
def test_public_and_kiosk_catalogs_are_complete_in_scope(language):
    scope = public_msgids()
    problems = []
    for m in _catalog(language):
        if not m.id:
            continue
        msgid = m.id[0] if isinstance(m.id, (list, tuple)) else m.id
        in_scope = m.context == KIOSK_CONTEXT or (m.context is None and msgid in scope)
        if in_scope and _incomplete(m):
            problems.append(("fuzzy " if m.fuzzy else "untranslated ") + _key(m))
    present = {
        m.id[0] if isinstance(m.id, (list, tuple)) else m.id
        for m in _catalog(language)
        if m.context is None and m.id
    }
    missing = sorted(scope - present)
    problems += [f"missing {msgid!r} (run make i18n)" for msgid in missing]
    assert not problems, _report(_po_path(language), problems, "incomplete public or kiosk entries")


# -- (c) the committed .mo files -------------------------------------------------------


def _messages(catalog) -> dict[tuple[str | None, str], object]:
    return {
        (m.context, m.id if isinstance(m.id, str) else tuple(m.id)): (
            m.string if isinstance(m.string, str) else tuple(m.string)
        )
        for m in catalog
        if m.id
    }


@pytest.mark.parametrize("language", CATALOGS)
def test_compiled_catalog_matches_its_po(language, tmp_path):
    po = _po_path(language)
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo.relative_to(ROOT)} is missing: run make i18n and commit it"
    fresh = tmp_path / "messages.mo"
    with fresh.open("wb") as f:
        write_mo(f, _catalog(language), use_fuzzy=False)  # as pybabel compile does
    with fresh.open("rb") as f:
        expected = _messages(read_mo(f))
    with mo.open("rb") as f:
        committed = _messages(read_mo(f))
    problems = []
    for key in sorted(expected.keys() | committed.keys(), key=repr):
        context, msgid = key
        label = f"[{context}] {msgid!r}" if context else repr(msgid)
        if key not in committed:
            problems.append(f"not compiled: {label}")
        elif key not in expected:
            problems.append(f"compiled but no longer in the .po: {label}")
        elif committed[key] != expected[key]:
            problems.append(f"compiled translation differs: {label}")
    assert not problems, _report(mo, problems, "differences from the .po (make i18n)")


# -- (d) no user-facing literal outside gettext in templates -----------------------------


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_LETTER = re.compile(r"[^\W\d_]")


class _HtmlText:
    """Splits template data into the text a reader sees and user-facing attribute values,
    carrying its state across the data pieces between Jinja tags (a tag may hold {{ … }})."""

    def __init__(self):
        self.state = "text"  # text | tag | value | comment | rawtext
        self.quote = ""
        self.attribute = ""
        self.value = ""
        self.value_line = 0
        self.tag = ""
        self.found: list[tuple[int, str]] = []
        self._text = ""
        self._text_line = 0

    def _flush_text(self):
        if self._text.strip():
            self.found.append((self._text_line, self._text))
        self._text = ""

    def feed(self, data: str, lineno: int) -> None:
        i, n = 0, len(data)
        while i < n:
            ch = data[i]
            if self.state == "text":
                if data.startswith("<!--", i):
                    self._flush_text()
                    self.state, i = "comment", i + 4
                    continue
                if ch == "<" and i + 1 < n and (data[i + 1].isalpha() or data[i + 1] in "/!?"):
                    self._flush_text()
                    self.state, self.tag, self.attribute = "tag", "", ""
                    match = re.match(r"</?([A-Za-z][\w-]*)", data[i:])
                    self.tag = match.group(1).lower() if match else ""
                    i += 1
                    continue
                if not self._text:
                    self._text_line = lineno
                self._text += ch
            elif self.state == "comment":
                if data.startswith("-->", i):
                    self.state, i = "text", i + 3
                    continue
            elif self.state == "tag":
                if ch == ">":
                    self.state = "rawtext" if self.tag in ("script", "style") else "text"
                elif ch in "\"'":
                    self.state, self.quote, self.value, self.value_line = "value", ch, "", lineno
                else:
                    match = re.search(r"([\w:-]+)\s*=\s*$", data[max(0, i - 40) : i + 1])
                    if ch == "=" and match:
                        self.attribute = match.group(1).lower()
            elif self.state == "value":
                if ch == self.quote:
                    if self.attribute in USER_FACING_ATTRIBUTES and self.value.strip():
                        self.found.append((self.value_line, self.value))
                    self.state, self.attribute = "tag", ""
                else:
                    self.value += ch
            elif self.state == "rawtext" and data.startswith(f"</{self.tag}", i):
                self.state = "tag"
                i += 2
                continue
            if ch == "\n":
                lineno += 1
            i += 1

    def interrupt(self) -> None:
        """A Jinja expression or tag came between two data pieces."""
        if self.state == "text":
            self._flush_text()
        elif self.state == "value":
            self.value += " "  # the {{ … }} in an attribute value; its literal parts still count

    def close(self) -> None:
        self._flush_text()


def _visible_letters(text: str) -> str:
    text = _ENTITY.sub(" ", text)
    return " ".join(text.split())


def _template_data(node: nodes.Node):
    """The TemplateData nodes under ``node`` in source order, but for NON_TEXT_BLOCKS."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block) and child.name in NON_TEXT_BLOCKS:
            continue
        if isinstance(child, nodes.TemplateData):
            yield child
        else:
            yield from _template_data(child)


def template_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each literal with letters in the template at ``path``."""
    env = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"])
    tree = env.parse(path.read_text(encoding="utf-8"), name=path.name, filename=str(path))
    reader = _HtmlText()
    previous_end = None
    for node in _template_data(tree):
        if previous_end is not None:
            reader.interrupt()
        reader.feed(node.data, node.lineno)
        previous_end = node
    reader.close()
    literals = []
    for lineno, text in reader.found:
        visible = _visible_letters(text)
        if not _LETTER.search(visible):
            continue
        if visible in TEMPLATE_LITERALS_ALLOWED:
            continue
        literals.append((lineno, visible))
    return literals


def _templates() -> list[Path]:
    return sorted(WEB.glob("**/templates/**/*.html"))


def test_templates_are_found():
    assert len(_templates()) > 20


def test_the_literal_finder_sees_text_and_attributes(tmp_path):
    sample = tmp_path / "sample.html"
    sample.write_text(
        '<p class="x">{{ _("Fine") }} &middot; 12:00</p>\n'
        '<a href="{{ url }}" title="Open it">Home</a>\n'
        '<img alt="{{ _(\'ok\') }}" src="x.png">{% trans %}Also fine{% endtrans %}\n'
        '<!-- a comment is fine --><span aria-hidden="true">つ</span>\n',
        encoding="utf-8",
    )
    assert template_literals(sample) == [(2, "Open it"), (2, "Home")]


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(WEB)))
def test_template_has_no_literal_outside_gettext(path):
    literals = template_literals(path)
    problems = [f"line {lineno}: {text!r}" for lineno, text in literals]
    assert not problems, _report(path, problems, "user-facing literals outside gettext")


# -- (e) placeholders ---------------------------------------------------------------------


_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
_BRACE = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][\w.]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str, python_format: bool) -> Counter:
    found: Counter = Counter()
    if python_format:
        for match in _PERCENT.finditer(text):
            if match.group("type") == "%":
                continue
            name = match.group("name")
            found[
                f"%({name}){match.group('type')}" if name is not None else f"%{match.group('type')}"
            ] += 1
    for match in _BRACE.finditer(text):
        found["{" + match.group("name") + "}"] += 1
    return found


def _placeholder_problems(message) -> list[str]:
    python_format = "python-format" in message.flags
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    problems = []
    if len(ids) == 1:
        expected = placeholders(ids[0], python_format)
        for string in strings:
            if string and placeholders(string, python_format) != expected:
                found = placeholders(string, python_format)
                problems.append(f"{_key(message)}: {sorted(expected)} but {sorted(found)}")
        return problems
    # plural: each form may drop the count, but may not add a name, and together they keep all
    allowed = placeholders(ids[0], python_format) | placeholders(ids[1], python_format)
    together: Counter = Counter()
    for string in strings:
        if not string:
            continue
        found = placeholders(string, python_format)
        together |= found
        unknown = set(found) - set(allowed)
        if unknown:
            problems.append(f"{_key(message)}: unknown {sorted(unknown)}")
    needed = set(placeholders(ids[1], python_format)) - set(together)
    if any(strings) and needed:
        problems.append(f"{_key(message)}: no form keeps {sorted(needed)}")
    return problems


@pytest.mark.parametrize("language", CATALOGS)
def test_translations_keep_their_placeholders(language):
    problems = []
    for message in _catalog(language):
        if message.id:
            problems += _placeholder_problems(message)
    assert not problems, _report(_po_path(language), problems, "placeholder mismatches")


def test_the_placeholder_check_sees_a_mismatch():
    assert placeholders("%(count)d seats left", True) == Counter({"%(count)d": 1})
    assert placeholders("残り%(count)d席", True) == placeholders("%(count)d seats left", True)
    assert placeholders("あと%(counts)d席", True) != placeholders("%(count)d seats left", True)
    assert placeholders("100% sure", False) == Counter()
    assert placeholders("like {urls.juminhyo}", False) == Counter({"{urls.juminhyo}": 1})
