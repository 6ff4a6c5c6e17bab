"""Words a senior may not know (リンク, NFC, アプリ ...) and their short explanations.

A screen that shows one of these words offers a 「？ リンク」 button (≥96 px) next to its
text; it opens the explanation, written and read aloud (``kiosk.widgets.glossary``). The
words are found in the texts the screen shows, in the resident's language. No Kivy here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.i18n import N_


@dataclass(frozen=True)
class Term:
    """A hard word: its name (an English msgid, shown translated) and its explanation."""

    id: str
    name: str
    explanation: str
    #: how the word is written on a screen, by language (ja-easy reads ja's as well)
    patterns: dict[str, str]


TERMS: tuple[Term, ...] = (
    Term(
        "signature-certificate",
        N_("signature certificate"),
        N_(
            "The signature certificate is on your My Number Card. You use it to apply "
            "online. Its password has 6 to 16 letters and digits. Five wrong tries lock it."
        ),
        {
            "ja": r"署名用電子証明書|しょめいよう",
            "en": r"signature certificate",
            "zh-Hans": r"签名用电子证明书",
            "ko": r"서명용 전자증명서",
        },
    ),
    Term(
        "nfc",
        N_("NFC"),
        N_(
            "NFC lets your phone read a card that touches its back. On Android, you switch "
            "it on in Settings. An iPhone has it on already."
        ),
        {"ja": r"NFC|ＮＦＣ", "en": r"NFC", "zh-Hans": r"NFC", "ko": r"NFC"},
    ),
    Term(
        "app",
        N_("app"),
        N_(
            "An app is a tool you add to your phone, like the Mynaportal app. You get it "
            "from the App Store or the Play Store."
        ),
        {"ja": r"アプリ", "en": r"\bapps?\b", "zh-Hans": r"应用|App", "ko": r"앱"},
    ),
    Term(
        "login",
        N_("log in"),
        N_(
            "To log in is to show a service that it is you, so that you can use it. Here "
            "you use your card and your PIN."
        ),
        {"ja": r"ログイン", "en": r"\blog ?in\b", "zh-Hans": r"登录", "ko": r"로그인"},
    ),
    Term(
        "link",
        N_("link"),
        N_(
            "A link is a word or a button on your phone's screen. When you tap it, another "
            "page opens."
        ),
        {"ja": r"リンク", "en": r"\blinks?\b", "zh-Hans": r"链接", "ko": r"링크"},
    ),
    Term(
        "scan",
        N_("scan"),
        N_(
            "To scan is to let your phone read a code or a card: you point the camera at "
            "the code, or hold the card to the phone."
        ),
        {"ja": r"スキャン", "en": r"\bscan", "zh-Hans": r"扫描", "ko": r"스캔"},
    ),
)


def terms_in(texts: Iterable[str], language: str) -> list[Term]:
    """The hard words the ``texts`` contain, in the order they first appear."""
    code = "ja" if language == "ja-easy" else language
    joined = "\n".join(t for t in texts if t)
    found: list[tuple[int, Term]] = []
    for term in TERMS:
        pattern = term.patterns.get(code)
        match = re.search(pattern, joined, re.IGNORECASE) if pattern else None
        if match is not None:
            found.append((match.start(), term))
    return [term for _at, term in sorted(found, key=lambda pair: pair[0])]


def term(term_id: str) -> Term:
    return next(t for t in TERMS if t.id == term_id)
