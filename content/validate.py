"""Check the content YAML against its schema, with the line of every problem.

Files are composed into YAML nodes (not Python objects) so that each problem carries its
1-based line and duplicate keys are seen. A problem reads like
``guides/juminhyo.yaml:42: step 3 has no ja text``; warnings say ``warning:`` after the line.
What each kind holds is described once, in ``content.schema`` (explained in
docs/content-schema.md); ``check_fields`` walks that description over a file's nodes and
the functions above it check one kind of value each.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from content.loader import (
    CONTENT_DIR,
    SECTIONS,
    ContentError,
    load_settings,
    section_files,
    settings_path,
)
from content.media import (
    RASTER_SUFFIXES,
    UPLOADS,
    SvgProblem,
    raster_picture,
    svg_problem,
    svg_title,
)
from content.model import LANGUAGES, PLACEHOLDER, Settings
from content.schema import (
    KINDS,
    REQUIRED_LANGUAGES,
    REVIEW_MONTHS,
    Choice,
    Date,
    Field,
    Flag,
    Furigana,
    HandoffUrl,
    HttpsUrl,
    Ident,
    Illustration,
    LanguageCode,
    ListOf,
    PositiveInt,
    Record,
    Reference,
    Spec,
    String,
    Text,
    Variants,
)
from languages import gettext as _

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HTTPS_URL = re.compile(r"https://[^\s/{}]+\.[^\s{}]*")
#: a ward setting's phone number: digits and hyphens (03-1234-5678)
PHONE = re.compile(r"[0-9][0-9-]{5,14}[0-9]")
#: a ward setting's fee: a whole number of yen, in digits
YEN = re.compile(r"[0-9]{1,7}")


def setting_kind(path: str, value: object) -> str:
    """What a one-language ward setting holds, from its place and value: "number" (a fee
    in yen), "url", "phone" or "text". The settings page checks its inputs by it and
    ``tsunagu content check`` the settings file, so neither lets through what the other
    refuses."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "number"
    if path.startswith("urls.") or (isinstance(value, str) and value.startswith("http")):
        return "url"
    if "phone" in path.rpartition(".")[2] or path.startswith("phones."):
        return "phone"
    return "text"


KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ffー]+")
JA_SENTENCE_END = ("。", "！", "？", "!", "?", "」", "）", ")", "』")
EN_SENTENCE_END = (".", "!", "?", ")", '"', "”", "…")


@dataclass(frozen=True)
class Problem:
    """One problem in one file: where it is (file relative to the content dir, line) and what."""

    file: str
    line: int
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        """True for errors (which make ``content check`` fail), False for warnings."""
        return self.severity == "error"

    def __str__(self) -> str:
        if self.is_error:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}:{self.line}: {_('warning')}: {self.message}"


@dataclass(frozen=True)
class Known:
    """What a file may refer to: ids of the other files, settings, and the content root."""

    root: Path
    settings: Settings
    guides: frozenset[str]
    lessons: frozenset[str]
    #: intro lesson order -> the file that has it (one lesson per meeting)
    intro_orders: dict[int, str] = field(default_factory=dict)
    #: the day the checks are made (Tokyo's date), for "checked" dates; None = not checked
    today: date | None = None
    #: production mode: an item due for review is an error, not a warning
    strict: bool = False


@dataclass
class FileCheck:
    """Collects the problems of one file while its nodes are walked."""

    name: str
    known: Known
    kind: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: the file name without .yaml (what its id must be)
    stem: str = ""
    #: the values of the file's top-level fields checked so far (a lesson's devices, ...)
    values: dict[str, Any] = field(default_factory=dict)

    def error(self, line: int, message: str) -> None:
        """Record an error at a 1-based line."""
        self.problems.append(Problem(self.name, line, message))

    def warn(self, line: int, message: str) -> None:
        """Record a warning at a 1-based line."""
        self.problems.append(Problem(self.name, line, message, "warning"))


