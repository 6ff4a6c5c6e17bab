"""Booking, checking and cancelling on the public site (issue 19): thin views over
classroom/services/self_service.py, whose rules the kiosk follows too.

No session cookie and no CSRF token, as on /ask: the pages act for no account (anyone
who could forge a post could post it himself), and a cookie would follow every visitor.
What a forged cross-site post could still do — book from many visitors' addresses — is
refused by `_same_site` (the browser's Origin / Sec-Fetch-Site headers). Idempotency is
the form's one-time token (classroom/services/form_tokens.py makes and checks it; the
booking keeps it as its unique idempotency key, so the registration itself is the record
of its use): a double tap or a resend books once and shows the first slip.

Abuse without a CAPTCHA: a honeypot field people never see, limits per address and per
phone and a daily cap per phone (self_service), each told in the visitor's language.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlsplit

from babel.dates import format_skeleton
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, RadioField, StringField

from classroom.db import MAX_ROW_ID
from classroom.models import ClassSession, Device, Registration, utcnow
from classroom.services import availability as availability_service
from classroom.services import form_tokens, self_service
from classroom.services.actor import Actor
from classroom.services.errors import DomainError, InvalidInput
from classroom.services.residents import PURPOSE_OF_COLLECTION
from languages.wareki import wareki_of_day

from ..database import db_session, refuse
from ..extensions import csrf
from ..formatting import local, time_range
from ..forms import Form, option
from ..qr import qr_svg
from . import language
from .blueprint import bp
from .routes import seats, what_to_bring

#: the kiosk's choice of phones, in the same order
DEVICES = (Device.IPHONE, Device.ANDROID, Device.SENIOR, Device.NONE)


class BookingForm(Form):
    """The kiosk's fields (reading, phone, year of birth, phone kind) and consent."""

    class Meta:
        csrf = False  # see the module docstring

    session_id = HiddenField()
    form_token = HiddenField()
    reading = StringField(_l("Your name in kana (reading)"))
    phone = StringField(_l("Phone number"))
    birth_year = StringField(_l("Year of birth"))
    #: checked by the booking's own rules with the other fields (validate_choice off: an
    #: unticked choice must not stop the form before the name, phone and consent are checked)
    device = RadioField(
        _l("Which phone will you bring?"),
        choices=[option(d.value, _l(d.label)) for d in DEVICES],
        validate_choice=False,
    )
    for_family = BooleanField(_l("I am applying for a family member"))
    contact_phone = StringField(_l("Your own phone number (optional)"))
    consent = BooleanField(_l("I have read how my information is used, and I agree"))
    #: the honeypot: hidden from people (and screen readers); scripts fill it in
    website = StringField(_l("Leave this field empty"))


class LookupForm(Form):
    class Meta:
        csrf = False

    code = StringField(_l("Reservation code"))
    phone = StringField(_l("Phone number"))


def _same_site() -> None:
    """Refuse a post another site's page made the visitor's browser send."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        abort(403)
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        sent = urlsplit(origin)
        if (sent.scheme, sent.netloc) != (request.scheme, request.host):
            abort(403)


def _message(error: DomainError) -> str:
    return error.translate(_)


def long_date(value: datetime) -> Markup:
    """令和8年12月3日（木） in Japanese; the locale's full date with 令和8年 beside it."""
    moment = local(value)
    era = wareki_of_day(moment.date())
    if language.current().html_lang == "ja":
        weekday = "月火水木金土日"[moment.weekday()]
        return Markup("{}{}月{}日（{}）").format(era, moment.month, moment.day, weekday)
    shown = format_skeleton("yMMMMEEEEd", moment, locale=get_locale())
    return Markup('{} (<span lang="ja">{}</span>)').format(shown, era)


def map_url(place) -> str | None:
    """A map search for the venue's address (a link: nothing loads from outside)."""
    if not (place.address or "").strip():
        return None
    return "https://www.openstreetmap.org/search?query=" + quote(place.address)


