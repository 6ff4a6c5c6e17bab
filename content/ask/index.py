"""The search index over the ward's FAQ entries, guides and lessons, built once per
content version and kept in memory (docs/ask.md says where and why).

One document per FAQ question, active guide and lesson, and one for the smartphone classes
themselves (``CLASSES_ID``, kind "class": the web layer, which knows the schedule, answers
it with the upcoming classes). Each language has its own index
over the texts written in it (ja also reads the やさしい日本語 texts); Japanese has two:
normalised words and reading pairs. Scores are BM25 (bm25s) divided by what the
question's terms could score at most, so 1.0 means every term of the question was found
and a threshold means the same for a short question as for a long one.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from content.ask.synonyms import SYNONYMS_FILE, SynonymError, Synonyms, fold, load_synonyms
from content.ask.text import english_terms, japanese_terms, pair_terms
from content.loader import Catalog, load_catalog, section_files, settings_path
from content.model import Text

log = logging.getLogger(__name__)

#: the indexes built: ja (words and readings), en, zh-Hans, ko
INDEX_LANGUAGES = ("ja", "en", "zh-Hans", "ko")
#: how many times a title or question counts against the body of its answer
TITLE_WEIGHT = 5
#: BM25 term saturation and length normalisation
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Document:
    """One answer the search can give: what it is and its texts to show."""

    kind: str  # faq | guide | lesson | class
    id: str
    title: Text
    text: Text
    #: texts to search, the title-like ones first (counted TITLE_WEIGHT times)
    heads: tuple[Text, ...]
    body: tuple[Text, ...]
    #: answers with the same family say the same thing (an FAQ entry and its guide): the
    #: margin that makes an answer sure is measured to the best of another family
    family: str = ""


#: the id of the document that stands for the smartphone classes (kind "class")
CLASSES_ID = "classes"
#: the family of the classes' document: a lesson's answer says the same (take a class)
CLASS_FAMILY = "class"
#: what residents type when they ask about the classes: its title | words that count like a
#: title | the rest. The ward's synonym list applies to these words too. The title is shown
#: only where the web layer has no upcoming class to offer instead
CLASS_WORDS = Text(
    {
        "ja": "スマホ教室|教室 申し込み|スマートフォン教室 講座 講習会 日程 いつ 予約 参加 使い方"
        " 教える 習う 教わる 初心者",
        "en": "Smartphone classes|class book sign up learn teach|smartphone course lesson dates"
        " when join beginner",
        "zh-Hans": "智能手机课程|课程 预约 报名 学习|手机 讲座 教室 日程 什么时候 参加 教",
        "ko": "스마트폰 교실|교실 예약 신청 배우기|스마트폰 강좌 강습 일정 언제 참가 가르쳐",
    }
)


def _class_document() -> Document:
    title, heads, body = (
        Text({k: v.split("|")[i] for k, v in CLASS_WORDS.values.items()}) for i in range(3)
    )
    return Document("class", CLASSES_ID, title, body, (title, heads), (body,), CLASS_FAMILY)


def documents(catalog: Catalog) -> list[Document]:
    docs = []
    for topic in catalog.faq.values():
        for q in topic.questions:
            key = f"{topic.id}/{q.id}"
            docs.append(Document("faq", key, q.q, q.a, (q.q,), (topic.title, q.a), q.guide or key))
    for guide in catalog.active_guides:
        docs.append(
            Document(
                "guide",
                guide.id,
                guide.title,
                guide.for_whom,
                (guide.title, guide.finder_question),
                (guide.for_whom, *guide.bring, *(c.text for c in guide.checklist)),
                guide.id,
            )
        )
    for lesson in catalog.lessons.values():
        docs.append(
            Document(
                "lesson",
                lesson.id,
                lesson.title,
                lesson.goal,
                (lesson.title,),
                (lesson.goal, *(c.text for c in lesson.can_do)),
                f"lesson:{lesson.id}",
            )
        )
    docs.append(_class_document())
    return docs


def _texts(texts: Iterable[Text], language: str) -> Iterator[str]:
    codes = ("ja", "ja-easy") if language == "ja" else (language,)
    for text in texts:
        for code in codes:
            if text.has(code):
                yield text.values[code]


class Field:
    """One BM25 index over one kind of term, and the idf of each term it knows."""

    def __init__(self, corpus: list[list[str]]) -> None:
        self.bm25 = bm25s.BM25(k1=K1, b=B)
        # bm25s needs at least one term per document
        self.bm25.index([terms or ["\0"] for terms in corpus], show_progress=False)
        n = self.size = len(corpus)
        df: dict[str, int] = {}
        for terms in corpus:
            for term in set(terms):
                df[term] = df.get(term, 0) + 1
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)

    def scores(self, terms: tuple[str, ...]) -> np.ndarray:
        """Each document's score, 0..~1: BM25 over the most the question's terms can give."""
        known = [t for t in terms if t in self.idf]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        raw = self.bm25.get_scores(known)
        most = sum(self.idf.get(t, self.unknown_idf) for t in terms)
        return np.asarray(raw, dtype=np.float32) / most


class Index:
    """Every document and, per language, its fields: over all its texts (``fields``) and
    over its title or question alone (``heads``)."""

    def __init__(self, catalog: Catalog, synonyms: Synonyms, version: str) -> None:
        self.version = version
        self.synonyms = synonyms
        #: why the ward's synonym file was not used (a server built with the last good one)
        self.synonym_fault: str | None = None
        self.documents = documents(catalog)
        self.fields: dict[str, list[Field]] = {}
        self.heads: dict[str, list[Field]] = {}
        for language in INDEX_LANGUAGES:
            self.fields[language] = self._fields(language, heads_only=False)
            self.heads[language] = self._fields(language, heads_only=True)

    def _fields(self, language: str, heads_only: bool) -> list[Field]:
        count = 2 if language == "ja" else 1
        per_doc = [self._doc_terms(doc, language, count, heads_only) for doc in self.documents]
        return [Field([terms[i] for terms in per_doc]) for i in range(count)]

    def terms(self, text: str, language: str, question: bool = False) -> list[list[str]]:
        """The terms of ``text`` per field of ``language``'s index (of a ``question``:
        readings of its kana words only)."""
        text = self.synonyms.apply(fold(text), language)
        if language == "ja":
            words, reading = japanese_terms(text, kana_only=question)
            return [list(words), list(reading)]
        if language == "en":
            return [list(english_terms(text))]
        return [list(pair_terms(text, singles=language == "zh-Hans"))]

    def _doc_terms(
        self, doc: Document, language: str, count: int, heads_only: bool
    ) -> list[list[str]]:
        fields: list[list[str]] = [[] for _ in range(count)]
        weighted = [(doc.heads, 1 if heads_only else TITLE_WEIGHT)]
        if not heads_only:
            weighted.append((doc.body, 1))
        for texts, weight in weighted:
            for text in _texts(texts, language):
                for i, terms in enumerate(self.terms(text, language)):
                    fields[i].extend(terms * weight)
        return fields


def content_files(root: Path, settings_file: Path) -> list[Path]:
    """Every file the index is built from: the sections, the settings and the synonyms."""
    files = [p for paths in section_files(root).values() for p in paths]
    return [*files, settings_file, root / SYNONYMS_FILE]


def _stamp(files: list[Path]) -> tuple:
    out = []
    for path in files:
        try:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def content_version(files: list[Path]) -> str:
    """16 hex digits of sha256 over the files' names and bytes: the index's version."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_lock = threading.Lock()