def line_of(node: yaml.Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def scalar(node: yaml.Node) -> Any:
    """The Python value of a scalar node (str, int, float, bool or None)."""
    return yaml.SafeLoader("").construct_object(node)


def compose(path: Path, check: FileCheck) -> yaml.Node | None:
    """The root node of ``path``, or None after recording a syntax error or an empty file."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        check.error(
            mark.line + 1 if mark else 1,
            _("the YAML cannot be read: %(problem)s") % {"problem": exc.problem or exc.context},
        )
        return None
    except UnicodeDecodeError:
        check.error(1, _("the file is not UTF-8 text"))
        return None
    if node is None:
        check.error(1, _("the file is empty"))
    return node


def fields(
    check: FileCheck, node: yaml.Node, where: str, allowed: dict[str, bool] | None
) -> dict[str, tuple[int, yaml.Node]]:
    """The keys of a mapping node -> (key line, value node); reports shape, duplicates, typos."""
    if not isinstance(node, yaml.MappingNode):
        check.error(line_of(node), _("%(where)s must be a mapping") % {"where": where})
        return {}
    found: dict[str, tuple[int, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key, line = str(scalar(key_node)), line_of(key_node)
        if key in found:
            check.error(
                line,
                _("%(where)s has the key '%(key)s' twice (first at line %(first)d)")
                % {"where": where, "key": key, "first": found[key][0]},
            )
            continue
        if allowed is not None and key not in allowed:
            check.error(line, _unknown_key(where, key, allowed))
            continue
        found[key] = (line, value_node)
    for key, required in (allowed or {}).items():
        if required and key not in found:
            check.error(
                line_of(node),
                _("%(where)s has no '%(key)s'") % {"where": where, "key": key},
            )
    return found


def _unknown_key(where: str, key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    if close:
        return _("%(where)s has an unknown key '%(key)s' (did you mean '%(close)s'?)") % {
            "where": where,
            "key": key,
            "close": close[0],
        }
    return _("%(where)s has an unknown key '%(key)s'") % {"where": where, "key": key}


def sequence(
    check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str, minimum: int = 0
) -> list[yaml.Node]:
    """The items of a list field; reports a non-list and too few items."""
    if entry is None:
        return []
    line, node = entry
    if not isinstance(node, yaml.SequenceNode):
        check.error(line, _("%(where)s must be a list") % {"where": where})
        return []
    if len(node.value) < minimum:
        check.error(
            line,
            _("%(where)s needs at least %(minimum)d items, found %(count)d")
            % {"where": where, "minimum": minimum, "count": len(node.value)},
        )
    return list(node.value)


def string(check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str) -> str | None:
    """The value of a non-empty string field, or None after reporting what is wrong."""
    if entry is None:
        return None
    line, node = entry
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, str) or not value.strip():
        check.error(line, _("%(where)s must be a non-empty text") % {"where": where})
        return None
    return value


def choice(
    check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str, allowed: tuple[str, ...]
) -> str | None:
    """The value of an enum field, or None after reporting a value outside ``allowed``."""
    value = string(check, entry, where)
    if value is not None and value not in allowed:
        assert entry is not None
        check.error(
            entry[0],
            _("%(where)s is '%(value)s', which is not one of: %(allowed)s")
            % {"where": where, "value": value, "allowed": ", ".join(allowed)},
        )
        return None
    return value


def positive_int(check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str) -> None:
    """Report a field that is not a whole number greater than 0."""
    if entry is None:
        return
    value = scalar(entry[1]) if isinstance(entry[1], yaml.ScalarNode) else None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        check.error(
            entry[0], _("%(where)s must be a whole number greater than 0") % {"where": where}
        )


def identifier(check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str) -> str | None:
    """The value of an id field, or None after reporting one that is not [a-z0-9-]+."""
    value = string(check, entry, where)
    if value is not None and not ID_PATTERN.fullmatch(value):
        assert entry is not None
        check.error(
            entry[0],
            _("%(where)s '%(value)s' may use only a-z, 0-9 and '-'")
            % {"where": where, "value": value},
        )
        return None
    return value


def text(
    check: FileCheck,
    entry: tuple[int, yaml.Node] | None,
    where: str,
    sentence: bool = False,
) -> None:
    """Check a language mapping: required languages, no empty text, placeholders, endings."""
    if entry is None:
        return
    line, node = entry
    if not isinstance(node, yaml.MappingNode):
        check.error(line, _("%(where)s must be a mapping of language to text") % {"where": where})
        return
    values = fields(check, node, where, {code: False for code in LANGUAGES})
    for code in REQUIRED_LANGUAGES[check.kind]:
        if code not in values:
            check.error(line, _("%(where)s has no %(lang)s text") % {"where": where, "lang": code})
    for code, (value_line, value_node) in values.items():
        value = scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
        if value is None or not str(value).strip():
            check.error(
                value_line,
                _("%(where)s has an empty %(lang)s text") % {"where": where, "lang": code},
            )
            continue
        placeholders(check, value_line, str(value), f"{where} ({code})")
        if sentence:
            sentence_ending(check, value_line, str(value).strip(), where, code)


def placeholders(check: FileCheck, line: int, value: str, where: str) -> None:
    """Report placeholders missing from the settings and braces that are not placeholders."""
    settings = check.known.settings
    for match in PLACEHOLDER.finditer(value):
        path = match.group(1)
        if not settings.has_value(path):
            check.error(
                line,
                _("%(where)s uses the placeholder {%(path)s}, which is not a value in %(file)s")
                % {"where": where, "path": path, "file": Path(settings.source).name},
            )
    if "{" in PLACEHOLDER.sub("", value) or "}" in PLACEHOLDER.sub("", value):
        check.error(
            line,
            _("%(where)s has a brace that is not a placeholder like {fees.juminhyo_online}")
            % {"where": where},
        )


def sentence_ending(check: FileCheck, line: int, value: str, where: str, code: str) -> None:
    """Warn when a text that should be sentences does not end like a sentence."""
    if code in ("ja", "ja-easy") and not value.endswith(JA_SENTENCE_END):
        check.warn(
            line,
            _("%(where)s (%(lang)s) does not end its sentence with 。")
            % {"where": where, "lang": code},
        )
    elif code == "en" and not value.endswith(EN_SENTENCE_END):
        check.warn(
            line,
            _("%(where)s (en) does not end its sentence with a full stop") % {"where": where},
        )


def unique_id(check: FileCheck, seen: dict[str, int], value: str, line: int, where: str) -> None:
    """Report an id that an earlier item of the same list already uses."""
    if value in seen:
        check.error(
            line,
            _("%(where)s id '%(id)s' is used twice (first at line %(first)d)")
            % {"where": where, "id": value, "first": seen[value]},
        )
    else:
        seen[value] = line


def illustration(check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str) -> None:
    """Report an illustration outside media/, missing, not SVG (or, uploaded on the staff
    site under media/uploads/, not a PNG or JPEG), or an SVG that is not usable."""
    value = string(check, entry, _("%(where)s illustration") % {"where": where})
    if value is None or entry is None:
        return
    media = (check.known.root / "media").resolve()
    target = (check.known.root / value).resolve()
    if not value.startswith("media/") or media not in target.parents:
        check.error(
            entry[0],
            _("%(where)s illustration must be a file under media/, not '%(value)s'")
            % {"where": where, "value": value},
        )
    elif not target.is_file():
        check.error(
            entry[0],
            _("%(where)s illustration %(value)s does not exist") % {"where": where, "value": value},
        )
    elif _is_upload(value):
        if not raster_picture(target):
            check.error(
                entry[0],
                _("%(where)s illustration %(value)s is not a PNG or JPEG picture")
                % {"where": where, "value": value},
            )
    elif target.suffix.lower() != ".svg":
        check.error(
            entry[0],
            _("%(where)s illustration %(value)s is not an SVG file (.svg)")
            % {"where": where, "value": value},
        )
    else:
        svg_file(check, entry[0], target, where, value)


def _is_upload(value: str) -> bool:
    """A picture uploaded on the staff site: media/uploads/<name>.png|.jpg (issue 18)."""
    return value.startswith(UPLOADS) and Path(value).suffix.lower() in RASTER_SUFFIXES


def _svg_reason(problem: SvgProblem) -> str:
    """What is wrong with an SVG, in the author's language."""
    reasons = {
        "xml": _("it is not well-formed XML (%(detail)s)"),
        "unreadable": _("it cannot be read (%(detail)s)"),
        "root": _("its root element is <%(detail)s>, not <svg> in the SVG namespace"),
        "viewbox": _("its <svg> element has no viewBox, so it cannot be scaled"),
        "forbidden": _("it contains <%(detail)s>, which a picture must not have"),
        "href": _("it refers to another file (%(detail)s); a picture must be self-contained"),
    }
    return reasons[problem.kind] % {"detail": problem.detail}


def svg_file(check: FileCheck, line: int, target: Path, where: str, value: str) -> None:
    """Report an illustration that is not a usable SVG (at its own line), or has no title."""
    problem = svg_problem(target)
    if problem is not None:
        found = {"where": where, "value": value, "line": problem.line}
        message = _("%(where)s illustration %(value)s:%(line)d: %(reason)s")
        check.error(line, message % {**found, "reason": _svg_reason(problem)})
    elif not svg_title(target):
        check.warn(
            line,
            _("%(where)s illustration %(value)s has no <title> (its description in English)")
            % {"where": where, "value": value},
        )


def variants(check: FileCheck, entry: tuple[int, yaml.Node] | None, where: str) -> None:
    """Check device variants: only devices the lesson covers, each a language mapping."""
    if entry is None:
        return
    devices = [d for d in check.values.get("devices") or () if d]
    found = fields(check, entry[1], _("%(where)s variants") % {"where": where}, None)
    for device, (line, node) in found.items():
        if device not in devices:
            check.error(
                line,
                _("%(where)s has a variant for '%(device)s', which is not in devices")
                % {"where": where, "device": device},
            )
        label = _("%(where)s variant '%(device)s'") % {"where": where, "device": device}
        text(check, (line, node), label, sentence=True)


def furigana(check: FileCheck, entry: tuple[int, yaml.Node] | None) -> None:
    """Check furigana overrides: each word maps to a reading written in kana."""
    if entry is None:
        return
    for word, (line, node) in fields(check, entry[1], "furigana", None).items():
        reading = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(reading, str) or not KANA.fullmatch(reading):
            check.error(
                line,
                _("furigana for '%(word)s' must be a reading written in kana") % {"word": word},
            )


def reference(
    check: FileCheck, line: int, value: str | None, known: frozenset[str], what: str
) -> None:
    """Report a reference to a guide or lesson id that has no file."""
    if value is not None and value not in known:
        check.error(
            line,
            _("there is no %(what)s '%(id)s'") % {"what": what, "id": value},
        )


def review_due(checked: date) -> date:
    """The last day an item checked on ``checked`` is still current (12 months later)."""
    year = checked.year + REVIEW_MONTHS // 12
    try:
        return checked.replace(year=year)
    except ValueError:  # 29 February
        return checked.replace(year=year, day=28)


def checked(check: FileCheck, entry: tuple[int, yaml.Node] | None) -> None:
    """Check ``checked``: a date, not in the future, not older than REVIEW_MONTHS (a
    warning; an error when strict)."""
    if entry is None:
        return
    line, node = entry
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        check.error(line, _("checked must be a date written YYYY-MM-DD, e.g. 2026-12-01"))
    elif check.known.today is not None and value > check.known.today:
        check.error(
            line,
            _("checked is %(date)s, which is after today (%(today)s)")
            % {"date": value.isoformat(), "today": check.known.today.isoformat()},
        )
    elif check.known.today is not None and check.known.today > review_due(value):
        message = _(
            "checked on %(date)s, more than %(months)d months ago: check it against its "
            "sources again and write the new date"
        ) % {"date": value.isoformat(), "months": REVIEW_MONTHS}
        (check.error if check.known.strict else check.warn)(line, message)


def https_url(
    check: FileCheck, entry: tuple[int, yaml.Node] | None, label: str, where: str
) -> None:
    """Check a source's url: a non-empty text that is a public https:// address."""
    url = string(check, entry, label)
    if url is not None and not HTTPS_URL.fullmatch(url):
        assert entry is not None
        check.error(
            entry[0],
            _("%(where)s url must be a public https:// address, not '%(value)s'")
            % {"where": where, "value": url},
        )


def language_code(check: FileCheck, entry: tuple[int, yaml.Node]) -> None:
    """Check one entry of ``reviewed``: a known language code."""
    line, node = entry
    code = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if code not in LANGUAGES:
        check.error(
            line,
            _("reviewed lists '%(code)s', which is not one of: %(allowed)s")
            % {"code": code, "allowed": ", ".join(LANGUAGES)},
        )


def handoff_url(check: FileCheck, entry: tuple[int, yaml.Node] | None) -> None:
    """Report a hand-off URL that is neither one placeholder nor an https:// URL."""
    value = string(check, entry, _("handoff url"))
    if value is None or entry is None:
        return
    match = PLACEHOLDER.fullmatch(value)
    if match is None and not HTTPS_URL.fullmatch(value):
        check.error(
            entry[0],
            _("handoff url must be a placeholder like {urls.juminhyo} or an https:// URL"),
        )
        return
    if match is None:
        return
    placeholders(check, entry[0], value, _("handoff url"))
    settings = check.known.settings
    if settings.has_value(match.group(1)):
        resolved = settings.value_in(match.group(1), "ja")
        if not HTTPS_URL.fullmatch(resolved):
            check.error(
                entry[0],
                _("handoff url %(value)s is '%(resolved)s' in the settings, not an https:// URL")
                % {"value": value, "resolved": resolved},
            )


def intro_order(check: FileCheck, entry: tuple[int, yaml.Node]) -> None:
    """Report an intro lesson whose order another intro lesson already has."""
    order = scalar(entry[1]) if isinstance(entry[1], yaml.ScalarNode) else None
    if not isinstance(order, int):
        return
    taken = check.known.intro_orders
    if order in taken:
        check.error(
            entry[0],
            _("order %(order)d is also the order of %(other)s")
            % {"order": order, "other": taken[order]},
        )
    else:
        taken[order] = check.name


# --- walking the schema (content.schema) over the YAML nodes ---------------------------

Entry = tuple[int, yaml.Node]


def check_value(check: FileCheck, spec: Spec, entry: Entry | None, label: str, where: str) -> Any:
    """Check one value against its ``spec``; the value when it is usable, else None.

    ``label`` names the value in a problem; ``where`` is the item it belongs to."""
    if isinstance(spec, Text):
        return text(check, entry, label, spec.sentence)
    if isinstance(spec, Ident):
        return identifier(check, entry, label)
    if isinstance(spec, String):
        return string(check, entry, label)
    if isinstance(spec, Choice):
        return choice(check, entry, label, spec.values)
    if isinstance(spec, PositiveInt):
        return positive_int(check, entry, label)
    if isinstance(spec, Date):
        return checked(check, entry)
    if isinstance(spec, HttpsUrl):
        return https_url(check, entry, label, where)
    if isinstance(spec, HandoffUrl):
        return handoff_url(check, entry)
    if isinstance(spec, Illustration):
        return illustration(check, entry, label)
    if isinstance(spec, Variants):
        return variants(check, entry, label)
    if isinstance(spec, Furigana):
        return furigana(check, entry)
    if isinstance(spec, LanguageCode):
        return language_code(check, entry) if entry is not None else None
    if isinstance(spec, Reference):
        if entry is None:
            return None
        known = check.known.guides if spec.to == "guide" else check.known.lessons
        value = string(check, entry, spec.label)
        reference(check, entry[0], value, known, _(spec.what))
        return value
    if isinstance(spec, ListOf):
        return check_list(check, spec, entry, label)
    if isinstance(spec, Record):
        if entry is None:
            return None
        return check_fields(check, spec, fields(check, entry[1], label, spec.allowed), label)
    if isinstance(spec, Flag):
        return None
    raise TypeError(f"no check for {spec!r}")


def check_list(check: FileCheck, spec: ListOf, entry: Entry | None, label: str) -> list[Any]:
    """Check a list and each of its items; the items' values."""
    values = []
    seen: dict[str, int] = {}
    for n, node in enumerate(sequence(check, entry, label, spec.minimum), start=1):
        item = (line_of(node), node)
        if isinstance(spec.item, Record):
            values.append(check_item(check, spec, item, label, n, seen))
        elif isinstance(spec.item, Text):
            name = _("%(item)s %(n)d") % {"item": _(spec.item_label or label), "n": n}
            values.append(check_value(check, spec.item, item, name, name))
        else:
            name = _(spec.item_label) if spec.item_label else label
            values.append(check_value(check, spec.item, item, name, name))
    return values


def check_item(
    check: FileCheck, spec: ListOf, entry: Entry, list_label: str, n: int, seen: dict[str, int]
) -> dict[str, Any]:
    """Check one record of a list: its keys, its id (unique in the list), its fields."""
    record = spec.item
    assert isinstance(record, Record)
    names = {"where": list_label, "list": list_label, "n": n, "id": n}
    where = _(spec.item_label) % names if spec.item_label else list_label
    found = fields(check, entry[1], where, record.allowed)

    def named() -> str:
        return _(spec.named) % names if spec.named else where

    def on_id(value: Any) -> None:
        if value is not None:
            names["id"] = value
            if spec.unique is not None:
                unique_id(check, seen, value, found["id"][0], spec.unique % names)

    return check_fields(check, record, found, named, names, on_id)


def check_fields(
    check: FileCheck,
    record: Record,
    found: dict[str, Entry],
    where: str | Callable[[], str],
    names: dict[str, Any] | None = None,
    on_id: Callable[[Any], None] | None = None,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Check every field of a mapping in the schema's order, each followed by its rules.

    ``where`` names the mapping (a function when it depends on the id checked first);
    ``names`` are an item's list name, place and id for its fields' labels."""
    values = {} if values is None else values
    for f in record.key_fields():
        here = where() if callable(where) else where
        label = field_label(f, here, names or {})
        values[f.name] = check_value(check, f.spec, found.get(f.name), label, here)
        if f.name == "id" and on_id is not None:
            on_id(values[f.name])
        for rule in f.rules:
            RULES[rule](check, found, values)
    return values


def field_label(f: Field, where: str, names: dict[str, Any]) -> str:
    """How problems name field ``f``: its key, else its label (see content.schema)."""
    if f.label is None:
        return f.name
    return _(f.label) % {
        "where": names["list"] if f.label_of_list else where,
        "id": names.get("id"),
        "n": names.get("n"),
    }


def _id_is_file_name(check: FileCheck, found: dict[str, Entry], values: dict[str, Any]) -> None:
    file_id = values.get("id")
    if file_id is not None and file_id != check.stem:
        check.error(
            found["id"][0],
            _("id '%(id)s' must equal the file name '%(stem)s'")
            % {"id": file_id, "stem": check.stem},
        )


def _kind_of_folder(check: FileCheck, found: dict[str, Entry], values: dict[str, Any]) -> None:
    kind = values.get("kind")
    if kind is not None and kind != check.kind:
        check.error(
            found["kind"][0],
            _("kind is '%(kind)s' but files in this folder must say '%(expected)s'")
            % {"kind": kind, "expected": check.kind},
        )


def _intro_needs_order(check: FileCheck, found: dict[str, Entry], values: dict[str, Any]) -> None:
    if values.get("course") == "intro" and "order" not in found:
        check.error(found["course"][0], _("an intro lesson needs an 'order'"))


def _intro_order_unique(check: FileCheck, found: dict[str, Entry], values: dict[str, Any]) -> None:
    if values.get("course") == "intro" and "order" in found:
        intro_order(check, found["order"])


#: the schema's named rules (``Field.rules``, described in ``content.schema.RULES``)
RULES: dict[str, Callable[[FileCheck, dict[str, Entry], dict[str, Any]], None]] = {
    "id-is-file-name": _id_is_file_name,
    "kind-of-folder": _kind_of_folder,
    "intro-needs-order": _intro_needs_order,
    "intro-order-unique": _intro_order_unique,
}


def validate_file(path: Path, name: str, kind: str, known: Known) -> list[Problem]:
    """Every problem of one guide, lesson or FAQ file."""
    check = FileCheck(name, known, kind, stem=path.stem)
    node = compose(path, check)
    if node is None:
        return check.problems
    record = KINDS[kind]
    root = fields(check, node, _("the file"), record.allowed)
    if root:
        check_fields(check, record, root, "", values=check.values)
    return check.problems


def validate_settings(path: Path, name: str, known: Known) -> list[Problem]:
    """Problems of the settings file: YAML, duplicate keys, the ``sample`` flag."""
    check = FileCheck(name, known, "guide")
    if not path.is_file():
        check.error(1, _("the settings file does not exist"))
        return check.problems
    node = compose(path, check)
    if node is None:
        return check.problems
    root = fields(check, node, _("the settings file"), None)
    if "sample" not in root:
        check.error(1, _("the settings must say 'sample: true' or 'sample: false'"))
    elif not isinstance(scalar(root["sample"][1]), bool):
        check.error(root["sample"][0], _("sample must be true or false"))
    elif scalar(root["sample"][1]) is True and known.strict:
        check.error(
            root["sample"][0],
            _(
                "these are the shipped sample settings (sample: true); production needs the "
                "ward's own file with sample: false (TSUNAGU_CONTENT_SETTINGS)"
            ),
        )
    _walk_settings(check, root)
    return check.problems


def _walk_settings(
    check: FileCheck,
    found: dict[str, tuple[int, yaml.Node]],
    prefix: str = "",
    words: bool = False,
) -> None:
    """Report duplicate keys, empty values, and values not of their kind (a URL not
    https://, a phone number not digits and hyphens) anywhere in the settings tree."""
    for key, (line, node) in found.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(node, yaml.MappingNode):
            keys = [k.value for k, _v in node.value]
            texts = bool(keys) and "ja" in keys and all(k in LANGUAGES for k in keys)
            # a text in several languages is words, whatever its key
            _walk_settings(check, fields(check, node, key, None), path, words=texts)
            continue
        if not isinstance(node, yaml.ScalarNode):
            continue
        value = scalar(node)
        if value in (None, ""):
            check.error(line, _("the setting '%(key)s' is empty") % {"key": key})
        elif words or path == "sample":
            continue
        elif (kind := setting_kind(path, value)) == "url" and not HTTPS_URL.fullmatch(str(value)):
            check.error(
                line,
                _("the setting '%(key)s' must be a public web address starting with https://")
                % {"key": path},
            )
        elif kind == "phone" and not PHONE.fullmatch(str(value)):
            check.error(
                line,
                _(
                    "the setting '%(key)s' must be a phone number in digits and hyphens "
                    "(e.g. 03-1234-5678)"
                )
                % {"key": path},
            )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def validate(
    root: Path | None = None,
    settings_file: Path | None = None,
    today: date | None = None,
    strict: bool = False,
) -> list[Problem]:
    """Every problem in the content under ``root``, errors and warnings, sorted by file and line.

    With ``today``, an item checked more than 12 months before it is reported (a warning;
    an error when ``strict``, as are sample settings: production mode)."""
    root = Path(root) if root is not None else CONTENT_DIR
    settings_file = settings_file or settings_path(root)
    files = section_files(root)
    known = Known(
        root=root,
        settings=_settings_or_empty(settings_file),
        guides=frozenset(p.stem for p in files["guides"]),
        lessons=frozenset(p.stem for p in files["lessons"]),
        today=today,
        strict=strict,
    )
    problems = validate_settings(settings_file, _relative(settings_file, root), known)
    for section, paths in files.items():
        for path in paths:
            problems += validate_file(path, _relative(path, root), SECTIONS[section], known)
    return sorted(problems, key=lambda p: (p.file, p.line))


def _settings_or_empty(path: Path) -> Settings:
    """The settings, or empty ones when the file is broken (validate_settings says why)."""
    try:
        return load_settings(path)
    except ContentError:
        return Settings({}, str(path))
