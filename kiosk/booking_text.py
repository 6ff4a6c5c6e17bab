"""What the booking screens say about a session or an answer, without Kivy."""

from __future__ import annotations

import datetime

from kiosk.i18n import N_, gettext_in
from languages.clock import ward_zone
from languages.wareki import wareki_of_day

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
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(ward_zone())


def _day(moment: datetime.datetime, language: str) -> str:
    """12月3日（木） / Thu 3 Dec / 12월 3일 (목) / 12月3日（周四）."""
    weekday = moment.weekday()
    if language == "en":
        return f"{_WEEKDAYS['en'][weekday]} {moment.day} {_MONTHS_EN[moment.month - 1]}"
    if language == "ko":
        return f"{moment.month}월 {moment.day}일 ({_WEEKDAYS['ko'][weekday]})"
    if language == "zh-Hans":
        return f"{moment.month}月{moment.day}日（周{_WEEKDAYS['zh-Hans'][weekday]}）"
    return f"{moment.month}月{moment.day}日（{_WEEKDAYS['ja'][weekday]}）"


def when(session: dict, language: str) -> str:
    """12月3日（木） 10:00〜11:30 / Thu 3 Dec, 10:00–11:30, in the ward's time."""
    day = _day(_local(session["starts_at"]), language)
    return f"{day}{',' if language == 'en' else ''} {hours(session, language)}"


def _localised(default: str, others: dict | None, language: str) -> str:
    """The text in ``language`` (やさしい日本語 too), else the Japanese one — never a third
    language."""
    if language == "ja":
        return default
    return (others or {}).get(language) or default


def title(session: dict, language: str) -> str:
    course = session.get("course") or {}
    return _localised(course.get("title", ""), course.get("titles"), language)


def venue(session: dict, language: str) -> str:
    """The venue's name; a translation comes with the Japanese name beside it, which is
    what the sign on the building says: "Central Library（中央図書館）"."""
    place = session.get("venue") or {}
    name = place.get("name", "")
    shown = _localised(name, place.get("names"), language)
    return f"{shown}（{name}）" if shown != name and name else shown


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
        return gettext_in("Waiting list: you are number %(position)d.", language) % {
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
    "waitlisted": "If a seat becomes free, the office will phone you.",
    "applied": "The office will tell you the result after the lottery.",
    "pending": "This kiosk cannot reach the office right now. Your application is saved "
    "and will be sent automatically when the connection is back. "
    "Please ask at the counter to check your booking.",
    "failed": "Please ask the staff. They can book for you.",
}


# -- availability: the server's word (classroom.services.availability), only shown here ---

#: what a class's availability state says on the kiosk (English msgids)
AVAILABILITY = {
    "open": N_("%(count)d seats left"),
    "waitlist": N_("Full: you can join the waiting list"),
    "lottery": N_("Lottery: apply by %(date)s"),
    "closed": N_("Applications have closed"),
}


def bookable(session: dict) -> bool:
    """What the server said: False only for a closed class (old servers: always True)."""
    return bool((session.get("availability") or {}).get("bookable", True))


def _short_date(stamp: str, language: str) -> str:
    day = _local(stamp)
    return f"{_day(day, language)} {day:%H:%M}"


def availability(session: dict, language: str) -> str:
    """残り3席 / 満席：キャンセル待ちできます / 抽選：12月1日（月） 17:00まで / 受付終了."""
    found = session.get("availability")
    if not found:
        return seats(session, language)
    state = found.get("state")
    if state == "open":
        count = int(session.get("seats_left") or 0)
        return gettext_in(AVAILABILITY["open"], language) % {"count": count}
    if state == "lottery" and found.get("deadline"):
        date = _short_date(found["deadline"], language)
        return gettext_in(AVAILABILITY["lottery"], language) % {"date": date}
    return gettext_in(AVAILABILITY.get(state, AVAILABILITY["closed"]), language)


# -- what was booked, for the result screen, the slip and speech ------------------------

_MONTHS_LONG_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS_LONG = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
    "zh-Hans": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
}


def wareki(day: datetime.date) -> str:
    """令和8年 (令和元年 for the first year)."""
    return wareki_of_day(day)


def long_date(session: dict, language: str) -> str:
    """2026年（令和8年）12月3日（木） / Thursday 3 December 2026, in the ward's time."""
    day = _local(session["starts_at"]).date()
    weekday = day.weekday()
    if language == "en":
        month = _MONTHS_LONG_EN[day.month - 1]
        return f"{_WEEKDAYS_LONG['en'][weekday]} {day.day} {month} {day.year}"
    if language == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일 ({_WEEKDAYS_LONG['ko'][weekday]})"
    if language == "zh-Hans":
        return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS_LONG['zh-Hans'][weekday]}）"
    return f"{day.year}年（{wareki(day)}）{day.month}月{day.day}日（{_WEEKDAYS['ja'][weekday]}）"


def hours(session: dict, language: str) -> str:
    """10:00〜11:30 (10:00–11:30 in English)."""
    start, end = _local(session["starts_at"]), _local(session["ends_at"])
    return f"{start:%H:%M}{'–' if language == 'en' else '〜'}{end:%H:%M}"


