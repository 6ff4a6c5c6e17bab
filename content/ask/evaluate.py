"""Score the answering service against an evaluation set (tests/content/ask_eval.yaml).

The set lists answerable questions per language, each with the ids that answer it, and
out-of-scope questions. ``evaluate`` gives top-1 and top-3 accuracy, the share of
out-of-scope questions answered "not confident", and the misses; the test asserts the
targets and bench/ask_bench.py prints the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from content.ask import ask
from content.loader import Catalog

#: every HELD_OUT-th question of each language (4th, 8th, ...) was kept out of tuning
HELD_OUT = 4


@dataclass(frozen=True)
class Case:
    question: str
    language: str
    ids: tuple[str, ...]  # empty: out of scope
    held_out: bool = False


@dataclass
class Figures:
    answerable: int = 0
    top1: int = 0
    top3: int = 0
    confident_right: int = 0
    confident_wrong: int = 0
    out_of_scope: int = 0
    declined: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, count: int, total: int) -> float:
        return count / total if total else 1.0

    @property
    def top1_rate(self) -> float:
        return self.share(self.top1, self.answerable)

    @property
    def top3_rate(self) -> float:
        return self.share(self.top3, self.answerable)

    @property
    def declined_rate(self) -> float:
        return self.share(self.declined, self.out_of_scope)

    @property
    def confident_wrong_rate(self) -> float:
        """Answerable questions whose best answer was wrong yet given as confident."""
        return self.share(self.confident_wrong, self.answerable)

    @property
    def confident_rate(self) -> float:
        """Answerable questions whose right best answer was given as confident."""
        return self.share(self.confident_right, self.answerable)


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for language, entries in data["answerable"].items():
        for n, entry in enumerate(entries, start=1):
            held = n % HELD_OUT == 0
            cases.append(Case(str(entry["q"]), language, tuple(entry["ids"]), held))
    for language, questions in data["out_of_scope"].items():
        for n, question in enumerate(questions, start=1):
            cases.append(Case(str(question), language, (), n % HELD_OUT == 0))
    return cases


def evaluate(cases: list[Case], catalog: Catalog) -> Figures:
    figures = Figures()
    for case in cases:
        result = ask(case.question, case.language, catalog)
        found = [a.id for a in result.answers]
        if not case.ids:
            figures.out_of_scope += 1
            figures.declined += not result.confident
            if result.confident:
                figures.misses.append(f"confident, out of scope: {case.question} -> {found[:1]}")
            continue
        figures.answerable += 1
        first = bool(found) and found[0] in case.ids
        figures.top1 += first
        figures.top3 += any(i in case.ids for i in found)
        figures.confident_right += first and result.confident
        figures.confident_wrong += not first and result.confident
        if not first:
            figures.misses.append(f"{case.language} {case.question} -> {found} want {case.ids}")
    return figures
