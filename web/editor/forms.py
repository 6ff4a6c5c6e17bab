"""The editor's form, made from the content schema (issue 18): every field a guide, a
lesson or an FAQ topic has, in the order ``content.schema`` lists them.

``build`` turns a document's data into a tree of ``Node``s the templates render
(_fields.html); ``read`` turns a posted form back into the document's data. A field's
input is named by its path in the document (``steps[2].text.ja``, lists counted from 1
as ``content.documents.changes`` and ``web.editor.checking`` count them), so a problem
the check reports lands on its input. Keys the form does not know survive: the data the
form was built from travels with it (``WORKING``, the YAML text) and ``read`` starts
from it, overwriting only what the form has inputs for. Lists are changed with buttons
(add, remove, move up and down) that post the form and get it back changed, nothing
lost, without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from classroom.services.text import has_control_characters
from content.documents import dump, parse
from content.schema import (
    KINDS,
    MIN_STEPS,
    Choice,
    Date,
    Field,
    Flag,
    Furigana,
    Group,
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
from languages import LANGUAGES

from .checking import FieldProblem

#: the hidden input holding the data the form was built from (YAML)
WORKING = "_working"
#: the button that changes a list: "add:<list>", "remove:<item>", "up:<item>", "down:<item>"
OP = "op"
#: the most characters one input may hold, a whole YAML text, items in one list
MAX_FIELD = 4000
MAX_BODY = 200_000
MAX_ITEMS = 200

#: each language named in itself (the staff member's UI language aside)
LANGUAGE_NAMES = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "zh-Hans": "中文（简体）",
    "ko": "한국어",
}

#: how the form names each key of the schema
LABELS: dict[str, Any] = {
    "id": _l("Id (the file name)"),
    "kind": _l("Kind"),
    "status": _l("Guide status"),
    "category": _l("Category"),
    "title": _l("Item title"),
    "for_whom": _l("Who it is for"),
    "duration_minutes": _l("Minutes it takes"),
    "fee": _l("Fee"),
    "finder": _l("Guide finder"),
    "question": _l("Finder question"),
    "order": _l("Order"),
    "bring": _l("What to bring"),
    "checklist": _l("Before you start (checklist)"),
    "text": _l("Text"),
    "steps": _l("Steps"),
    "screen": _l("What the screen shows"),
    "illustration": _l("Picture"),
    "handoff": _l("Hand-off to the resident's phone"),
    "warnings": _l("Warnings"),
    "url": _l("Address (URL)"),
    "label": _l("Label"),
    "stuck": _l("If you get stuck"),
    "lessons": _l("Lessons that help"),
    "counter": _l("Counter to ask"),
    "checked": _l("Last checked on"),
    "sources": _l("Sources"),
    "reviewed": _l("Languages reviewed"),
    "furigana": _l("Furigana (readings)"),
    "course": _l("Course type"),
    "level": _l("Level"),
    "goal": _l("Goal"),
    "devices": _l("Devices"),
    "prepare": _l("Instructor prepares"),
    "tip": _l("Instructor's tip"),
    "variants": _l("Device variants"),
    "can_do": _l("\u201cI can\u2026\u201d items"),
    "questions": _l("Questions"),
    "q": _l("Question"),
    "a": _l("Answer"),
    "next": _l("What to do next"),
    "guide": _l("Guide"),
    "review": _l("Review"),
}
#: how one item of a list is named (its 1-based place follows)
ITEM_LABELS: dict[str, Any] = {
    "steps": _l("Step"),
    "questions": _l("Question"),
    "sources": _l("Source"),
    "checklist": _l("Check item"),
    "can_do": _l("Item"),
    "bring": _l("Item"),
    "warnings": _l("Warning"),
    "prepare": _l("Item"),
    "devices": _l("Device"),
    "reviewed": _l("Language"),
    "lessons": _l("Lesson"),
}


@dataclass
class Node:
    """One thing the form shows: a field, a group of fields, a list or one of its items.

    ``kind``: record, list, item, text, line, number, date, select, check, pairs.
    ``name`` is the input's name, ``path`` the field's path in the document (where the
    check's problems are named); they differ only inside pairs (variants, furigana)."""

    kind: str
    name: str
    path: str
    label: Any = ""
    key: str = ""
    required: bool = False
    value: Any = None
    children: list[Node] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    #: the item's place (items), the list's size (lists)
    n: int = 0
    last: bool = False
    readonly: bool = False
    multiline: bool = False
    problems: list[FieldProblem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name or "document")

    @property
    def errors(self) -> list[FieldProblem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[FieldProblem]:
        return [p for p in self.problems if not p.error]

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


# -- data -> form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the form offers besides the data: pictures, ids of items, the kind."""

    kind: str
    pictures: tuple[str, ...] = ()
    new: bool = False


def build(kind: str, data: Mapping[str, Any], context: Context) -> Node:
    """The form for ``data``, a document of ``kind``."""
    root = Node("record", "", "", label="")
    root.children = _record_nodes(KINDS[kind], data, "", context, top=True)
    return root


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _record_nodes(
    record: Record, data: Any, prefix: str, context: Context, top: bool = False
) -> list[Node]:
    data = data if isinstance(data, Mapping) else {}
    nodes: list[Node] = []
    for entry in record.fields:
        if isinstance(entry, Group):
            group = Node("record", prefix, prefix, label=LABELS.get(entry.attr, entry.attr))
            group.children = [_field_node(f, data, prefix, context) for f in entry.fields]
            nodes.append(group)
        else:
            node = _field_node(entry, data, prefix, context)
            if top and (entry.name == "kind" or (entry.name == "id" and not context.new)):
                node.readonly = True
            nodes.append(node)
    return nodes


def _field_node(f: Field, data: Mapping[str, Any], prefix: str, context: Context) -> Node:
    path = _join(prefix, f.name)
    node = _spec_node(f.spec, data.get(f.name), path, context, f.name)
    node.label = LABELS.get(f.name, f.name)
    node.key = f.name
    node.required = f.required
    return node


def _spec_node(spec: Spec, value: Any, path: str, context: Context, key: str = "") -> Node:
    if isinstance(spec, Text):
        node = Node("text", path, path)
        mapping = value if isinstance(value, Mapping) else {}
        node.children = [
            Node(
                "line",
                f"{path}.{code}",
                f"{path}.{code}",
                label=LANGUAGE_NAMES[code],
                key=code,
                value=_shown(mapping.get(code)),
                multiline=True,
            )
            for code in LANGUAGES
        ]
        return node
    if isinstance(spec, Record):
        node = Node("record", path, path)
        node.children = _record_nodes(spec, value, path, context)
        return node
    if isinstance(spec, ListOf):
        items = value if isinstance(value, list) else []
        node = Node("list", path, path, n=len(items))
        for n, item in enumerate(items, 1):
            inner = _spec_node(spec.item, item, f"{path}[{n}]", context)
            wrapper = Node(
                "item",
                f"{path}[{n}]",
                f"{path}[{n}]",
                label=ITEM_LABELS.get(key, _l("Item")),
                n=n,
                last=n == len(items),
            )
            wrapper.children = inner.children if inner.kind == "record" else [inner]
            node.children.append(wrapper)
        return node
    if isinstance(spec, Variants):
        mapping = value if isinstance(value, Mapping) else {}
        node = Node("pairs", path, path, value="variants")
        rows = [*mapping.items(), ("", {})]
        for n, (device, text) in enumerate(rows, 1):
            name = f"{path}[{n}]"
            row_path = f"{path}.{device}" if device else name
            row = Node("item", name, row_path, n=n, last=n == len(rows))
            row.children = [
                Node("line", f"{name}.key", row_path, label=_l("Device"), value=_shown(device)),
                _spec_node(Text(), text, f"{name}.text", context),
            ]
            row.children[1].label = _l("Text for this device")
            for lang in row.children[1].children:
                lang.path = f"{row_path}.{lang.key}"
            node.children.append(row)
        node.n = len(rows)
        return node
    if isinstance(spec, Furigana):
        mapping = value if isinstance(value, Mapping) else {}
        node = Node("pairs", path, path, value="furigana")
        rows = [*mapping.items(), ("", "")]
        for n, (word, reading) in enumerate(rows, 1):
            name = f"{path}[{n}]"
            row_path = f"{path}.{word}" if word else name
            row = Node("item", name, row_path, n=n, last=n == len(rows))
            row.children = [
                Node("line", f"{name}.key", row_path, label=_l("Word"), value=_shown(word)),
                Node("line", f"{name}.value", row_path, label=_l("Reading"), value=_shown(reading)),
            ]
            node.children.append(row)
        node.n = len(rows)
        return node
    if isinstance(spec, Choice):
        return _select(path, value, [(v, _choice_label(spec, v)) for v in spec.values])
    if isinstance(spec, LanguageCode):
        return _select(path, value, [(c, f"{c} — {LANGUAGE_NAMES[c]}") for c in LANGUAGES])
    if isinstance(spec, Illustration):
        options = [("", str(_l("(no picture)")))] + [(p, p) for p in context.pictures]
        return _select(path, value, options)
    if isinstance(spec, Flag):
        return Node("check", path, path, value=value is True)
    if isinstance(spec, Date):
        return Node("date", path, path, value=_shown(value))
    if isinstance(spec, PositiveInt):
        return Node("number", path, path, value=_shown(value))
    if isinstance(spec, String | Ident | HttpsUrl | HandoffUrl | Reference):
        return Node("line", path, path, value=_shown(value))
    raise TypeError(f"no input for {spec!r}")


def _choice_label(spec: Choice, value: str) -> str:
    """「スマホ入門 (intro)」: the value in the editor's words, and as the YAML writes it."""
    label = spec.label(value)
    return f"{gettext(label)} ({value})" if label else value


def _select(path: str, value: Any, options: list[tuple[str, str]]) -> Node:
    shown = _shown(value)
    if shown not in {v for v, _ in options}:
        options = [(shown, shown or "—"), *options]
    return Node("select", path, path, value=shown, options=options)


def _shown(value: Any) -> str:
    """A value as its input shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def attach(root: Node, problems: Iterable[FieldProblem]) -> dict[int, str]:
    """Put each problem on the node of its field (or the nearest enclosing one); returns
    the id of the element each problem is shown on, by the problem's index (a problem of
    the document as a whole has none)."""
    by_path: dict[str, Node] = {}
    for node in root.walk():
        if node.path:
            by_path.setdefault(node.path, node)
    anchors: dict[int, str] = {}
    for n, problem in enumerate(problems):
        path = problem.path
        while path:
            if path in by_path:
                by_path[path].problems.append(problem)
                anchors[n] = by_path[path].id
                break
            path = _parent(path)
    return anchors


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


# -- form -> data ------------------------------------------------------------------------------


class Posted:
    """The posted form as the reader needs it; collects the form's own problems (too
    long, control characters, too many items) on the inputs at fault."""

    def __init__(self, form: Mapping[str, str], getlist: Callable[[str], list[str]]):
        self.form = form
        self.getlist = getlist
        self.problems: list[FieldProblem] = []

    def get(self, name: str, path: str | None = None) -> str:
        value = self.form.get(name, "")
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if len(value) > MAX_FIELD:
            self.problems.append(
                FieldProblem(
                    path or name,
                    str(
                        _l(
                            "This is too long: at most %(count)d characters.",
                            count=MAX_FIELD,
                        )
                    ),
                    True,
                )
            )
            return value[:MAX_FIELD]
        if has_control_characters(value):
            self.problems.append(
                FieldProblem(
                    path or name,
                    str(
                        _l(
                            "This contains invisible control characters. Please type it again "
                            "without them."
                        )
                    ),
                    True,
                )
            )
            return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", value)
        return value

    def count(self, name: str) -> int:
        raw = self.form.get(f"{name}.n", "0")
        return min(int(raw), MAX_ITEMS) if raw.isdigit() and len(raw) < 5 else 0

    def blank(self, prefix: str) -> bool:
        """True when nothing was typed or chosen under ``prefix`` (an item left empty)."""
        for name, value in self.form.items():
            if name.startswith(prefix) and not name.endswith(".n") and value.strip():
                return False
        return True


_MISSING = object()


def read(kind: str, posted: Posted, base: Mapping[str, Any] | None) -> dict[str, Any]:
    """The document's data from the posted form, starting from ``base`` (the data the form
    was built from) so that keys the form has no input for stay as they were."""
    return _read_record(KINDS[kind], posted, "", base or {})


def _read_record(record: Record, posted: Posted, prefix: str, base: Any) -> dict[str, Any]:
    base = base if isinstance(base, Mapping) else {}
    known = {f.name: f for f in record.key_fields()}
    values: dict[str, Any] = {}
    for f in known.values():
        value = _read_spec(f.spec, posted, _join(prefix, f.name), base.get(f.name))
        if value is _MISSING and f.required:
            value = _empty(f.spec)
        values[f.name] = value
    out: dict[str, Any] = {}
    for key, value in base.items():
        if key in known:
            if values[key] is not _MISSING:
                out[key] = values[key]
        else:
            out[key] = value  # a key the form does not know: kept as it was
    for key, value in values.items():
        if key not in out and value is not _MISSING:
            out[key] = value
    return out


def _empty(spec: Spec) -> Any:
    """A required field left empty: written empty, so the check names this field."""
    if isinstance(spec, Text):
        return {"ja": ""}
    if isinstance(spec, ListOf):
        return []
    if isinstance(spec, Record | Variants | Furigana):
        return {}
    return ""


def _scalar(posted: Posted, name: str, base: Any, convert: Callable[[str], Any] = str) -> Any:
    value = posted.get(name)
    if not value.strip():
        return _MISSING
    if base is not None and _shown(base) == value:
        return base  # unchanged: exactly as it was (a number stays a number)
    return convert(value)


def _int(value: str) -> Any:
    stripped = value.strip()
    return int(stripped) if stripped.isdigit() and len(stripped) < 10 else value


def _date(value: str) -> Any:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return value


def _read_text(posted: Posted, name: str, base: Any, paths: str | None = None) -> Any:
    base = base if isinstance(base, Mapping) else {}
    out = {k: v for k, v in base.items() if k not in LANGUAGES}
    for code in LANGUAGES:
        value = posted.get(f"{name}.{code}", f"{paths or name}.{code}")
        if not value.strip():
            continue
        old = base.get(code)
        out[code] = old if old is not None and _shown(old) == value else value
    return out or _MISSING


def _read_spec(
    spec: Spec,
    posted: Posted,
    name: str,
    base: Any,
) -> Any:
    if isinstance(spec, Text):
        return _read_text(posted, name, base)
    if isinstance(spec, Record):
        return _read_record(spec, posted, name, base)
    if isinstance(spec, ListOf):
        return _read_list(spec, posted, name, base)
    if isinstance(spec, Variants):
        old = base if isinstance(base, Mapping) else {}
        out: dict[str, Any] = {}
        for n in range(1, posted.count(name) + 1):
            device = posted.get(f"{name}[{n}].key").strip()
            text = _read_text(posted, f"{name}[{n}].text", old.get(device), f"{name}.{device}")
            if device or text is not _MISSING:
                out[device] = {} if text is _MISSING else text
        return out or _MISSING
    if isinstance(spec, Furigana):
        old = base if isinstance(base, Mapping) else {}
        out = {}
        for n in range(1, posted.count(name) + 1):
            word = posted.get(f"{name}[{n}].key").strip()
            reading = posted.get(f"{name}[{n}].value").strip()
            if word or reading:
                out[word] = old.get(word) if _shown(old.get(word)) == reading else reading
        return out or _MISSING
    if isinstance(spec, Flag):
        if posted.form.get(name):
            return True
        return False if isinstance(base, bool) else _MISSING
    if isinstance(spec, PositiveInt):
        return _scalar(posted, name, base, _int)
    if isinstance(spec, Date):
        return _scalar(posted, name, base, _date)
    return _scalar(posted, name, base)


def _read_list(
    spec: ListOf,
    posted: Posted,
    name: str,
    base: Any,
) -> Any:
    old = base if isinstance(base, list) else []
    out = []
    for n in range(1, posted.count(name) + 1):
        item_name = f"{name}[{n}]"
        # the n-th input is the n-th item of the data the form was built from
        item_base = old[n - 1] if n <= len(old) else None
        value = _read_spec(spec.item, posted, item_name, item_base)
        out.append(_empty(spec.item) if value is _MISSING else value)
    if not out and not old:
        return _MISSING
    return out


# -- list buttons --------------------------------------------------------------------------------


_ITEM = re.compile(r"^(?P<list>.+)\[(?P<n>\d{1,4})\]$")


def apply_op(kind: str, data: dict[str, Any], op: str) -> bool:
    """Change a list of ``data`` as the button ``op`` says; False when it names nothing."""
    action, _, target = op.partition(":")
    if action == "add":
        spec, container = _locate(kind, data, target)
        if not isinstance(spec, ListOf | Variants | Furigana) or container is None:
            return False
        if isinstance(spec, ListOf):
            current = container.get(target.rsplit(".", 1)[-1])
            items = current if isinstance(current, list) else []
            if len(items) >= MAX_ITEMS:
                return False
            items.append(_blank_item(spec.item))
            container[target.rsplit(".", 1)[-1]] = items
        return True
    match = _ITEM.match(target)
    if action not in ("remove", "up", "down") or match is None:
        return False
    spec, container = _locate(kind, data, match["list"])
    key = match["list"].rsplit(".", 1)[-1]
    items = container.get(key) if container is not None else None
    n = int(match["n"]) - 1
    if not isinstance(spec, ListOf) or not isinstance(items, list) or not 0 <= n < len(items):
        return False
    if action == "remove":
        del items[n]
    elif action == "up" and n > 0:
        items[n - 1], items[n] = items[n], items[n - 1]
    elif action == "down" and n < len(items) - 1:
        items[n + 1], items[n] = items[n], items[n + 1]
    return True


def _blank_item(spec: Spec) -> Any:
    if isinstance(spec, Record | Text):
        return {}
    return ""


def _locate(kind: str, data: dict[str, Any], path: str) -> tuple[Spec | None, dict | None]:
    """The schema of the field at ``path`` and the mapping that holds it."""
    spec: Spec | None = KINDS[kind]
    container: Any = None
    current: Any = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            n = int(part[1:-1]) - 1
            if not isinstance(spec, ListOf) or not isinstance(current, list):
                return None, None
            if not 0 <= n < len(current):
                return None, None
            spec, current = spec.item, current[n]
            continue
        if not isinstance(spec, Record) or not isinstance(current, dict):
            return None, None
        found = next((f for f in spec.key_fields() if f.name == part), None)
        if found is None:
            return None, None
        container = current
        spec = found.spec
        current = current.get(part)
    return spec, container


# -- new documents, working copies, pictures ----------------------------------------------


def blank_document(kind: str) -> dict[str, Any]:
    """A new item's data: its kind, and the lists that need items with empty ones."""
    data: dict[str, Any] = {"id": "", "kind": kind}
    for f in KINDS[kind].key_fields():
        if isinstance(f.spec, ListOf) and f.required:
            data[f.name] = [_blank_item(f.spec.item) for _ in range(max(f.spec.minimum, 1))]
    if kind in ("guide", "lesson"):
        data["steps"] = [{} for _ in range(MIN_STEPS)]
    return data


def working(data: Any) -> str:
    return dump(data)


def from_working(text: str) -> dict[str, Any] | None:
    """The data a posted form was built from; None when it is missing or not a mapping."""
    if not text or len(text) > MAX_BODY:
        return None
    try:
        data = parse(text)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def pictures(root: Path) -> tuple[str, ...]:
    """The pictures a step may show: the shipped SVG files and the uploaded pictures."""
    media = root / "media"
    shipped = sorted(p.name for p in media.glob("*.svg")) if media.is_dir() else []
    uploads = media / "uploads"
    uploaded = sorted(p.name for p in uploads.iterdir() if p.is_file()) if uploads.is_dir() else []
    return tuple([f"media/{n}" for n in shipped] + [f"media/uploads/{n}" for n in uploaded])
