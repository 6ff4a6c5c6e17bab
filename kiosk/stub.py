"""Made-up sessions and visits for screenshots and development (no server, no real person)."""

from __future__ import annotations


def _session(
    number: int,
    day: int,
    hour: int,
    title: str,
    title_en: str,
    seats: int,
    mode: str = "first_come",
    track: str = "iphone",
) -> dict:
    return {
        "id": number,
        "course": {
            "code": f"course-{number}",
            "title": title,
            "titles": {"en": title_en},
            "kind": "intro",
            "device_track": track,
        },
        "venue": {
            "name": "中央図書館 2階 研修室",
            "names": {"en": "Central Library, 2F room"},
            "address": "つなぐ区中央1-2-3",
            "access": "つなぐ駅 東口から歩いて5分",
            "lends_phones": True,
        },
        "starts_at": f"2026-12-{day:02d}T{hour - 9:02d}:00:00Z",
        "ends_at": f"2026-12-{day:02d}T{hour - 8:02d}:30:00Z",
        "capacity": 10,
        "seats_left": seats,
        "booking_mode": mode,
        "application_deadline": "2026-12-01T08:00:00Z" if mode == "lottery" else None,
        "availability": {
            "state": "lottery" if mode == "lottery" else ("open" if seats else "waitlist"),
            "bookable": True,
            "reason": None,
            "deadline": "2026-12-01T08:00:00Z" if mode == "lottery" else None,
        },
        "public_path": f"/classes/{number}",
    }


SESSIONS: list[dict] = [
    _session(12, 3, 10, "スマホ入門（iPhone）", "Smartphone introduction (iPhone)", 3),
    _session(
        13, 5, 14, "スマホ入門（Android）", "Smartphone introduction (Android)", 0, track="android"
    ),
    _session(
        14,
        10,
        10,
        "マイナンバーカードをスマホで使う",
        "Using your My Number Card on a smartphone",
        6,
        mode="lottery",
    ),
    _session(
        15, 12, 13, "LINEで家族と連絡", "Keeping in touch with family on LINE", 8, track="any"
    ),
]

#: a visit as far as the confirm screen (a made-up person)
VISIT = {
    "session": SESSIONS[0],
    "consent": True,
    "reading": "ヤマダ\u3000ハナコ",
    "phone_digits": "09000000001",
    "era": "昭和",
    "year_digits": "23",
    "birth_year": 1948,
}

RESULTS: dict[str, dict] = {
    "confirmed": {
        "status": "confirmed",
        "position": None,
        "code": "K7M4Q2",
        "qr_token": "tsunagu:K7M4Q2:9f2c1e7a4b",
    },
    "waitlisted": {
        "status": "waitlisted",
        "position": 2,
        "code": "H3T8W5",
        "qr_token": "tsunagu:H3T8W5:1a2b3c4d5e",
    },
    "pending": {"status": "pending"},
}

#: bookings as the server answers 予約の確認 (docs/kiosk-api.md "Your own booking")
BOOKINGS: dict[str, dict] = {
    "booked": {
        "code": "K7M4Q2",
        "status": "booked",
        "position": None,
        "cancellable": True,
        "session": SESSIONS[0],
    },
    "lost": {
        "code": "H3T8W5",
        "status": "lottery_lost",
        "position": 2,
        "cancellable": True,
        "session": SESSIONS[2],
    },
    "cancelled": {
        "code": "K7M4Q2",
        "status": "cancelled",
        "position": None,
        "cancellable": False,
        "session": SESSIONS[0],
    },
}