def place(session: dict, language: str) -> str:
    """The venue's name, then its address and how to get there, one per line."""
    where = session.get("venue") or {}
    access = _localised(where.get("access", ""), where.get("accesses"), language)
    lines = [venue(session, language), where.get("address", ""), access]
    return "\n".join(line for line in lines if line)


#: what to bring to a class: the office's slip says the same (web/office/templates/office/slip.html)
BRING = (
    N_("Your smartphone"),
    N_("Its charger"),
    N_("A note of your passwords (Apple ID or Google account, and the phone's passcode)"),
)
LOANER = N_("No smartphone? The venue lends you one for the class.")


#: the same, short, for the screen (the slip lists it in full)
BRING_SHORT = (N_("Your smartphone and its charger"), N_("A note of your passwords"))
LOANER_SHORT = N_("No smartphone? The venue lends you one.")


def bring_short(session: dict, language: str, device: str = "") -> str:
    """What to bring as one short line for the screen: スマホと充電器、パスワードのメモ."""
    items = [gettext_in(item, language) for item in BRING_SHORT]
    if (session.get("venue") or {}).get("lends_phones") and device in ("", "none"):
        items.append(gettext_in(LOANER_SHORT, language))
    return ("、" if language in ("ja", "ja-easy", "zh-Hans") else ", ").join(items)


def what_to_bring(session: dict, language: str, device: str = "") -> list[str]:
    """The things to bring; a loaner phone where the venue lends one and none was named."""
    items = [gettext_in(item, language) for item in BRING]
    if (session.get("venue") or {}).get("lends_phones") and device in ("", "none"):
        items.append(gettext_in(LOANER, language))
    return items


def code_label(status: str) -> str:
    """An admission code for a seat; a number for the office otherwise (English msgid)."""
    return N_("Reservation code") if status == "confirmed" else N_("Your application number")


def format_code(code: str) -> str:
    """ABC-DEF in groups of three, as the office's and the public site's slips write it.

    (classroom.services.codes.format_code is the same rule on the server side: a resident
    comparing the kiosk's screen or printed slip with the web slip sees the same code.)
    """
    code = code.replace("-", "")
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3)) if code else ""


#: what each row of ``details`` is, in order (the code row comes last when there is one)
DETAIL_KINDS = ("class", "date", "time", "place", "bring", "code")


def details(session: dict, result: dict, language: str, device: str = "") -> list[tuple[str, str]]:
    """(label, value) rows of what was booked: class, date, time, place, what to bring, code."""
    tr = gettext_in
    rows = [
        (tr("Class", language), title(session, language)),
        (tr("Date", language), long_date(session, language)),
        (tr("From – to", language), hours(session, language)),
        (tr("Place", language), place(session, language)),
    ]
    status = str(result.get("status") or "")
    if status in ("confirmed", "waitlisted", "applied"):
        bring = what_to_bring(session, language, device)
        rows.append((tr("What to bring", language), "\n".join(f"・{item}" for item in bring)))
    if result.get("code"):
        rows.append((tr(code_label(status), language), format_code(str(result["code"]))))
    return rows


#: what the result says after its heading, by status (English msgids); the waitlisted one
#: says there is no seat, that the office phones, and asks nobody to show anything
RESULT_LINES = {
    "confirmed": (N_("Please come to the venue on the day. Show this code at reception."),),
    "waitlisted": (
        N_("There is no seat for you yet."),
        N_("If a seat becomes free, the office will phone you."),
        N_("Please come to the class only after that call."),
    ),
    "applied": (N_("The office will tell you the result after the lottery."),),
}


def result_lines(result: dict, language: str) -> list[str]:
    """The result screen's sentences under its heading (NEXT_STEPS for the others)."""
    status = str(result.get("status") or "")
    found = RESULT_LINES.get(status) or (NEXT_STEPS.get(status, NEXT_STEPS["failed"]),)
    return [gettext_in(line, language) for line in found]


def spoken_result(session: dict | None, result: dict, language: str, device: str = "") -> list[str]:
    """What 読み上げ says on the result screen: the heading, the sentences, every row."""
    texts = [status_heading(result, language), *result_lines(result, language)]
    if session and result.get("status") in ("confirmed", "waitlisted", "applied"):
        for label, value in details(session, result, language, device):
            texts += [label, value.replace("\n", "、" if language.startswith("ja") else ", ")]
    return texts


#: statuses whose result repeats the booking and gets a slip
PRINTED = ("confirmed", "waitlisted", "applied")
#: what the result screen says about the slip, by ``ResultScreen.printing``
PRINT_STATES = {
    "printing": N_("Your slip is printing. Please take it from the printer."),
    "printed": N_("Your slip is printed. Please take it from the printer."),
    "failed": N_("The slip could not be printed. Please ask the staff."),
}
#: under the スマホに送る QR
SEND_HINT = N_(
    "Scan this with your phone's camera: the class's date, time and place open on your phone."
)
