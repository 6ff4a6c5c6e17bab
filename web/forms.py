"""Shared form helpers: the site's form base, domain errors shown next to their fields."""

from __future__ import annotations

from datetime import datetime

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import NumberRange

from classroom.services.errors import DomainError, InvalidInput
from classroom.services.text import has_control_characters

from .formatting import when

try:  # WTForms >= 3.3 wants SelectChoice; older versions take (value, label) tuples
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None


CONTROL_CHARACTERS_MESSAGE = _l(
    "This contains invisible control characters. Please type it again without them."
)


class Form(FlaskForm):
    """Every staff form: text with control characters is refused, next to its field.

    A text field missing from a posted form (a browser always sends it; a script may
    not) reads as empty, as if sent blank, never as None for the services to trip on.
    """

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


#: the largest id a database integer column holds: a bigger one is refused, not looked up
MAX_ID = 2**31 - 1


def record_id() -> NumberRange:
    """For a posted row id: a number the database can look up (PostgreSQL would fail)."""
    return NumberRange(min=1, max=MAX_ID)


def option(value, label: str):
    return SelectChoice(value, label) if SelectChoice else (value, label)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(html_tag="ul", prefix_label=False)
    option_widget = widgets.CheckboxInput()


def show_domain_error(form: FlaskForm | None, error: DomainError) -> None:
    """Attach each message to its field, or flash it when no field of the form fits."""
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
