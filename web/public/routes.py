"""The public pages: thin views over classroom.services and the content catalog.

Nothing here reads or shows personal data: a class shows its seats left, never who
registered or who teaches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from itertools import groupby
from typing import NamedTuple

from babel.dates import format_skeleton
from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from classroom.models import ClassSession, DeviceTrack, SessionState, utcnow
from classroom.services import availability as availability_service
from classroom.services import sessions as session_service
from content import furigana as furigana_lib
from content.loader import Catalog
from content.model import Guide, Text, lacks_language
from languages.wareki import wareki_of_day

from .. import content_source
from ..database import db_session
from ..formatting import date_label, local, time_range
from ..qr import qr_svg
from ..redirects import safe_next
from . import language
from .blueprint import bp

#: device tracks a visitor can filter by; "any phone" classes show under each of them
DEVICE_FILTERS = (DeviceTrack.IPHONE, DeviceTrack.ANDROID, DeviceTrack.SENIOR)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# ---------------------------------------------------------------- page helpers


def catalog() -> Catalog:
    """The content catalog (parsed files are cached by the loader)."""
    if "public_catalog" not in g:
        g.public_catalog = content_source.catalog()
    return g.public_catalog


def shown(
    text: Text | Mapping[str, str] | None, readings: Mapping[str, str] | None = None
) -> Markup:
    """`text` in the visitor's language (content fallbacks), escaped; a `lang` attribute
    where the fallback is another language; `<ruby>` readings when furigana are on."""
    if text is None:
        return Markup("")
    values = dict(text.values if isinstance(text, Text) else text)
    page = language.current()
    code = language.written_in(values, page.code)
    value = values.get(code, "")
    if g.get("public_furigana") and code in ("ja", "ja-easy") and readings is not None:
        body = Markup(furigana_lib.to_html(furigana_lib.segments(value, readings)))
    else:
        body = escape(value)
    lang = language.html_lang(code)
    if lang != page.html_lang:
        return Markup('<span lang="{}">{}</span>').format(lang, body)
    return body


def setting(path: str) -> Mapping[str, str] | None:
    """A ward setting as language values ({"ja": ...}), or None when the ward has not set it."""
    settings = content_source.settings()
    if not settings.has_value(path):
        return None
    value = settings.lookup(path)
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return {"ja": str(value)}


class Contact(NamedTuple):
    """How to apply for a class or ask the ward: all from the ward's content settings."""

    phone: str | None
    tel: str | None
    hours: Mapping[str, str] | None
    counter: Mapping[str, str] | None


def contact() -> Contact:
    settings = content_source.settings()
    phone = None
    for path in ("phones.digital_support", "ward.phone"):
        if settings.has_value(path):
            phone = settings.value_in(path, "ja")
            break
    tel = "tel:" + re.sub(r"[^0-9+]", "", phone) if phone else None
    return Contact(phone, tel, setting("ward.office_hours"), setting("counters.digital_support"))


def course_title(course) -> dict[str, str]:
    return {"ja": course.title, **(course.title_translations or {})}


def venue_name(venue) -> dict[str, str]:
    return {"ja": venue.name, **(venue.name_translations or {})}


def venue_access(place) -> dict[str, str]:
    """How to get to a venue, by language: the Japanese line (the record) and its
    translations. Empty without a Japanese line: a translation never stands in for it, so
    a reader of a language it lacks gets nothing rather than a third language."""
    if not (place.access or "").strip():
        return {}
    translated = {k: v for k, v in (place.access_translations or {}).items() if v}
    return {"ja": place.access, **translated}


def venue(place) -> Markup:
    """A venue's name in the visitor's language with the Japanese name beside it — the
    name on the building's sign (やさしい日本語 too); just the Japanese name when that is
    what is shown."""
    names = venue_name(place)
    code = language.written_in(names, language.current().code)
    if code == "ja":
        return shown(names)
    if language.current().html_lang == "ja":
        return Markup("{}（{}）").format(shown(names), place.name)
    return Markup('{}（<span lang="ja">{}</span>）').format(shown(names), place.name)


def day_label(value: datetime) -> str:
    """11月26日（木） in Japanese (web.formatting); the locale's own short date elsewhere:
    Thu 26 Nov, 11月26日周四, 11월 26일 (목)."""
    if str(get_locale()).startswith("ja"):
        return date_label(value)
    return format_skeleton("MMMEd", local(value), locale=get_locale())


def when(start: datetime, end: datetime | None = None) -> str:
    """11月26日（木）14:00〜15:30, or the locale's date with a 24-hour time range."""
    separator = "" if str(get_locale()).startswith("ja") else ", "
    return f"{day_label(start)}{separator}{time_range(start, end)}"


