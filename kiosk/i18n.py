"""The kiosk's gettext: English msgids, translated into the language the resident chose.

The kiosk switches language at the touch of a button, so ``_`` reads the kiosk's
current language rather than the process's. Translations come from the shared
``locales/`` catalogs (``languages``, the leaf package), from their entries with the message context
"kiosk" (``make i18n`` extracts the kiosk's strings with that context, see
scripts/babel_kiosk.py); ``SEED`` below is the fallback while a catalog entry is empty.
``scripts/seed_kiosk_catalogs.py`` copies SEED's ja, zh-Hans and ko into the catalogs, so
those can shrink out of SEED. やさしい日本語 (ja-easy) is a real catalog too: the ja
catalog's entries with the context "kiosk-easy" (``EASY_CONTEXT``); where one is empty the
kiosk's ja wording is read (docs/translations.md).
"""

from __future__ import annotations

from languages import LANGUAGES, N_, translations

#: the language codes the kiosk offers, in the order of its buttons
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
        "Speech is not available right now. Please read the screen, or press Call staff.": "いまは読み上げが使えません。画面の文字をお読みいただくか、「職員を呼ぶ」を押してください。",
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
        "Certificates": "証明書",
        "Events": "行事・申し込み",
        "Health": "健康",
        "Payments": "支払い",
        "My Number Card": "マイナンバーカード",
        "What do you want to do?": "何をしたいですか？",
        "Show all guides": "すべての案内を見る",
        "Previous page": "前のページ",
        "Next page": "次のページ",
        "Start the steps": "手順を始める",
        "Who it is for": "対象の人",
        "Time": "かかる時間",
        "Fee": "費用",
        "About %(minutes)d minutes": "約%(minutes)d分",
        "What to bring": "持ち物",
        "Please note": "気をつけること",
        "Before you go": "出かける前に",
        "Furigana": "ふりがな",
        "Stop": "止める",
        "Volume": "音量",
        "Before you go: please check": "出かける前に確かめましょう",
        "Tap each item you have ready. A tick ✓ shows it is ready.": "用意できたものを押してください。用意できたものには ✓ が付きます。",
        "Next: the QR code for your phone": "次へ：スマホで読み取るQRコード",
        "Open the camera on your phone and point it at this code. Then tap the link that appears.": "スマホのカメラを開いて、このコードに向けてください。出てきたリンクを押します。",
        "Print the steps on paper": "手順を紙に印刷する",
        "Stuck? Learn it in a class": "困ったら：教えてくれる教室",
        "The step sheet is printing. Please take it from the printer.": "手順の紙を印刷しています。プリンターから取ってください。",
        "The sheet could not be printed. Please ask the staff.": "印刷できませんでした。職員にお声がけください。",
        "See how to do it": "やり方を見る",
        "Where to ask for help": "相談できる窓口",
        "Cancel": "やめる",
        "OK": "OK",
        "Do you want to continue?": "続けますか？",
        "In %(seconds)d seconds the screen goes back to the start and what you entered is deleted.": "あと%(seconds)d秒で画面がはじめにもどり、入力した内容は消えます。",
        "Continue": "続ける",
        "Calling the staff…": "職員を呼んでいます…",
        "A staff member is coming. Please wait here.": "職員が来ます。ここでお待ちください。",
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
        "Speech is not available right now. Please read the screen, or press Call staff.": "现在无法朗读。请阅读屏幕上的文字，或按“呼叫工作人员”。",
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
        "Certificates": "证明书",
        "Events": "活动",
        "Health": "健康",
        "Payments": "付款",
        "My Number Card": "个人编号卡",
        "What do you want to do?": "您想做什么？",
        "Show all guides": "查看全部指南",
        "Previous page": "上一页",
        "Next page": "下一页",
        "Start the steps": "开始步骤",
        "Who it is for": "适用对象",
        "Time": "所需时间",
        "Fee": "费用",
        "About %(minutes)d minutes": "约%(minutes)d分钟",
        "What to bring": "需要携带的物品",
        "Please note": "注意事项",
        "Before you go": "出门之前",
        "Furigana": "注音假名",
        "Stop": "停止",
        "Volume": "音量",
        "Before you go: please check": "出门之前请确认",
        "Tap each item you have ready. A tick ✓ shows it is ready.": "请点击已准备好的项目。准备好的项目会显示 ✓。",
        "Next: the QR code for your phone": "下一步：用手机扫描二维码",
        "Open the camera on your phone and point it at this code. Then tap the link that appears.": "请打开手机相机，对准这个二维码，然后点击出现的链接。",
        "Print the steps on paper": "把步骤打印在纸上",
        "Stuck? Learn it in a class": "遇到困难？参加教学课程",
        "The step sheet is printing. Please take it from the printer.": "正在打印步骤说明。请从打印机取走。",
        "The sheet could not be printed. Please ask the staff.": "无法打印。请询问工作人员。",
        "See how to do it": "查看办法",
        "Where to ask for help": "可以咨询的窗口",
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
        "Speech is not available right now. Please read the screen, or press Call staff.": "지금은 읽어 주기를 사용할 수 없습니다. 화면의 글을 읽어 주시거나 ‘직원 호출’을 눌러 주세요.",
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
        "Certificates": "증명서",
        "Events": "행사",
        "Health": "건강",
        "Payments": "결제",
        "My Number Card": "마이넘버 카드",
        "What do you want to do?": "무엇을 하고 싶으세요?",
        "Show all guides": "모든 안내 보기",
        "Previous page": "이전 페이지",
        "Next page": "다음 페이지",
        "Start the steps": "단계 시작하기",
        "Who it is for": "대상",
        "Time": "소요 시간",
        "Fee": "비용",
        "About %(minutes)d minutes": "약 %(minutes)d분",
        "What to bring": "가져갈 것",
        "Please note": "주의할 점",
        "Before you go": "가기 전에",
        "Furigana": "후리가나",
        "Stop": "멈추기",
        "Volume": "음량",
        "Before you go: please check": "가기 전에 확인하세요",
        "Tap each item you have ready. A tick ✓ shows it is ready.": "준비된 항목을 누르세요. 준비된 항목에는 ✓ 표시가 붙습니다.",
        "Next: the QR code for your phone": "다음: 휴대폰으로 읽는 QR 코드",
        "Open the camera on your phone and point it at this code. Then tap the link that appears.": "휴대폰 카메라를 열고 이 코드에 맞추세요. 나타나는 링크를 누르세요.",
        "Print the steps on paper": "단계를 종이에 인쇄하기",
        "Stuck? Learn it in a class": "어려우신가요? 가르쳐 주는 교실",
        "The step sheet is printing. Please take it from the printer.": "단계 안내를 인쇄하고 있습니다. 프린터에서 가져가세요.",
        "The sheet could not be printed. Please ask the staff.": "인쇄하지 못했습니다. 직원에게 문의하세요.",
        "See how to do it": "방법 보기",
        "Where to ask for help": "상담할 수 있는 창구",
        "Cancel": "취소",
        "A staff member is coming. Please wait here.": "직원이 옵니다. 여기에서 기다려 주세요.",
    },
}