@bp.app_template_global()
def public_long_date(value: datetime) -> Markup:
    return long_date(value)


# ---------------------------------------------------------------- booking


def _bookable_session(session_id) -> ClassSession:
    text = str(session_id)
    session = None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ROW_ID:
        session = db_session().get(ClassSession, int(text))
    if session is None:
        abort(404)
    return session


def _apply_page(form: BookingForm, session: ClassSession, problem: str = "", status: int = 200):
    now = utcnow()
    found = availability_service.availability(session, now)
    return (
        render_template(
            "public/apply.html",
            form=form,
            session=session,
            open=found.bookable,
            seats=seats(session, now),
            lottery=session.booking_mode.value == "lottery",
            purpose=_(PURPOSE_OF_COLLECTION),
            problem=problem,
        ),
        status,
    )


@bp.route("/classes/<int:session_id>/apply")
def apply_form(session_id: int):
    """「申し込む」: the booking form of one class."""
    session = _bookable_session(session_id)
    form = BookingForm(formdata=None, session_id=session.id)
    form.form_token.data = form_tokens.new_token()
    return _apply_page(form, session)


@bp.post("/apply")
@csrf.exempt
def apply():
    """Book: the slip on success (303), else the form again with what to change."""
    _same_site()
    form = BookingForm(request.form)
    session = _bookable_session(form.session_id.data or "")
    token = form.form_token.data or ""
    if not form_tokens.valid(token):
        form.form_token.data = form_tokens.new_token()
        return _apply_page(form, session, _("This form came back damaged. Please send it again."))
    if form.website.data or not form.validate():
        # a script filled the hidden field: nothing is booked, and nothing says why
        refuse()
        form.form_token.data = form_tokens.new_token()
        return _apply_page(form, session, _("The form could not be sent. Please check it."))
    db = db_session()
    client = request.remote_addr or ""
    try:
        result = self_service.book_on_web(
            db,
            session_id=session.id,
            reading=form.reading.data or "",
            phone=form.phone.data or "",
            birth_year=form.birth_year.data or None,
            device=form.device.data or "",
            consent=bool(form.consent.data),
            for_family=bool(form.for_family.data),
            contact_phone=form.contact_phone.data or "",
            idempotency_key=f"web:{token}",
            client=client,
            secret=current_app.secret_key,
        )
    except (self_service.TooManyAttempts, self_service.DailyCapReached) as error:
        # counted and kept (nothing else was written); the same token may be sent again
        return _apply_page(form, session, _message(error), error.status)
    except InvalidInput as error:
        refuse()
        for name, problem in error.errors.items():
            if name in form:
                form[name].errors = [*form[name].errors, _message(problem)]
        return _apply_page(form, session, _("Please check the highlighted entries."), 422)
    except DomainError as error:
        refuse()
        return _apply_page(form, session, _message(error), 409)
    # a resend of the same form (same token) comes here too, with the first booking
    return redirect(url_for("public.slip", token=result.registration.qr_token), code=303)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/reservations/slip/<token>")
def slip(token: str):
    """The reservation slip, reached by its opaque QR token: printable, nobody's name."""
    if not 16 <= len(token) <= 64:
        abort(404)
    db = db_session()
    registration = db.scalar(select(Registration).where(Registration.qr_token == token))
    if registration is None:
        abort(404)
    view = self_service.view_of(db, registration)
    session = registration.session
    html = render_template(
        "public/slip.html",
        view=view,
        session=session,
        map_url=map_url(session.venue),
        bring=what_to_bring(session),
        qr=qr_svg(token, _("QR code for reception"), css_class="slip__qr"),
    )
    return _no_store(current_app.make_response(html))


# ---------------------------------------------------------------- check and cancel


@bp.route("/reservations")
def lookup_form():
    """「予約の確認・取り消し」: the code and the phone number."""
    return _no_store(current_app.make_response(_lookup_page(LookupForm(formdata=None))))


def _lookup_page(form: LookupForm, **shown) -> str:
    return render_template("public/lookup.html", form=form, **shown)


