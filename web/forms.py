"""Shared form helpers: the site's form base, domain errors shown next to their fields."""

from __future__ import annotations

from datetime import datetime

from babel import support
from flask import flash, redirect, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectMultipleField, StringField, widgets
from wtforms.i18n import messages_path
from wtforms.validators import NumberRange

from classroom.db import MAX_ROW_ID
from classroom.services import form_tokens
from classroom.services.errors import DomainError, InvalidInput
from classroom.services.text import has_control_characters

from .database import db_session, refuse
from .formatting import when

try:  # WTForms >= 3.3 wants SelectChoice; older versions take (value, label) tuples
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None


CONTROL_CHARACTERS_MESSAGE = _l(
    "This contains invisible control characters. Please type it again without them."
)


class _WTFormsMessages:
    """WTForms' own messages ("Not a valid integer value.") in the page's language, as
    Flask-WTF gives them, but with each language's catalog read once per process:
    Flask-WTF reads and parses the .mo file again in every request that builds a form
    (0.17 ms, a sixth of a hello-world request: issue 21)."""

    _catalogs: dict[str, support.Translations] = {}

    def _catalog(self) -> support.Translations:
        locale = get_locale()
        key = str(locale)
        catalog = self._catalogs.get(key)
        if catalog is None:
            catalog = support.Translations.load(messages_path(), [locale], domain="wtforms")
            self._catalogs[key] = catalog
        return catalog

    def gettext(self, string: str) -> str:
        return self._catalog().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog().ungettext(singular, plural, n)


_WTFORMS_MESSAGES = _WTFormsMessages()


class Form(FlaskForm):
    """Every staff form: text with control characters is refused, next to its field.

    A text field missing from a posted form (a browser always sends it; a script may
    not) reads as empty, as if sent blank, never as None for the services to trip on.
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _WTFORMS_MESSAGES

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data, extra_filters, **kwargs)
        for field in self:
            if isinstance(field, StringField) and field.raw_data == [] and field.data is None:
                field.data = ""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if any(
                isinstance(raw, str) and has_control_characters(raw) for raw in field.raw_data or ()
            ):
                field.errors = [*field.errors, str(CONTROL_CHARACTERS_MESSAGE)]
                valid = False
        return valid


class OnceForm(Form):
    """A form that creates something: it carries a one-time token, so that sending it
    twice (a double click, a reload) creates once and shows the first result.

    The view calls `sent_before(form)` after validation and before creating, and ends with
    `created(form, url)` (classroom/services/form_tokens.py keeps token -> page).
    The template renders `{{ form.form_token }}` next to the CSRF token.
    """

    form_token = HiddenField()

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data, extra_filters, **kwargs)
        if not self.form_token.data:  # a new page, or a script that sent none
            self.form_token.data = form_tokens.new_token()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self.token_intact() and valid  # both: a damaged token is always explained
        if not valid:
            refuse()  # a token claimed before validation is let go with the rest
        return valid

    def token_intact(self) -> bool:
        """False (and a message) when the hidden token came back damaged; a new one is set."""
        if form_tokens.valid(self.form_token.data) and not self.form_token.errors:
            return True
        self.form_token.errors = []
        self.form_token.data = form_tokens.new_token()
        flash(str(DAMAGED_FORM_MESSAGE), "error")
        return False


DAMAGED_FORM_MESSAGE = _l(
    "This form came back damaged, so nothing was saved. Please check it and send it again."
)


def _token_owner() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else "anonymous"


def sent_before(form: OnceForm) -> Response | None:
    """Claims the form's token; when it was used already, the redirect to the first result.

    A damaged token claims nothing (None): `OnceForm.validate` refuses the form then.
    """
    if not form_tokens.valid(form.form_token.data):
        return None

    url = form_tokens.claim(db_session(), _token_owner(), form.form_token.data)
    if url is None:
        return None
    flash(_("This form was already sent. Here is what it saved; nothing was added twice."), "info")
    return redirect(url or request.path, code=303)


def created(form: OnceForm, url: str, code: int = 302) -> Response:
    """Remember where the first submit led, and go there."""
    form_tokens.remember(db_session(), _token_owner(), form.form_token.data, url)
    return redirect(url, code=code)


def record_id() -> NumberRange:
    """For a posted row id: a number the database can look up (PostgreSQL would fail)."""
    return NumberRange(min=1, max=MAX_ROW_ID)


def option(value, label: str):
    return SelectChoice(value, label) if SelectChoice else (value, label)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(html_tag="ul", prefix_label=False)
    option_widget = widgets.CheckboxInput()


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Attach each message to its field, or flash it when no field of the form fits.

    The rule refused the action: nothing the request wrote is kept (web/database.py)."""
    refuse()
    errors = error.errors if isinstance(error, InvalidInput) else {error.field: error}
    for field_name, problem in errors.items():
        message = problem.translate(_, format_value=_shown)
        if form is not None and field_name and field_name in form:
            field = form[field_name]
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def _shown(value):
    """A domain error's parameter as a page shows it: datetimes in the ward's time."""
    return when(value) if isinstance(value, datetime) else value


def choices(enum_cls, *, exclude=()) -> list[tuple[str, str]]:
    return [option(m.value, _(m.label)) for m in enum_cls if m not in exclude]
