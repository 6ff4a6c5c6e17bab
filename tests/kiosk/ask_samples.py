"""What the server answers to ことばで さがす (issue 20), for the kiosk's floors, walks and
screenshots: the shapes of POST /api/v1/ask and GET /api/v1/ask/popular (docs/kiosk-api.md)."""

from __future__ import annotations

#: GET /api/v1/ask/popular: the answers given most, then the FAQ's own questions
POPULAR = [
    {
        "kind": "faq",
        "id": "koseki-juminhyo/convenience-store",
        "text": "コンビニで住民票の写しを取れますか？",
        "from": "asked",
    },
    {"kind": "class", "id": "classes", "text": "スマホ教室はいつありますか？", "from": "asked"},
    {
        "kind": "guide",
        "id": "juminhyo",
        "text": "住民票の写しをオンラインで申請する",
        "from": "asked",
    },
    {
        "kind": "faq",
        "id": "hoikuen/not-admitted",
        "text": "保育園に入れませんでした。どうすればいいですか？",
        "from": "faq",
    },
    {
        "kind": "faq",
        "id": "kodomo-teate/amount",
        "text": "児童手当はいくらもらえますか？",
        "from": "faq",
    },
    {"kind": "faq", "id": "covid/fee", "text": "ワクチンの費用はいくらですか？", "from": "faq"},
    {
        "kind": "faq",
        "id": "koseki-juminhyo/card-lost",
        "text": "マイナンバーカードをなくしました。",
        "from": "faq",
    },
]

#: POST /api/v1/ask
ANSWERS = {
    "classes": {
        "confident": True,
        "answers": [
            {
                "kind": "class",
                "id": "intro-iphone",
                "title": "スマホ入門（iPhone）",
                "text": "次の教室：12月10日（木）10:00〜11:30、中央図書館",
                "score": 0.72,
            },
            {
                "kind": "class",
                "id": "line-android",
                "title": "LINEをはじめよう（Android）",
                "text": "次の教室：12月12日（土）14:00〜15:30、区民センター",
                "score": 0.72,
            },
            {
                "kind": "lesson",
                "id": "line-basics",
                "title": "LINEの使い方",
                "text": "LINEで家族とメッセージや写真をやりとりできるようになる",
                "score": 0.3,
            },
        ],
    },
    "faq": {
        "confident": True,
        "answers": [
            {
                "kind": "guide",
                "id": "konbini",
                "title": "コンビニで住民票の写しを取る",
                "text": "マイナンバーカードがある人",
                "score": 0.74,
            },
            {
                "kind": "faq",
                "id": "koseki-juminhyo/convenience-store",
                "title": "コンビニで住民票の写しを取れますか？",
                "text": "取れます。",
                "score": 0.7,
            },
        ],
    },
    "not_sure": {
        "confident": False,
        "answers": [
            {
                "kind": "faq",
                "id": "kodomo-teate/genkyo-todoke",
                "title": "現況届は必要ですか？",
                "text": "",
                "score": 0.34,
            },
            {
                "kind": "faq",
                "id": "koseki-juminhyo/moving-within",
                "title": "区内で引っ越しました。",
                "text": "",
                "score": 0.18,
            },
        ],
    },
    "nothing": {"confident": False, "answers": []},
}
