"""The rooms and which way their imports point (../shared/design/ARCHITECTURE.md, issue 15).

Every import in languages/, classroom/, content/, web/ and kiosk/ is read from the source
(top-level and inside functions alike: an import hidden in a function is still a
dependency), and the test fails on an import against the arrows or on a cycle between
modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("languages", "classroom", "content", "web", "kiosk")
#: what each room may import of ours (besides itself)
ALLOWED = {
    "languages": set(),
    "classroom": {"languages"},
    "content": {"languages"},
    "web": {"languages", "classroom", "content"},
    "kiosk": {"languages", "content"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for room in ROOMS:
        for path in (ROOT / room).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ours that ``name`` imports, resolved to the longest known module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from . import routes` names a module; `from . import bp` a name in one
            candidates = [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
                break
    return targets


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def test_the_graph_is_read(graph):
    assert "languages" in graph["classroom.services.errors"]
    assert "classroom.services.errors" in graph["web.errors"]
    assert len(graph) > 150


def test_every_import_points_the_way_the_arrows_do(graph):
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        for target in targets
        if (room := name.split(".")[0]) != (other := target.split(".")[0])
        and other not in ALLOWED[room]
    )
    assert not wrong, "\n".join(wrong)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_two_modules_import_each_other(graph):
    found = cycles(graph)
    assert not found, "\n".join(" <-> ".join(c) for c in found)


def test_the_wards_time_zone_is_named_in_one_place():
    """Days, months and fiscal years begin in the ward's zone, which the settings choose
    (TSUNAGU_TIMEZONE): no room names a zone of its own."""
    naming = sorted(
        name
        for name, path in modules().items()
        if "Asia/Tokyo" in path.read_text(encoding="utf-8") and name != "languages.clock"
    )
    assert naming == []
