"""Shared form helpers: domain errors shown next to the fields they concern."""

from __future__ import annotations

from datetime import datetime

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets

from classroom.services.errors import DomainError, InvalidInput

from .formatting import when

try:  # WTForms >= 3.3 wants SelectChoice; older versions take (value, label) tuples
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None


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