_built: dict[str, tuple[tuple, Index]] = {}
_by_version: dict[str, Index] = {}
_good_synonyms: dict[str, Synonyms] = {}


def index_for(catalog: Catalog) -> Index:
    """The index of ``catalog``'s content (see ``index_at``)."""
    settings = Path(catalog.settings.source) if catalog.settings.source else settings_path()
    return _index(catalog.root, settings, lambda: catalog)


def index_at(root: Path) -> Index:
    """The index of the content under ``root`` with its settings in effect; the catalog is
    loaded only when the index has to be built (a server answers without reloading it).

    A server keeps answering when the ward's synonym file is broken: with the synonyms
    it last read well (none, if it never did), and a warning in its log; `tsunagu
    content check` and `tsunagu ask` name the fault."""
    return _index(root, settings_path(root), lambda: load_catalog(root), strict=False)


def _synonyms(root: Path, strict: bool) -> tuple[Synonyms, str | None]:
    """The synonyms to build with, and what is wrong with the file (None: nothing)."""
    path = root / SYNONYMS_FILE
    try:
        synonyms = load_synonyms(path)
    except SynonymError as exc:
        if strict:
            raise
        log.warning("ask: the synonym list is broken, the last good one stays in use: %s", exc)
        return _good_synonyms.get(str(path), Synonyms({})), str(exc)
    _good_synonyms[str(path)] = synonyms
    return synonyms, None


def _index(
    root: Path, settings_file: Path, catalog: Callable[[], Catalog], strict: bool = True
) -> Index:
    """Built on first use and again only when a file changed (checked by mtime and size);
    the same files give the same index, whoever asks."""
    files = content_files(root, settings_file)
    stamp = _stamp(files)
    key = str(root)
    cached = _built.get(key)
    if cached is None or cached[0] != stamp:
        with _lock:
            cached = _built.get(key)
            if cached is None or cached[0] != stamp:
                version = content_version(files)
                index = _by_version.get(version)
                if index is None:
                    synonyms, fault = _synonyms(root, strict)
                    index = Index(catalog(), synonyms, version)
                    index.synonym_fault = fault
                    _by_version.clear()  # one version at a time: the content in effect
                    _by_version[version] = index
                cached = _built[key] = (stamp, index)
    if strict and cached[1].synonym_fault:
        raise SynonymError(cached[1].synonym_fault)
    return cached[1]
