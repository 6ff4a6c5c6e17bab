from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Reservation code or QR scan"),
        validators=[DataRequired(message=_l("Please scan the slip or type its code.")),
                    Length(max=80)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class MarkForm(FlaskForm):
    participant_id = IntegerField(validators=[DataRequired()])
    status = SelectField(choices=["present", "late", "absent", "excused", "undo"])
    anchor = HiddenField()