def month_label(year: int, month: int) -> str:
    """令和8年12月 in Japanese (the era residents count in); December 2026 / 2026年12月 /
    2026년 12월 in the other languages."""
    if language.current().html_lang == "ja":
        return f"{wareki_of_day(date(year, month, 1))}{month}月"
    return format_skeleton("yMMMM", datetime(year, month, 1), locale=get_locale())


class Seats(NamedTuple):
    """What a class's seats look like to a resident: a symbol, a class name and the words."""

    kind: str
    symbol: str
    text: str


def seats(session: ClassSession, now: datetime) -> Seats:
    """Seats left, full (waiting list), or the lottery and its deadline — in words.

    Whether a class can be booked is classroom.services.availability's answer, the same
    the kiosk gets from the API.
    """
    found = availability_service.availability(session, now)
    if found.state == availability_service.LOTTERY:
        return Seats(
            "lottery", "◇", _("Lottery — apply by %(date)s", date=day_label(found.deadline))
        )
    if found.state == availability_service.CLOSED:
        if found.reason == availability_service.DEADLINE_PASSED:
            return Seats("closed", "×", _("Lottery — applications have closed"))
        return Seats("closed", "×", _("Applications have closed"))
    left = found.seats_left
    if found.state == availability_service.WAITLIST:
        return Seats("full", "×", _("Full — you can join the waiting list"))
    if left <= 2:
        return Seats(
            "few", "△", ngettext("Only %(num)d seat left", "Only %(num)d seats left", left)
        )
    return Seats("open", "○", ngettext("%(num)d seat left", "%(num)d seats left", left))


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.context_processor
def _page_globals():
    page = language.current()
    return {
        "page_lang": page,
        "public_languages": language.LANGUAGES,
        "shown": shown,
        "ward_name": setting("ward.name") or {"ja": _("the ward")},
        "contact": contact(),
        "switch_url": _switch_url,
        "course_title": course_title,
        "venue_name": venue_name,
        "venue_access": venue_access,
        "venue_label": venue,
        "device_label": device_label,
        "when": when,
        "day_label": day_label,
    }


def device_label(key: str) -> str:
    """A step variant's device ("iphone") in the visitor's words."""
    try:
        return _(DeviceTrack(key).label)
    except ValueError:
        return key


def _switch_url(code: str) -> str:
    return url_for(
        "public.switch_language", code=code, next=safe_next(request.full_path.rstrip("?")) or "/"
    )


@bp.before_request
def _furigana_on():
    g.public_furigana = request.args.get("furigana") == "1" and language.current().code in (
        "ja",
        "ja-easy",
    )


@bp.after_request
def _varies_by_language(response):
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    response.headers.setdefault("Content-Language", language.current().html_lang)
    return response


# ---------------------------------------------------------------- the pages


@bp.route("/")
def schedule():
    """Upcoming classes by month; filters by month, venue, course and device (plain GET)."""
    now = utcnow()
    everything = session_service.upcoming_sessions(db_session(), now=now)
    device = request.args.get("device", "")
    device = device if device in {d.value for d in DEVICE_FILTERS} else ""
    course_id, venue_id = _int_arg("course"), _int_arg("venue")
    month = request.args.get("month", "")
    month = month if _MONTH.match(month) else ""

    def matches(s: ClassSession) -> bool:
        starts = local(s.starts_at)
        return (
            (course_id is None or s.course_id == course_id)
            and (venue_id is None or s.venue_id == venue_id)
            and (not device or s.course.device_track in (DeviceTrack(device), DeviceTrack.ANY))
            and (not month or f"{starts.year:04d}-{starts.month:02d}" == month)
        )

    shown_sessions = [s for s in everything if matches(s)]
    months = []
    for (year, mon), group in groupby(
        shown_sessions, key=lambda s: (local(s.starts_at).year, local(s.starts_at).month)
    ):
        rows = [(s, seats(s, now)) for s in group]
        months.append((f"{year:04d}-{mon:02d}", month_label(year, mon), rows))
    month_options = sorted(
        {(local(s.starts_at).year, local(s.starts_at).month) for s in everything}
    )
    return render_template(
        "public/schedule.html",
        months=months,
        count=len(shown_sessions),
        filtered=bool(course_id or venue_id or device or month),
        month_options=[(f"{y:04d}-{m:02d}", month_label(y, m)) for y, m in month_options],
        venue_options=sorted({s.venue_id: s.venue for s in everything}.items()),
        course_options=sorted({s.course_id: s.course for s in everything}.items()),
        device_options=DEVICE_FILTERS,
        chosen={"month": month, "venue": venue_id, "course": course_id, "device": device},
    )


