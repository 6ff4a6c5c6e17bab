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
        "Which phone will you bring?": "どの携帯電話を持ってきますか。",
        "iPhone": "iPhone",
        "Android": "Android（アンドロイド）",
        "Senior phone": "らくらくスマートフォン",
        "I do not have a smartphone": "スマホを持っていない",
        "If you are not sure, ask the staff. They can look at your phone with you.": "わからないときは、職員にお声がけください。一緒に確かめます。",
        "If everything is right, press Book.": "よろしければ「申し込む」を押してください。",
        "Delete": "けす",
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
        "Choose a class": "教室をえらぶ",
        "Loading the classes…": "教室の一覧を読みこんでいます…",
        "There are no classes to book at the moment.": "いま申し込める教室はありません。",
        "The list of classes cannot be loaded right now. Please ask the staff. They can book for you.": "いま教室の一覧を読みこめません。職員にお声がけください。職員が代わりに申し込みます。",
        "Earlier classes": "前の教室",
        "Later classes": "次の教室",
        "Try again": "もう一度",
        "Lottery": "抽選",
        "Full: waiting list": "満席（キャンセル待ち）",
        "%(count)d seats left": "残り%(count)d席",
        "Before you enter your details": "入力の前にお読みください",
        "To book the class we ask for your name in katakana, your phone number and your birth year.": "申し込みには、お名前（カタカナ）、電話番号、生まれた年をうかがいます。",
        "The ward uses them only for this class: to contact you about it and to count participants by age. They are not given to anyone else.": "区はこの教室のためだけに使います。教室についての連絡と、年代ごとの参加者数の集計です。ほかの人には渡しません。",
        "This kiosk does not keep them after your booking is sent.": "この端末は、申し込みを送ったあとは記録を残しません。",
        "Do not agree": "同意しない",
        "Agree and continue": "同意して進む",
        "Your name in katakana": "お名前（カタカナ）",
        "Delete one": "1字けす",
        "Space": "空白",
        "Next": "つぎへ",
        "Your phone number": "電話番号",
        "A number where the office can reach you. Type the numbers only.": "連絡がつく番号です。数字だけを押してください。",
        "Your birth year": "生まれた年",
        "Taisho": "大正",
        "Showa": "昭和",
        "Heisei": "平成",
        "Reiwa": "令和",
        "Western calendar": "西暦",
        "%(era)s %(year)s": "%(era)s %(year)s 年",
        "Year %(year)s": "西暦 %(year)s 年",
        "(year %(year)d)": "（%(year)d年）",
        "Please check the year. It does not look like a birth year.": "年をお確かめください。生まれた年として正しくないようです。",
        "Please check your booking": "申し込み内容の確認",
        "Class": "教室",
        "Date": "日時",
        "Place": "場所",
        "Name": "お名前",
        "Phone": "電話番号",
        "Birth year": "生まれた年",
        "Sending…": "送っています…",
        "Change": "なおす",
        "Book": "申し込む",
        "You are booked.": "予約できました。",
        "You are on the waiting list: number %(position)d.": "キャンセル待ち %(position)d番です。",
        "You have applied for the lottery.": "抽選に申し込みました。",
        "Received (pending)": "受付中",
        "The booking could not be made.": "予約できませんでした。",
        "Please come to the venue on the day. Show this code at reception.": "当日は会場へお越しください。受付でこの番号を見せてください。",
        "If a seat becomes free, the office will call you.": "席があいたら、区からお電話します。",
        "The office will tell you the result after the lottery.": "抽選のあと、区から結果をお知らせします。",
        "This kiosk cannot reach the office right now. Your application is saved and will be sent automatically when the connection is back. Please ask at the counter to check your booking.": "いま区の事務所とつながりません。申し込みはこの端末に保存し、つながったら自動で送ります。予約の確認は窓口でお声がけください。",
        "Please ask the staff. They can book for you.": "職員にお声がけください。職員が代わりに申し込みます。",
        "Your reservation code": "予約番号",
        "Finish": "おわる",
        "Show this at reception.": "受付で見せてください。",
        "Please wait a moment.": "しばらくお待ちください。",
        "The screen will go back to the start by itself.": "画面は自動ではじめにもどります。",
        "Staff PIN": "職員用の暗証番号",
        "The PIN is not right.": "暗証番号がちがいます。",
        "Cancel": "やめる",
        "OK": "OK",
        "Do you want to continue?": "続けますか？",
        "In %(seconds)d seconds the screen goes back to the start and what you entered is deleted.": "あと%(seconds)d秒で画面がはじめにもどり、入力した内容は消えます。",
        "Continue": "続ける",
        "Calling the staff…": "職員を呼んでいます…",
        "A staff member is coming. Please wait here.": "職員が来ます。ここでお待ちください。",
    },
    "ja-easy": {
        "Which phone will you bring?": "どの　けいたいを　もって　きますか。",
        "Senior phone": "らくらくスマホ",
        "I do not have a smartphone": "スマホを　もって　いない",
        "If everything is right, press Book.": "よければ「もうしこむ」を　おして　ください。",
        "Delete": "けす",
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
        "Choose a class": "きょうしつを\u3000えらぶ",
        "Loading the classes…": "よみこんで\u3000います…",
        "The list of classes cannot be loaded right now. Please ask the staff. They can book for you.": "いま\u3000きょうしつを\u3000みることが\u3000できません。しょくいんに\u3000こえを\u3000かけて\u3000ください。",
        "Earlier classes": "まえ",
        "Later classes": "つぎ",
        "Try again": "もう\u3000いちど",
        "Full: waiting list": "まんせき（まつ）",
        "%(count)d seats left": "あと\u3000%(count)dせき",
        "Lottery": "ちゅうせん",
        "Before you enter your details": "いれる\u3000まえに\u3000よんで\u3000ください",
        "Do not agree": "いいえ",
        "Agree and continue": "はい、すすむ",
        "Your name in katakana": "なまえ（カタカナ）",
        "Delete one": "1じ\u3000けす",
        "Space": "あける",
        "Next": "つぎへ",
        "Your phone number": "でんわばんごう",
        "Your birth year": "うまれた\u3000とし",
        "Please check your booking": "これで\u3000いいですか",
        "Change": "なおす",
        "Book": "もうしこむ",
        "You are booked.": "よやく\u3000できました。",
        "You are on the waiting list: number %(position)d.": "キャンセルまち\u3000%(position)dばんです。",
        "You have applied for the lottery.": "ちゅうせんに\u3000もうしこみました。",
        "Received (pending)": "うけつけちゅう",
        "The booking could not be made.": "よやく\u3000できませんでした。",
        "Your reservation code": "よやく\u3000ばんごう",
        "Finish": "おわる",
        "Please wait a moment.": "すこし\u3000まって\u3000ください。",
        "Do you want to continue?": "つづけますか？",
        "In %(seconds)d seconds the screen goes back to the start and what you entered is deleted.": "あと\u3000%(seconds)dびょうで\u3000はじめに\u3000もどります。いれた\u3000ことは\u3000きえます。",
        "Continue": "つづける",
        "Calling the staff…": "しょくいんを\u3000よんで\u3000います…",
        "A staff member is coming. Please wait here.": "しょくいんが\u3000きます。ここで\u3000まって\u3000ください。",
        "Cancel": "やめる",
    },
    "zh-Hans": {
        "Which phone will you bring?": "您会带哪种手机？",
        "Senior phone": "老年人手机",
        "I do not have a smartphone": "我没有智能手机",
        "If everything is right, press Book.": "如果没有问题，请按“报名”。",
        "Delete": "删除",
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
        "Choose a class": "选择课程",
        "Try again": "重试",
        "Earlier classes": "上一页",
        "Later classes": "下一页",
        "Full: waiting list": "已满（候补）",
        "%(count)d seats left": "剩余%(count)d个名额",
        "Lottery": "抽签",
        "Do not agree": "不同意",
        "Agree and continue": "同意并继续",
        "Your name in katakana": "姓名（片假名）",
        "Delete one": "删除一个字",
        "Space": "空格",
        "Next": "下一步",
        "Your phone number": "电话号码",
        "Your birth year": "出生年份",
        "Please check your booking": "请确认报名内容",
        "Change": "修改",
        "Book": "报名",
        "You are booked.": "预约成功。",
        "Received (pending)": "受理中",
        "Your reservation code": "预约号码",
        "Finish": "结束",
        "Do you want to continue?": "要继续吗？",
        "Continue": "继续",
        "Please wait a moment.": "请稍候。",
        "Cancel": "取消",
        "A staff member is coming. Please wait here.": "工作人员马上就来。请在这里等候。",
    },
    "ko": {
        "Which phone will you bring?": "어떤 휴대폰을 가져오시나요?",
        "Senior phone": "시니어폰",
        "I do not have a smartphone": "스마트폰이 없음",
        "If everything is right, press Book.": "맞으면 「신청하기」를 눌러 주세요.",
        "Delete": "지우기",
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
        "Choose a class": "교실 선택",
        "Try again": "다시 시도",
        "Earlier classes": "이전",
        "Later classes": "다음",
        "Full: waiting list": "만석(대기)",
        "%(count)d seats left": "남은 자리 %(count)d석",
        "Lottery": "추첨",
        "Do not agree": "동의하지 않음",
        "Agree and continue": "동의하고 계속",
        "Your name in katakana": "이름(가타카나)",
        "Delete one": "한 글자 지우기",
        "Space": "띄어쓰기",
        "Next": "다음",
        "Your phone number": "전화번호",
        "Your birth year": "태어난 해",
        "Please check your booking": "신청 내용 확인",
        "Change": "고치기",
        "Book": "신청하기",
        "You are booked.": "예약되었습니다.",
        "Received (pending)": "접수 중",
        "Your reservation code": "예약 번호",
        "Finish": "끝내기",
        "Do you want to continue?": "계속하시겠어요?",
        "Continue": "계속",
        "Please wait a moment.": "잠시 기다려 주세요.",
        "Cancel": "취소",
        "A staff member is coming. Please wait here.": "직원이 옵니다. 여기에서 기다려 주세요.",
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


#: the kiosk's wording differs from the staff site's for the same English ("Back" is
#: もどる for a resident, 戻る for staff), so kiosk entries in the shared catalogs
#: carry this message context
CONTEXT = "kiosk"


def gettext(message: str) -> str:
    """``message`` in the kiosk's language: the shared catalog's kiosk entry, else the seed."""
    language = _state["language"]
    if language == "en":
        return message
    # ja-easy has no catalog of its own yet in locales/: its seed, then Japanese
    for code in (language, "ja") if language == "ja-easy" else (language,):
        translated = translations(code).pgettext(CONTEXT, message)
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