#: msgids the kiosk computes at run time (a dict's values, a screen's ``message``), marked
#: here so that ``make i18n`` extracts them with the "kiosk" context; add one when a kiosk
#: module passes a string to ``app.tr``/``gettext_in`` through a variable
RUNTIME_MSGIDS: tuple[str, ...] = (
    # kiosk.numbers.ERA_NAMES
    N_("Taisho"), N_("Showa"), N_("Heisei"), N_("Reiwa"), N_("Western calendar"),
    # kiosk.app: the window title, calling staff
    N_("Tsunagu"),
    N_("Calling the staff…"),
    N_("A staff member is coming. Please wait here."),
    N_("Please ask at the counter. A staff member will help you."),
    # kiosk.screens.home, kiosk.cli: the notice screen
    N_("This is not ready yet. Please ask the staff."),
    # kiosk.screens.guide_walk: printing the step sheet
    N_("The step sheet is printing. Please take it from the printer."),
    N_("The sheet could not be printed. Please ask the staff."),
    # kiosk.screens.booking: the birth year's problem
    N_("Please check the year. It does not look like a birth year."),
    # kiosk.booking_text: what happens next, by booking status
    N_("Please come to the venue on the day. Show this code at reception."),
    N_("If a seat becomes free, the office will call you."),
    N_("The office will tell you the result after the lottery."),
    N_(
        "This kiosk cannot reach the office right now. Your application is saved and will be "
        "sent automatically when the connection is back. Please ask at the counter to check "
        "your booking."
    ),
    N_("Please ask the staff. They can book for you."),
)  # fmt: skip


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
#: the ja catalog's やさしい日本語 entries for the kiosk (ja-easy)
EASY_CONTEXT = "kiosk-easy"


def gettext(message: str) -> str:
    """``message`` in the kiosk's language: the shared catalog's kiosk entry, else the seed.

    ja-easy: the ja catalog's kiosk-easy entry, else the ja wording.
    """
    language = _state["language"]
    if language == "en":
        return message
    if language == "ja-easy":
        easy = translations("ja").pgettext(EASY_CONTEXT, message)
        if easy != message:
            return easy
        language = "ja"
    translated = translations(language).pgettext(CONTEXT, message)
    if translated != message:
        return translated
    return SEED.get(language, {}).get(message) or message


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
