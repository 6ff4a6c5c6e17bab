"""The kiosk's gettext: English msgids, translated into the language the resident chose.

The kiosk switches language at the touch of a button, so ``_`` reads the kiosk's
current language rather than the process's. Translations come from the shared
``locales/`` catalogs (``classroom.i18n``); until those carry the kiosk's strings,
``SEED`` below supplies them (to be moved into locales/*.po by ``make i18n``).
"""

from __future__ import annotations

from classroom.i18n import N_, translations

#: the language codes the kiosk offers, in the order of its buttons
LANGUAGES: tuple[str, ...] = ("ja", "ja-easy", "en", "zh-Hans", "ko")
#: each language's own name, shown on its button (never translated)
AUTONYMS: dict[str, str] = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "zh-Hans": "中文",
    "ko": "한국어",
}

_state = {"language": "ja"}

#: the kiosk's strings in each language until the shared catalogs have them
SEED: dict[str, dict[str, str]] = {
    "ja": {
        "Back": "もどる",
        "Start over": "はじめにもどる",
        "Call staff": "職員を呼ぶ",
        "What would you like to do?": "何をしますか。",
        "How to do a procedure online": "手続きのやり方",
        "Sign up for a smartphone class": "スマホ教室に申し込む",
        "Questions and answers": "よくある質問",
        "Language": "ことば",
        "Text size": "文字の大きさ",
        "Large": "大",
        "Extra large": "特大",
        "Reading aloud": "読み上げ",
        "On": "あり",
        "Off": "なし",
        "Read aloud": "読み上げ",
        "Which procedure?": "どの手続きですか。",
        "Step %(number)d of %(total)d": "手順 %(number)d / %(total)d",
        "The screen shows": "画面の表示",
        "Previous step": "まえへ",
        "Next step": "つぎへ",
        "Finished": "おわり",
        "There are no guides yet. Please ask the staff.": "案内はまだありません。職員にお声がけください。",
        "Tsunagu": "つなぐ",
        "This is not ready yet. Please ask the staff.": "この機能は準備中です。職員にお声がけください。",
        "Please ask at the counter. A staff member will help you.": "窓口でお声がけください。職員がお手伝いします。",
    },
    "ja-easy": {
        "Back": "もどる",
        "Start over": "はじめにもどる",
        "Call staff": "しょくいんを　よぶ",
        "What would you like to do?": "なにを　しますか。",
        "How to do a procedure online": "てつづきの　やりかた",
        "Sign up for a smartphone class": "スマホきょうしつに　もうしこむ",
        "Questions and answers": "よくある　しつもん",
        "Language": "ことば",
        "Text size": "もじの　おおきさ",
        "Large": "おおきい",
        "Extra large": "とても　おおきい",
        "Reading aloud": "よみあげ",
        "On": "する",
        "Off": "しない",
        "Read aloud": "よみあげ",
        "Which procedure?": "どの　てつづきですか。",
        "Step %(number)d of %(total)d": "%(number)d / %(total)d",
        "The screen shows": "がめんに　でること",
        "Previous step": "まえへ",
        "Next step": "つぎへ",
        "Finished": "おわり",
        "Tsunagu": "つなぐ",
    },
    "zh-Hans": {
        "Back": "返回",
        "Start over": "回到首页",
        "Call staff": "呼叫工作人员",
        "What would you like to do?": "您想做什么？",
        "How to do a procedure online": "手续办理方法",
        "Sign up for a smartphone class": "报名智能手机课程",
        "Questions and answers": "常见问题",
        "Language": "语言",
        "Text size": "文字大小",
        "Large": "大",
        "Extra large": "特大",
        "Reading aloud": "朗读",
        "On": "开",
        "Off": "关",
        "Read aloud": "朗读",
        "Which procedure?": "哪项手续？",
        "Step %(number)d of %(total)d": "第 %(number)d / %(total)d 步",
        "Previous step": "上一步",
        "Next step": "下一步",
    },
    "ko": {
        "Back": "뒤로",
        "Start over": "처음으로",
        "Call staff": "직원 호출",
        "What would you like to do?": "무엇을 하시겠어요?",
        "How to do a procedure online": "온라인 절차 안내",
        "Sign up for a smartphone class": "스마트폰 교실 신청",
        "Questions and answers": "자주 묻는 질문",
        "Language": "언어",
        "Text size": "글자 크기",
        "Large": "크게",
        "Extra large": "아주 크게",
        "Reading aloud": "읽어 주기",
        "On": "켜기",
        "Off": "끄기",
        "Read aloud": "읽어 주기",
        "Which procedure?": "어떤 절차인가요?",
        "Step %(number)d of %(total)d": "%(number)d / %(total)d 단계",
        "Previous step": "이전",
        "Next step": "다음",
    },
}


def set_language(language: str) -> None:
    """Make ``language`` the kiosk's language for every later ``_`` call."""
    if language not in LANGUAGES:
        raise ValueError(language)
    _state["language"] = language


def current_language() -> str:
    """The language the resident chose (ja until they choose)."""
    return _state["language"]


def gettext(message: str) -> str:
    """``message`` in the kiosk's language: the shared catalog, else the seed, else English."""
    language = _state["language"]
    if language == "en":
        return message
    # ja-easy has no catalog of its own yet in locales/: its seed, then Japanese
    for code in (language, "ja") if language == "ja-easy" else (language,):
        translated = translations(code).gettext(message)
        if translated != message:
            return translated
        seeded = SEED.get(code, {}).get(message)
        if seeded:
            return seeded
    return message


_ = gettext

__all__ = [
    "AUTONYMS", "LANGUAGES", "N_", "SEED", "current_language", "gettext", "gettext_in",
    "set_language", "_",
]  # fmt: skip


def gettext_in(message: str, language: str) -> str:
    """``message`` in ``language`` (for kv rules, which re-run when the language changes)."""
    previous = _state["language"]
    _state["language"] = language if language in LANGUAGES else previous
    try:
        return gettext(message)
    finally:
        _state["language"] = previous
