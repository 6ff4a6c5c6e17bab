"""Where a resident pressed 職員を呼ぶ, in words staff understand.

The kiosk sends the screen as ``name[:guide_id[:step/total]]`` (``guide:juminhyo:3/7``,
``guide_checklist:juminhyo``, ``phone``): never anything the resident typed. The board
shows 「住民票の写しをオンラインで申し込む 手順3/7」 rather than the raw text; a screen it
does not know is named as "another screen" with its code, so nothing is hidden.
"""

from __future__ import annotations

import re

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import content_source

#: the kiosk's screens a call can come from, in words (booking screens say so)
SCREEN_WORDS = {
    "home": _l("Home screen"),
    "guides": _l("List of procedures"),
    "finder": _l("Choosing a procedure"),
    "faq": _l("Questions and answers"),
    "notice": _l("A message screen"),
    "please_wait": _l("The please-wait screen"),
    "sessions": _l("Class booking: the list of classes"),
    "consent": _l("Class booking: the consent to personal data"),
    "name": _l("Class booking: typing the name"),
    "phone": _l("Class booking: typing the phone number"),
    "birth": _l("Class booking: choosing the birth year"),
    "device": _l("Class booking: choosing the phone"),
    "confirm": _l("Class booking: checking the booking"),
    "result": _l("Class booking: the result"),
    "staff_pin": _l("The staff PIN screen"),
}
#: the parts of a guide, with %(guide)s the guide's title
GUIDE_PARTS = {
    "guide_overview": _l("%(guide)s: what to bring and the fee"),
    "guide_checklist": _l("%(guide)s: the checks before starting"),
    "guide_handoff": _l("%(guide)s: the QR code for the phone"),
}
_STEP = re.compile(r"^(\d{1,3})/(\d{1,3})$")


def _content_language() -> str:
    return "ja" if str(get_locale() or "ja").startswith("ja") else "en"


def _guide_title(guide_id: str) -> str:
    try:
        guide = content_source.catalog().guides.get(guide_id)
    except Exception:  # the board must show the call even when the content cannot be read
        guide = None
    return guide.title.get(_content_language()) if guide is not None else guide_id


def _faq_title(topic_id: str) -> str:
    try:
        topic = content_source.catalog().faq.get(topic_id)
    except Exception:
        topic = None
    return topic.title.get(_content_language()) if topic is not None else topic_id


def screen_in_words(screen: str | None) -> str:
    """``guide:juminhyo:3/7`` → 「住民票の写しをオンラインで申し込む 手順3/7」; "" → "—"."""
    if not screen:
        return "—"
    name, _sep, rest = screen.partition(":")
    if name == "guide" and rest:
        guide_id, _sep, step = rest.partition(":")
        title = _guide_title(guide_id)
        match = _STEP.match(step)
        if match:
            return _(
                "%(guide)s, step %(number)s of %(total)s",
                guide=title,
                number=match.group(1),
                total=match.group(2),
            )
        return title
    if name in GUIDE_PARTS and rest:
        return str(GUIDE_PARTS[name]) % {"guide": _guide_title(rest)}
    if name == "faq" and rest:
        return _("Questions and answers: %(topic)s", topic=_faq_title(rest))
    if name in SCREEN_WORDS:
        return str(SCREEN_WORDS[name])
    return _("Another screen (%(code)s)", code=screen)