@bp.route("/classes/<int:session_id>")
def class_page(session_id: int):
    """One class: when, where, seats left, how to apply, what to bring — nobody's name."""
    session = db_session().get(ClassSession, session_id)
    if session is None:
        abort(404)
    now = utcnow()
    found = availability_service.availability(session, now)
    upcoming = found.reason not in availability_service.OVER
    lessons = [
        catalog().lessons[i] for i in session.course.lesson_ids or [] if i in catalog().lessons
    ]
    return render_template(
        "public/class.html",
        session=session,
        upcoming=upcoming,
        cancelled=session.state == SessionState.CANCELLED,
        seats=seats(session, now) if upcoming else None,
        lessons=lessons,
        bring=what_to_bring(session),
    )


def what_to_bring(session: ClassSession) -> list[str]:
    """What a participant brings to a class; a loaner phone where the venue has some."""
    items = [
        _("Your own smartphone, charged."),
        _("The passcode that unlocks your phone's screen, if you know it."),
        _("Glasses or a hearing aid, if you use them."),
        _("A pen and a small notebook."),
    ]
    if session.venue.loaner_phones > 0:
        items.append(
            _(
                "No smartphone? The venue can lend you one for the class. "
                "Please say so when you apply."
            )
        )
    return items


@bp.route("/guides")
def guides():
    """The kiosk's guides, to read at home."""
    return render_template("public/guides.html", guides=catalog().active_guides)


@bp.route("/guides/<guide_id>")
def guide(guide_id: str):
    """One guide as the kiosk shows it, with the hand-off QR; withdrawn guides are gone."""
    found = catalog().guides.get(guide_id)
    if found is None or found.withdrawn:
        abort(404)
    return render_template("public/guide.html", **guide_context(found, catalog()))


def guide_context(found: Guide, content: Catalog) -> dict:
    """What public/guide.html shows for ``found``: the public page, and the content
    editor's preview of a draft (``found`` built from the draft's text; ``content`` the
    published catalog its lessons are looked up in)."""
    lessons = [content.lessons[i] for i in found.stuck.lessons if i in content.lessons]
    page = language.current()
    return dict(
        guide=found,
        lessons=lessons,
        # a text missing in the visitor's language shows in Japanese (never in a third
        # language); the page says so, in the visitor's language
        untranslated=page.code != "ja" and lacks_language(found.resident_texts(), page.code),
        illustration_url=illustration_url,
        qr=qr_svg(
            found.handoff.url,
            _("QR code: %(label)s", label=found.handoff.label.get(page.code)),
            css_class="qr__image",
        ),
        furigana_on=g.public_furigana,
        furigana_offered=page.code in ("ja", "ja-easy"),
    )


def page_globals() -> dict:
    """The names every public template uses (what the blueprint's context processor
    adds), for a page of another blueprint that renders a public template."""
    return _page_globals()


def illustration_url(illustration: str) -> str:
    """Where the browser loads a step's picture (content path media/x.svg): our own origin."""
    return url_for("public.guide_media", name=illustration.removeprefix("media/"))


#: a picture uploaded on the staff site, as web/editor/pictures.py names it
UPLOADED_PICTURE = re.compile(r"uploads/[0-9a-f]{8,64}\.(?:png|jpe?g)")


@bp.route("/guides/media/<path:name>")
def guide_media(name: str):
    """A guide step's illustration: one of our own SVG files from the content's media/, or
    a picture uploaded on the staff site (uploads/<hash>.png|.jpg, issue 18).

    Only those names inside media/ (send_from_directory refuses paths that leave it), with
    the type fixed by the extension and nosniff; the picture gets a CSP of its own that
    allows nothing, so even opened on its own it can never run anything.
    """
    if name.endswith(".svg"):
        mimetype = "image/svg+xml"
    elif UPLOADED_PICTURE.fullmatch(name):
        mimetype = "image/png" if name.endswith(".png") else "image/jpeg"
    else:
        abort(404)
    response = send_from_directory(catalog().root / "media", name, mimetype=mimetype, max_age=3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it without a <link> (feeds, old browsers)."""
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400
    )


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement: the target, what was tested, how to tell the ward."""
    return render_template("public/accessibility.html")


@bp.route("/language/<code>")
def switch_language(code: str):
    """Remember the visitor's language in a cookie and go back to the page they were on."""
    chosen = language.BY_CODE.get(code)
    if chosen is None:
        abort(404)
    response = redirect(safe_next(request.args.get("next")) or url_for("public.schedule"))
    g.public_language = chosen
    return language.set_cookie(response, chosen)


@bp.errorhandler(404)
def not_found(error):
    return render_template("public/not_found.html"), 404
