from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from ..forms import Form, OnceForm, option, record_id


class CheckInForm(Form):
    code = StringField(
        _l("Reservation code or QR scan"),
        validators=[
            DataRequired(message=_l("Please scan the slip or type its code.")),
            Length(max=80),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class MarkForm(Form):
    participant_id = IntegerField(validators=[DataRequired(), record_id()])
    status = SelectField(choices=["present", "late", "absent", "excused", "undo"])
    anchor = HiddenField()


class WalkInSearchForm(Form):
    """Find a resident who came without a booking: by kana, or by phone digits."""

    class Meta:
        csrf = False  # a GET search

    q = StringField(
        _l("Kana or phone number"),
        validators=[
            DataRequired(message=_l("Please type the name in kana or a phone number.")),
            Length(max=60),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class WalkInForm(Form):
    """Check in a resident found by the search; a walk-in unless they hold a seat."""

    participant_id = IntegerField(validators=[DataRequired(), record_id()])


class QuickResidentForm(OnceForm):
    """A walk-in who is not known yet: the reading is enough; the name as written, a phone
    number and the year of birth when the resident gives them (the consent names all four).

    Names are passed on as typed (the service only trims them): 髙橋 stays 髙橋.
    """

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
        validators=[Length(max=4)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    device = SelectField(_l("Kind of phone"))
    #: says what is kept and why, as the resident heard it (the fields above, no others)
    consent = BooleanField(
        _l(
            "The resident agreed that the ward keeps their name, reading, phone number and "
            "year of birth to run the smartphone classes: to register them, to call them "
            "about changes, and to count participants anonymously."
        )
    )
    #: set after the instructor saw the likely duplicates and said "a different person"
    not_a_duplicate = BooleanField(_l("I checked: this is a different person. Add anyway."))


class ConfirmForm(Form):
    """A button that posts (mark held). Only the CSRF token."""


class QuestionnaireFields:
    #: the service checks the range, so that a wrong value is refused in one place
    satisfaction = RadioField(
        _l("Satisfaction"),
        choices=[
            option("1", _l("1 — not satisfied")),
            option("2", "2"),
            option("3", "3"),
            option("4", "4"),
            option("5", _l("5 — very satisfied")),
        ],
        validate_choice=False,
    )
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 4})


class QuestionnaireForm(QuestionnaireFields, OnceForm):
    """A paper questionnaire typed in: once, whatever the double clicks."""


class QuestionnaireEditForm(QuestionnaireFields, Form):
    """A typed-in questionnaire corrected."""
