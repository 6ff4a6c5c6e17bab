"""Forms for venues and courses; the rules themselves are checked by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from ..forms import Form, MultiCheckboxField, OnceForm


class VenueForm(Form):
    name = StringField(_l("Name of the venue"), render_kw={"autocomplete": "off", "required": True})
    kind = SelectField(_l("Kind of venue"))
    address = StringField(_l("Address"), render_kw={"autocomplete": "off"})
    access = TextAreaField(_l("How to get there"))
    capacity = StringField(
        _l("Seats in the room"),
        render_kw={"inputmode": "numeric", "autocomplete": "off", "required": True},
    )
    loaner_phones = StringField(
        _l("Loaner phones kept there"), render_kw={"inputmode": "numeric", "autocomplete": "off"}
    )


class CourseForm(Form):
    code = StringField(
        _l("Course code"),
        render_kw={"autocomplete": "off", "required": True, "spellcheck": "false"},
    )
    title = StringField(_l("Title (Japanese)"), render_kw={"autocomplete": "off", "required": True})
    title_en = StringField(_l("Title in English"), render_kw={"autocomplete": "off"})
    kind = SelectField(_l("Kind of course"))
    device_track = SelectField(_l("For which phones"))
    description = TextAreaField(_l("Description"))
    # the service refuses ids the content does not have, with its own message
    lesson_ids = MultiCheckboxField(_l("Lessons taught"), validate_choice=False)
    lesson_ids_hint = _l(
        "Tick the lessons this course teaches; classes take them in the order of this list."
    )


class NewVenueForm(VenueForm, OnceForm):
    """Adding a venue: sent twice, added once (the one-time token of web/forms.py)."""


class NewCourseForm(CourseForm, OnceForm):
    """Adding a course: sent twice, added once."""
