"""Ask in your own words (issue 20): the best answers from the ward's own FAQ, guides and
lessons to a question as a resident types it, offline.

``ask(question, language, catalog)`` gives at most three answers, best first, and
whether the best one is ``confident``: when it is not, the caller says so plainly and
gives the counter's phone number and hours instead of presenting a guess as the answer.
The index is built once per content version (``content.ask.index``); docs/ask.md
describes the method, the figures and where the index lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from content.ask.index import CLASS_FAMILY, CLASSES_ID, Document, Index, index_at, index_for
from content.ask.synonyms import SynonymError, fold
from content.ask.text import CONTROL, script_language
from content.loader import Catalog
from languages import LANGUAGES
from languages import gettext as _

__all__ = [
    "MAX_CHARS",
    "Answer",
    "CLASSES_ID",
    "AskError",
    "Result",
    "TOP",
    "SynonymError",
    "ask",
    "index_at",
    "index_for",
]

#: at most this many answers
TOP = 3
#: a question longer than this is refused with a message (residents ask in one line)
MAX_CHARS = 200
#: the best answer is confident from this score (calibrated on the evaluation set:
#: tests/content/ask_eval.yaml; bench/ask_bench.py prints the figures)
CONFIDENT = 0.36
#: ... and it leads the best answer that says something else by this much, unless its
#: sureness reaches SURE on its own (calibrated like CONFIDENT: it cuts the confident
#: wrong answers of the evaluation set's tuned part from 11 to 2, for 22 right ones now
#: offered less surely, with the counter)
MARGIN = 0.08
SURE = 0.7
#: answers scoring less than this share of the best one are not shown
SHOWN_SHARE = 0.35
#: nor any scoring less than this: for 「競馬の予想」 there is nothing even related
RELATED = 0.12
#: Japanese: how much the normalised words count against the readings
WORD_WEIGHT = 0.8
#: how much the match with a question or title alone counts against the whole document
HEAD_WEIGHT = 0.35


class AskError(ValueError):
    """The question cannot be asked as typed; the message says why, in the resident's words."""


@dataclass(frozen=True)
class Answer:
    kind: str  # faq | guide | lesson | class (the classes; the web layer names them)
    id: str
    title: str
    text: str
    score: float

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "score": self.score,
        }


@dataclass(frozen=True)
class Result:
    confident: bool
    answers: tuple[Answer, ...]

    def as_json(self) -> dict[str, object]:
        return {"confident": self.confident, "answers": [a.as_json() for a in self.answers]}


def clean_question(question: str) -> str:
    """The question without control characters and extra spaces; AskError when empty or too
    long."""
    if not isinstance(question, str):
        raise AskError(_("Type a question."))
    text = " ".join(CONTROL.sub(" ", question).split())
    if not text:
        raise AskError(_("Type a question."))
    if len(text) > MAX_CHARS:
        raise AskError(
            _("The question is too long: at most %(count)d characters.") % {"count": MAX_CHARS}
        )
    return text


def scores(index: Index, question: str, language: str) -> tuple[np.ndarray, np.ndarray]:
    """Each document's score for ``question`` (already cleaned), 0..~1, to rank by, and the
    score that says how sure the match is.

    Japanese ranks by words and the readings of every word: 「ほいくえん」 and a misspelt
    reading still meet 保育園. Sureness counts only the readings of words typed in kana, so
    a kanji word the content lacks (天気) is not half-found through a homophone (点数).
    """
    searched = script_language(fold(question), language)

    def combined(fields: list, terms: list[tuple[str, ...]]) -> np.ndarray:
        found = [field.scores(t) for field, t in zip(fields, terms, strict=True)]
        if searched != "ja":
            return found[0]
        if not terms[1]:  # sureness of a question without kana words: its words alone
            return found[0]
        return WORD_WEIGHT * found[0] + (1 - WORD_WEIGHT) * found[1]

    def mixed(terms: list[tuple[str, ...]]) -> np.ndarray:
        whole = combined(index.fields[searched], terms)
        heads = combined(index.heads[searched], terms)
        return (1 - HEAD_WEIGHT) * whole + HEAD_WEIGHT * heads

    rank = mixed([tuple(t) for t in index.terms(question, searched)])
    if searched != "ja":
        return rank, rank
    return rank, mixed([tuple(t) for t in index.terms(question, searched, question=True)])


def ask(question: str, language: str, content: Catalog | Path) -> Result:
    """The best (at most three) answers to ``question`` for a reader of ``language``, from
    a loaded catalog or the content directory (loaded only when its index is built)."""
    if language not in LANGUAGES:
        raise AskError(
            _("Unknown language '%(language)s' (use one of: %(known)s).")
            % {"language": language, "known": ", ".join(LANGUAGES)}
        )
    text = clean_question(question)
    index = index_at(content) if isinstance(content, Path) else index_for(content)
    found, sure = scores(index, text, language)
    ranked = np.argsort(-found, kind="stable")
    order = ranked[:TOP]
    best = float(found[order[0]])
    answers = tuple(
        _answer(index.documents[i], float(found[i]), language)
        for i in order
        if found[i] >= RELATED and found[i] >= SHOWN_SHARE * best
    )
    return Result(confident=bool(answers) and _sure(index, found, sure, ranked), answers=answers)


def _sure(index: Index, found: np.ndarray, sure: np.ndarray, ranked: np.ndarray) -> bool:
    """The best answer is confident: sure enough, and clearly ahead of any other answer."""
    first = ranked[0]
    certainty = float(sure[first])
    if certainty < CONFIDENT:
        return False
    if certainty >= SURE:
        return True
    family = _family(index.documents[first])
    other = next((i for i in ranked[1:] if _family(index.documents[i]) != family), None)
    return other is None or float(found[first] - found[other]) >= MARGIN


def _family(doc: Document) -> str:
    """What an answer amounts to: an FAQ entry and its guide one thing; any lesson and the
    smartphone classes another (the answer is a class to take)."""
    return CLASS_FAMILY if doc.kind in ("lesson", "class") else doc.family


def _answer(doc: Document, score: float, language: str) -> Answer:
    return Answer(
        doc.kind, doc.id, doc.title.get(language), doc.text.get(language), round(score, 3)
    )
