"""How dates, times and codes look on the staff pages: Tokyo time, Japanese style."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from classroom.services.codes import format_code
from languages.wareki import wareki_year

_WEEKDAYS_JA = "月火水木金土日"


def _ja() -> bool:
    return str(get_locale()).startswith("ja")


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local(value: datetime) -> datetime:
    return value.astimezone(_zone())


def _date_text(value: datetime, ja: bool) -> str:
    """`value` already in the ward's time zone."""
    if ja:
        return f"{value.month}月{value.day}日（{_WEEKDAYS_JA[value.weekday()]}）"
    return format_datetime(value, "EEE d MMM")


def _times_text(start: datetime, end: datetime | None, ja: bool) -> str:
    """Both already in the ward's time zone; the same as strftime("%H:%M"), without its cost."""
    text = f"{start.hour:02d}:{start.minute:02d}"
    if end is not None:
        text += f"{'〜' if ja else '–'}{end.hour:02d}:{end.minute:02d}"
    return text


def date_label(value: datetime | None) -> str:
    """11月26日（木）"""
    if value is None:
        return ""
    return _date_text(local(value), _ja())


def time_range(start: datetime | None, end: datetime | None) -> str:
    """14:00〜15:30"""
    if start is None:
        return ""
    zone = _zone()
    return _times_text(
        start.astimezone(zone), end.astimezone(zone) if end is not None else None, _ja()
    )


def when(start: datetime | None, end: datetime | None = None) -> str:
    """11月26日（木）14:00〜15:30"""
    if start is None:
        return ""
    return _when_text(start, end, _ja(), _zone())


def _when_text(start: datetime, end: datetime | None, ja: bool, zone: ZoneInfo) -> str:
    start = start.astimezone(zone)
    end = end.astimezone(zone) if end is not None else None
    return f"{_date_text(start, ja)}{'' if ja else ', '}{_times_text(start, end, ja)}"


def label(member) -> str:
    """The translated title of a LabelledEnum member."""
    return _(member.label) if member is not None else ""


class PageFormat:
    """The filters above for a page of many rows (the coordinator's 149 classes, a roster of
    60): the language and the time zone are looked up once, and each distinct date, label or
    fixed text is formatted or translated once, not once per row. Made per render: a page
    shown in another language (force_locale) makes its own. The text is the filters'."""

    def __init__(self) -> None:
        self.ja = _ja()
        self.zone = _zone()
        self._dates: dict = {}
        self._labels: dict = {}

    def date_label(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return self._date(value.astimezone(self.zone))

    def _date(self, value: datetime) -> str:
        key = (value.year, value.month, value.day)
        text = self._dates.get(key)
        if text is None:
            text = self._dates[key] = _date_text(value, self.ja)
        return text

    def when(self, start: datetime | None, end: datetime | None = None) -> str:
        if start is None:
            return ""
        start = start.astimezone(self.zone)
        end = end.astimezone(self.zone) if end is not None else None
        return f"{self._date(start)}{'' if self.ja else ', '}{_times_text(start, end, self.ja)}"

    def label(self, member) -> str:
        if member is None:
            return ""
        text = self._labels.get(member.label)  # the msgid: two enums may share a value
        if text is None:
            text = self._labels[member.label] = _(member.label)
        return text

    def choices(self, enum_cls) -> list[tuple]:
        """(member, its value, its label) for each member of a LabelledEnum, for a loop
        inside a loop (an enum member's .value is a slow descriptor)."""
        return [(member, member.value, self.label(member)) for member in enum_cls]

    def labels(self, members, separator: str = "、") -> str:
        """`members|map('label')|join(separator)`"""
        return separator.join(self.label(m) for m in members)


def birth_year(year: int | None) -> str:
    """1948（昭和23年）: the Western year staff type, with the era residents say."""
    if year is None:
        return ""
    era = wareki_year(year, str(get_locale()))
    return (
        f"{year}（{era}）"
        if era and str(get_locale()).startswith("ja")
        else (f"{year} ({era})" if era else str(year))
    )


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date_label=date_label,
        when=lambda s, e=None: when(s, e),
        label=label,
        code=format_code,
        time_range=time_range,
        birth_year=birth_year,
    )
