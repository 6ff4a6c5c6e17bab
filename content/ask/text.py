"""How questions and documents become search terms, per language.

Japanese (ja, やさしい日本語): SudachiPy (mode C, each long word also split into its
mode-A parts) gives normalised forms (「とれる」 and 「取れる」 both become 取れる);
particles, auxiliaries and symbols are dropped. Each content word's reading, in hiragana,
is kept too, as character pairs, so 「じゅうみんひょう」 or a misspelt reading still meets
住民票. English: lower-case words without common stop words, plural -s dropped. Chinese
and Korean: character pairs (and single Chinese characters).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: parts of speech that carry no meaning for a search
DROPPED_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
#: Japanese words too common to tell answers apart (normalised forms)
JA_STOP = {
    "為る",
    "有る",
    "居る",
    "成る",
    "出来る",
    "言う",
    "事",
    "物",
    "此れ",
    "其れ",
    "何",
    "様",
    "思う",
    "ござる",
    "下さる",
    "頂く",
    "貰う",
    "呉れる",
    "良い",
    "いい",
    "可い",
    "どう",
    "ない",
    "無い",
    "さん",
    "とき",
    "時",
    "方",
    "ため",
    "為",
    "よう",
    "です",
    "ます",
}
EN_STOP = frozenset(
    re.split(
        r"\s+",
        "a an the and or of to in on at for with by from is are was were be been being do "
        "does did can could i my me we our you your it its this that what which who whom how "
        "when where why there here have has had will would should may might must not no yes "
        "if so as about into than then them they he she his her please want need get got",
    )
)
#: never part of a question: control characters, zero-width marks, lone surrogates
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff\ud800-\udfff]")
KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
KANA_WORD = re.compile(r"[\u3041-\u309f\u30a0-\u30ffー]+")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
LATIN = re.compile(r"[a-z]")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def script_language(text: str, language: str) -> str:
    """Which index answers ``text``: its script decides, the chosen language breaks ties.

    A question typed in kana is Japanese whatever the page's language; Chinese characters
    alone are Chinese on a Chinese page and Japanese otherwise.
    """
    if KANA.search(text):
        return "ja"
    if HANGUL.search(text):
        return "ko"
    if HAN.search(text):
        return "zh-Hans" if language == "zh-Hans" else "ja"
    if LATIN.search(text):
        return "en"
    return "ja" if language == "ja-easy" else language


@lru_cache(maxsize=1)
def _tokenizer():
    import sudachipy  # a few hundred ms to load its dictionary: only when Japanese is asked

    return sudachipy.Dictionary().create(), sudachipy.SplitMode


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def pairs(text: str) -> list[str]:
    """Overlapping character pairs; a one-character text is itself."""
    if len(text) < 2:
        return [text] if text else []
    return [text[i : i + 2] for i in range(len(text) - 1)]


@lru_cache(maxsize=4096)
def japanese_terms(text: str, kana_only: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, reading pairs) of a folded Japanese text.

    ``kana_only`` (for questions): the reading pairs of words written in kana alone; a
    word written in kanji is matched by its normalised form, and its reading would only
    meet homophones (天気 and 点数 share てん).
    """
    tokenizer, mode = _tokenizer()
    words: list[str] = []
    reading = []
    for chunk in _chunks(text):
        for morpheme in tokenizer.tokenize(chunk, mode.C):
            if morpheme.part_of_speech()[0] in DROPPED_POS:
                continue
            form = morpheme.normalized_form()
            parts = morpheme.split(mode.A)
            if form not in JA_STOP:
                words.append(form)
                if len(parts) > 1:
                    words.extend(p.normalized_form() for p in parts if p.normalized_form() != form)
            if kana_only and not KANA_WORD.fullmatch(morpheme.surface()):
                reading.append(" ")
                continue
            sound = to_hiragana(morpheme.reading_form())
            if KANA.search(sound) or not sound:
                reading.append(sound)
            else:  # no reading (Latin, digits): the word itself
                reading.append(form)
    return tuple(words), tuple(p for part in "".join(reading).split() for p in pairs(part))


def _chunks(text: str, size: int = 2000) -> list[str]:
    """Sudachi refuses very long inputs: long documents go in pieces at sentence ends."""
    if len(text) <= size:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        cut = text.rfind("。", start, end)
        end = cut + 1 if cut > start and end < len(text) else end
        out.append(text[start:end])
        start = end
    return out


#: English endings dropped, longest first: "moving", "moved", "fees", "foreigner" meet
#: "move", "fee", "foreign" (a light stemmer: no library, no surprises)
ENDINGS = ("ies", "ing", "ed", "er", "es", "s")


def stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            word = word[: -len(ending)] + ("y" if ending == "ies" else "")
            break
    return word.rstrip("e") if len(word) > 4 else word


def english_terms(text: str) -> tuple[str, ...]:
    terms = []
    for word in WORD.findall(text):
        if word in EN_STOP:
            continue
        terms.append(stem(word))
    return tuple(terms)


def pair_terms(text: str, singles: bool) -> tuple[str, ...]:
    """Character pairs of each run of letters (and single Chinese characters)."""
    terms: list[str] = []
    for run in re.findall(r"\w+", text):
        terms.extend(pairs(run) if len(run) > 1 else [run])
        if singles:
            terms.extend(c for c in run if HAN.match(c))
    return tuple(terms)
