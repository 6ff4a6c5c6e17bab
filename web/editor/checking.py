"""One document checked as `tsunagu content check` checks it, problems named by field.

The editor checks a draft before it is saved: the document is written where its file
would be, beside the content residents see now (``content_source.content_root()``), and
``content.validate`` checks it against that folder's settings, pictures and other items —
the same functions, messages and rules as the command line. Only the problems of this
document are kept, and each one's line is turned into the path of the field at fault
(``steps[2].text.ja``, lists counted from 1 as ``content.documents.changes`` counts them),
so that the form can show the message on that field.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from content.documents import SETTINGS_KIND, document_path
from content.loader import (
    ContentError,
    YamlLoader,
    load_settings,
    read_yaml,
    section_files,
    settings_path,
)
from content.model import Settings
from content.schema import KINDS, ListOf, Record
from content.validate import Known, Problem, validate_file, validate_settings
from languages.clock import ward_today

from ..content_source import content_root


@dataclass(frozen=True)
class FieldProblem:
    """A problem of one document: the field at fault (None: the document as a whole, e.g.
    YAML that cannot be read), the validator's message, an error (True) or a warning."""

    path: str | None
    message: str
    error: bool
    #: the 1-based line of the YAML text (shown in the raw YAML mode)
    line: int | None = None


def check_document(
    kind: str, slug: str, body: str, root: Path | None = None, today: date | None = None
) -> list[FieldProblem]:
    """Every problem of ``body`` as the ``kind``/``slug`` document of the published content
    (``root``, default the content residents see now), errors and warnings, in line order."""
    root = Path(root) if root is not None else content_root()
    today = today or ward_today()
    problems = _problems(kind, slug, body, root, today)
    lines = field_lines(body)
    return [
        FieldProblem(_path_at(kind, lines, p.line, p.message), p.message, p.is_error, p.line)
        for p in sorted(problems, key=lambda p: p.line)
    ]


def _problems(kind: str, slug: str, body: str, root: Path, today: date) -> list[Problem]:
    name = document_path(kind, slug)
    with tempfile.TemporaryDirectory(prefix="tsunagu-check-") as work:
        # the file under its own name (its id must equal the name), the rest read from root
        path = Path(work) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        if kind == SETTINGS_KIND:
            known = _known(root, kind, slug, today, _settings(path))
            return validate_settings(path, name, known)
        known = _known(root, kind, slug, today, _settings(settings_path(root)))
        return validate_file(path, name, kind, known)


def _settings(path: Path) -> Settings:
    try:
        return load_settings(path)
    except ContentError:
        return Settings({}, str(path))


def _known(root: Path, kind: str, slug: str, today: date, settings: Settings) -> Known:
    """What the whole-folder check knows when it reaches this file: the other items' ids
    (this one's included, as its file would be there) and the intro lessons' orders taken
    by the lessons before it in name order."""
    files = section_files(root)
    guides = {p.stem for p in files["guides"]}
    lessons = {p.stem for p in files["lessons"]}
    {"guide": guides, "lesson": lessons}.get(kind, set()).add(slug)
    orders: dict[int, str] = {}
    if kind == "lesson":
        for path in files["lessons"]:
            if path.stem >= slug:
                break
            order = _intro_order(path)
            if order is not None and order not in orders:
                orders[order] = f"lessons/{path.name}"
    return Known(
        root=root,
        settings=settings,
        guides=frozenset(guides),
        lessons=frozenset(lessons),
        intro_orders=orders,
        today=today,
        strict=False,
    )


def _intro_order(path: Path) -> int | None:
    try:
        data = read_yaml(path)
    except (ContentError, OSError):
        return None
    if not isinstance(data, dict) or data.get("course") != "intro":
        return None
    order = data.get("order")
    return order if isinstance(order, int) and not isinstance(order, bool) else None


# -- line -> field path ----------------------------------------------------------------------


def field_lines(body: str) -> list[tuple[int, str]]:
    """(1-based line, path) of every key and list item of ``body``, in document order;
    empty when the YAML cannot be read."""
    try:
        node = yaml.compose(body, Loader=YamlLoader)
    except yaml.YAMLError:
        return []
    return list(_walk(node, "")) if node is not None else []


def _walk(node: yaml.Node, path: str) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            inner = f"{path}.{key}" if path else str(key)
            yield key_node.start_mark.line + 1, inner
            yield from _walk(value_node, inner)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value, 1):
            inner = f"{path}[{n}]"
            yield item.start_mark.line + 1, inner
            yield from _walk(item, inner)


_QUOTED = re.compile(r"'([^'\s]+)'")


def _path_at(kind: str, lines: list[tuple[int, str]], line: int, message: str) -> str | None:
    """The field a problem at ``line`` is about: the deepest key or list item that starts
    on that line. A missing key is reported at its mapping's first line, which is also
    where the mapping's first key starts: when the message names (quoted) a key that this
    mapping lacks, the problem belongs to that key's place in the mapping."""
    here = [path for at, path in lines if at == line]
    if not here:
        return None
    deepest = max(here, key=_depth)
    owner = _parent(deepest) or ""
    present = {_last(p) for at, p in lines if _parent(p) == owner and not p.endswith("]")}
    allowed = _keys_at(kind, owner)
    for key in _QUOTED.findall(message):
        if key in present:
            return deepest  # about a key that is there (unknown, twice)
        if key in allowed:
            return f"{owner}.{key}" if owner else key
    return deepest


def _keys_at(kind: str, path: str) -> set[str]:
    """The keys the schema allows in the mapping at ``path`` (empty: not a record)."""
    spec: object = KINDS.get(kind)
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            spec = spec.item if isinstance(spec, ListOf) else None
        elif isinstance(spec, Record):
            spec = next((f.spec for f in spec.key_fields() if f.name == part), None)
        else:
            spec = None
    return set(spec.allowed) if isinstance(spec, Record) else set()


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _parent(path: str) -> str | None:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    if "." in path:
        return path[: path.rindex(".")]
    return "" if path else None


def _depth(path: str) -> int:
    return path.count(".") + path.count("[")
