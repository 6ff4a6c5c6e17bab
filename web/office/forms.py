from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import Form, MultiCheckboxField, OnceForm


class ResidentForm(Form):
    family_name = StringField(
        _l("Family name (kanji)"), validators=[Length(max=60)], render_kw={"autocomplete": "off"}
    )
    given_name = StringField(
        _l("Given name (kanji)"), validators=[Length(max=60)], render_kw={"autocomplete": "off"}
    )
    reading = StringField(
        _l("Name in kana"),
        validators=[Length(max=120)],
        render_kw={"autocomplete": "off", "required": True},
    )
    phone = StringField(
        _l("Phone number"),
        validators=[Length(max=30)],
        render_kw={"autocomplete": "off", "inputmode": "tel", "type": "tel"},
    )
    birth_year = StringField(
        _l("Year of birth"),
        validators=[Optional(), Length(max=4)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    device = SelectField(_l("Kind of phone"))
    needs = MultiCheckboxField(_l("Needs"))
    note = TextAreaField(_l("Note"), validators=[Length(max=500)])


class NewResidentForm(ResidentForm, OnceForm):
    consent = BooleanField(_l("The resident agreed to the purpose of collection above."))
    #: set after the coordinator saw the likely duplicates and said "a different person"
    not_a_duplicate = BooleanField(_l("I checked: this is a different person. Create anyway."))


class RegisterForm(Form):
    #: the choices are checked below, not by WTForms: with none chosen it said
    #: 「選択肢が正しくありません」 ("Not a valid choice"), which tells nobody what to do
    session_id = SelectField(
        _l("Class"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Please choose the class."))],
    )
    source = SelectField(_l("How did they apply?"))
    #: one key per form shown: a double click never books twice (the registration
    #: keeps it in a VARCHAR(80) with an "office:" prefix; the view takes 64 at most)
    idempotency_key = HiddenField()

    def validate_session_id(self, field) -> None:
        if not field.errors and not any(match for _, _, match, *_ in field.iter_choices()):
            raise ValidationError(_l("This class is not on the list. Please choose the class."))


class ConfirmForm(Form):
    """A button that posts: cancel, tick a call. Only the CSRF token."""


class SessionForm(OnceForm):
    """One class, or the first of a series; choices are filled by the view."""

    course_id = SelectField(_l("Course"), coerce=int)
    venue_id = SelectField(_l("Venue"), coerce=int)
    date = DateField(_l("Date"), validators=[InputRequired(_l("Please enter the date."))])
    starts_at = TimeField(
        _l("Starts at"), validators=[InputRequired(_l("Please enter the time it starts."))]
    )
    ends_at = TimeField(
        _l("Ends at"), validators=[InputRequired(_l("Please enter the time it ends."))]
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[InputRequired(_l("Please enter the number of seats."))],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    instructor_ids = MultiCheckboxField(_l("Instructors"), coerce=int)
    booking_mode = RadioField(_l("Booking"))
    application_deadline = DateTimeLocalField(
        _l("Applications close at"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    repeat = RadioField(_l("Repeat"))
    occurrences = IntegerField(
        _l("Number of classes in the series"),
        default=1,
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=500)])


class LoanForm(OnceForm):
    """Lend a loaner phone to someone taking part in the class."""

    participant_id = SelectField(_l("Who borrows it"), coerce=int)
    phone_label = StringField(
        _l("Label on the phone"), validators=[Length(max=40)], render_kw={"autocomplete": "off"}
    )