def _answer(form: LookupForm, work):
    """Run a look-up or cancel; the page for what came of it (never says which part is
    wrong)."""
    try:
        view = work()
    except self_service.TooManyAttempts as error:
        return _lookup_page(form, problem=_message(error)), 429
    except self_service.NotCancellable as error:
        refuse()
        return _lookup_page(form, problem=_message(error)), 409
    if view is None:
        return _lookup_page(form, problem=_not_found()), 200
    return None, view


def _not_found() -> str:
    return _(
        "No reservation matches this code and phone number. Please check both (the code is "
        "on your slip, 6 letters and digits)."
    )


@bp.post("/reservations")
@csrf.exempt
def lookup():
    """The booking for a code and phone (posted, so the phone stays out of the address)."""
    _same_site()
    form = LookupForm(request.form)
    form.validate()
    code, phone = form.code.data or "", form.phone.data or ""
    page, view = _answer(
        form,
        lambda: self_service.find_booking(
            db_session(),
            code,
            phone,
            client=request.remote_addr or "",
            secret=current_app.secret_key,
        ),
    )
    if page is not None:
        return _no_store(current_app.make_response((page, view)))
    html = _lookup_page(form, view=view, session=db_session().get(ClassSession, view.session_id))
    return _no_store(current_app.make_response(html))


@bp.post("/reservations/cancel")
@csrf.exempt
def cancel():
    """Step 1 (no `confirm`): the booking and "really cancel?"; step 2: cancel it."""
    _same_site()
    form = LookupForm(request.form)
    form.validate()
    code, phone = form.code.data or "", form.phone.data or ""
    confirmed = request.form.get("confirm") == "yes"
    db = db_session()
    client, secret = request.remote_addr or "", current_app.secret_key
    if confirmed:
        work = lambda: self_service.cancel_by_code(  # noqa: E731
            db, code, phone, actor=Actor.resident(client), client=client, secret=secret
        )
    else:
        work = lambda: self_service.find_booking(db, code, phone, client=client, secret=secret)  # noqa: E731
    page, view = _answer(form, work)
    if page is not None:
        return _no_store(current_app.make_response((page, view)))
    html = _lookup_page(
        form,
        view=view,
        session=db.get(ClassSession, view.session_id),
        confirming=not confirmed and view.cancellable,
        cancelled_now=confirmed,
    )
    return _no_store(current_app.make_response(html))


@bp.app_template_global()
def public_time(start: datetime, end: datetime) -> str:
    return time_range(start, end)


@bp.app_template_global()
def booking_status(view: self_service.BookingView) -> str:
    """What a booking's status means, in words."""
    if view.class_cancelled:
        return _("The ward has cancelled this class.")
    if view.status == self_service.BOOKED:
        return _("Booked: your seat is confirmed.")
    if view.status == self_service.LOTTERY_WON:
        return _("You won the lottery: your seat is confirmed.")
    if view.status == self_service.WAITLISTED:
        return _("On the waiting list: number %(num)d.", num=view.position or 0)
    if view.status == self_service.LOTTERY_LOST:
        return _(
            "Not drawn in the lottery. On the waiting list: number %(num)d.",
            num=view.position or 0,
        )
    if view.status == self_service.LOTTERY_PENDING:
        if view.lottery_deadline is None:
            return _("Applied for the lottery. The ward will tell you the result.")
        return _(
            "Applied for the lottery. The draw is after %(date)s; the ward will tell you "
            "the result.",
            date=long_date(view.lottery_deadline).striptags(),
        )
    return _("Cancelled.")


@bp.app_template_global()
def field_attrs(field, hint: str, attrs: dict) -> dict:
    """A text field's attributes: its hint and error described, marked invalid on error."""
    described = ([f"{field.id}-hint"] if hint else []) + (
        [f"{field.id}-error"] if field.errors else []
    )
    extra = {"aria-describedby": " ".join(described)} if described else {}
    if field.errors:
        extra["aria-invalid"] = "true"
    return {**attrs, **extra}
