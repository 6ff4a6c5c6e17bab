"""What the booking screens say about a session or an answer, without Kivy."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from kiosk.i18n import gettext_in

WARD_TIME = ZoneInfo("Asia/Tokyo")
_WEEKDAYS = {
    "ja": "月火水木金土日",
    "zh-Hans": "一二三四五六日",
    "ko": "월화수목금토일",
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
#: the booking's steps, for the "3 / 6" counter
STEPS = ("sessions", "consent", "name", "phone", "birth", "device", "confirm")


def counter(screen_name: str, with_device: bool = False) -> str:
    """The step counter of a booking screen: "3 / 6" (7 steps when the phone is asked)."""
    steps = [s for s in STEPS if with_device or s != "device"]
    return f"{steps.index(screen_name) + 1} / {len(steps)}"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(stamp: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(WARD_TIME)


def when(session: dict, language: str) -> str:
    """12月3日（木） 10:00〜11:30 / Thu 3 Dec, 10:00–11:30, in the ward's time."""
    start, end = _local(session["starts_at"]), _local(session["ends_at"])
    hours = f"{start:%H:%M}〜{end:%H:%M}" if language != "en" else f"{start:%H:%M}–{end:%H:%M}"
    weekday = start.weekday()
    if language == "en":
        return f"{_WEEKDAYS['en'][weekday]} {start.day} {_MONTHS_EN[start.month - 1]}, {hours}"
    if language == "ko":
        return f"{start.month}월 {start.day}일 ({_WEEKDAYS['ko'][weekday]}) {hours}"
    if language == "zh-Hans":
        return f"{start.month}月{start.day}日（周{_WEEKDAYS['zh-Hans'][weekday]}） {hours}"
    return f"{start.month}月{start.day}日（{_WEEKDAYS['ja'][weekday]}） {hours}"


def _localised(default: str, others: dict | None, language: str) -> str:
    if language in ("ja", "ja-easy"):
        return default
    return (others or {}).get(language) or (others or {}).get("en") or default


def title(session: dict, language: str) -> str:
    course = session.get("course") or {}
    return _localised(course.get("title", ""), course.get("titles"), language)


def venue(session: dict, language: str) -> str:
    place = session.get("venue") or {}
    return _localised(place.get("name", ""), place.get("names"), language)


def seats(session: dict, language: str) -> str:
    """残り3席 / 満席（キャンセル待ち） / 抽選: how a resident may still get in."""
    if session.get("booking_mode") == "lottery":
        return gettext_in("Lottery", language)
    left = int(session.get("seats_left") or 0)
    if left <= 0:
        return gettext_in("Full: waiting list", language)
    return gettext_in("%(count)d seats left", language) % {"count": left}


def status_heading(result: dict, language: str) -> str:
    """The big line of the result screen."""
    status = result.get("status")
    if status == "confirmed":
        return gettext_in("You are booked.", language)
    if status == "waitlisted":
        return gettext_in("You are on the waiting list: number %(position)d.", language) % {
            "position": int(result.get("position") or 0)
        }
    if status == "applied":
        return gettext_in("You have applied for the lottery.", language)
    if status == "pending":
        return gettext_in("Received (pending)", language)
    return gettext_in("The booking could not be made.", language)


#: what happens next, by status (English msgids)
NEXT_STEPS = {
    "confirmed": "Please come to the venue on the day. Show this code at reception.",
    "waitlisted": "If a seat becomes free, the office will call you.",
    "applied": "The office will tell you the result after the lottery.",
    "pending": "This kiosk cannot reach the office right now. Your application is saved "
    "and will be sent automatically when the connection is back. "
    "Please ask at the counter to check your booking.",
    "failed": "Please ask the staff. They can book for you.",
}
