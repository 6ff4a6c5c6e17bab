"""Reservation slips: printed on A6 or A4, with the QR code served as SVG by its own route.

The QR code carries the registration's opaque `qr_token` and nothing else; the slip is
printed in Japanese (what residents read) unless `?lang=` asks for another language; then
the course, the venue and the way there are in that language too (the venue's Japanese
name beside it, as on its sign), or in Japanese where the ward has not translated them.
"""

from __future__ import annotations

from typing import NamedTuple

import qrcode
import qrcode.image.svg
from flask import Response, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from classroom.models import Device, RegistrationStatus
from classroom.services import audit
from content.loader import load_settings, settings_path
from content.model import fallback_chain

from ..access import current_actor, registration_or_404
from ..database import db_session, writes
from .blueprint import bp

#: paper sizes the slip is laid out for; the first is the default
SLIP_SIZES = ("a6", "a4")
#: languages a slip can be printed in; residents read Japanese first
SLIP_LANGUAGES = ("ja", "en")


def qr_svg(payload: str) -> bytes:
    """A QR code as SVG (medium error correction, the 4-module quiet zone kept)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(payload)
    return code.make_image().to_string(encoding="utf-8")


class Shown(NamedTuple):
    """A text as the slip prints it, and the language it is written in (for `lang`)."""

    text: str
    language: str


def in_language(japanese: str, translations: dict | None, language: str) -> Shown:
    """`japanese` or its translation into `language`; the Japanese where there is none —
    never a third language."""
    values = {"ja": japanese or "", **(translations or {})}
    for code in fallback_chain(language):
        if values.get(code):
            return Shown(values[code], code)
    return Shown("", "ja")


def ward_contact(language: str) -> dict[str, str]:
    """The ward's name, phone and hours from the content settings (ward.*)."""
    settings = load_settings(settings_path())
    found = {}
    for key in ("name", "phone", "office_hours"):
        if settings.has_value(f"ward.{key}"):
            found[key] = settings.value_in(f"ward.{key}", language)
    return found


@bp.route("/registrations/<int:registration_id>/qr.svg")
def slip_qr(registration_id: int):
    registration = registration_or_404(registration_id)
    response = make_response(qr_svg(registration.qr_token))
    response.headers["Content-Type"] = "image/svg+xml"
    return response


@bp.route("/registrations/<int:registration_id>/slip")
@writes
def slip(registration_id: int) -> Response | tuple[str, int]:
    """The slip to hand or post to the resident; `?size=a6|a4`, `?lang=ja|en`."""
    registration = registration_or_404(registration_id)
    size = request.args.get("size", SLIP_SIZES[0])
    size = size if size in SLIP_SIZES else SLIP_SIZES[0]
    language = request.args.get("lang", SLIP_LANGUAGES[0])
    language = language if language in SLIP_LANGUAGES else SLIP_LANGUAGES[0]
    if registration.status != RegistrationStatus.CONFIRMED:
        # a slip admits to the class: only a confirmed seat gets one
        message = _(
            "Only a confirmed registration has a slip. This one is: %(status)s.",
            status=_(registration.status.label),
        )
        return render_template("errors/error.html", code=409, message=message), 409
    audit.record(
        db_session(),
        current_actor(),
        "registration.slip",
        participant_id=registration.participant_id,
        subject_type="registration",
        subject_id=registration.id,
        details={"size": size},
    )
    session = registration.session
    venue = session.venue
    with force_locale(language):
        return render_template(
            "office/slip.html",
            registration=registration,
            session=session,
            venue=venue,
            # in the slip's language beside the Japanese venue name: what the sign says
            course_title=in_language(
                session.course.title, session.course.title_translations, language
            ),
            venue_name=in_language(venue.name, venue.name_translations, language),
            venue_access=in_language(venue.access, venue.access_translations, language)
            if venue.access
            else Shown("", "ja"),
            size=size,
            sizes=SLIP_SIZES,
            page_language=language,
            lang=language,
            contact=ward_contact(language),
            loaner=registration.participant.device == Device.NONE
            and session.venue.loaner_phones > 0,
        )
