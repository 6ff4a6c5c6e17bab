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


def local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def date_label(value: datetime | None) -> str:
    """11月26日（木）"""
    if value is None:
        return ""
    value = local(value)
    if str(get_locale()).startswith("ja"):
        return f"{value.month}月{value.day}日（{_WEEKDAYS_JA[value.weekday()]}）"
    return format_datetime(value, "EEE d MMM")


def time_range(start: datetime | None, end: datetime | None) -> str:
    """14:00〜15:30"""
    if start is None:
        return ""
    text = local(start).strftime("%H:%M")
    if end is not None:
        text += ("〜" if str(get_locale()).startswith("ja") else "–") + local(end).strftime("%H:%M")
    return text


def when(start: datetime | None, end: datetime | None = None) -> str:
    """11月26日（木）14:00〜15:30"""
    if start is None:
        return ""
    separator = "" if str(get_locale()).startswith("ja") else ", "
    return f"{date_label(start)}{separator}{time_range(start, end)}"


def label(member) -> str:
    """The translated title of a LabelledEnum member."""
    return _(member.label) if member is not None else ""


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
