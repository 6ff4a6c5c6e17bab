"""The ward's clock: the time zone where its days, months and fiscal years begin.

One place for every room (the domain core, content review, the web and the kiosk): the
``TSUNAGU_TIMEZONE`` setting, else Asia/Tokyo, read when asked so a deployment or a test
may set it. Times are stored and sent in UTC; they are shown, and days are counted, here.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: the ward's time zone when TSUNAGU_TIMEZONE is not set
DEFAULT_TIMEZONE = "Asia/Tokyo"


def ward_zone() -> ZoneInfo:
    """The ward's time zone (TSUNAGU_TIMEZONE, else Asia/Tokyo)."""
    return ZoneInfo(os.environ.get("TSUNAGU_TIMEZONE") or DEFAULT_TIMEZONE)


def ward_today(now: datetime | None = None) -> date:
    """The ward's date at ``now`` (default: this moment), not the machine's or UTC's."""
    return (now or datetime.now(UTC)).astimezone(ward_zone()).date()
