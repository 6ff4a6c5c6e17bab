from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import Form


class LoginForm(Form):
    login = StringField(
        _l("Login name"),
        validators=[DataRequired(message=_l("Please enter your login name.")), Length(max=60)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Please enter your password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(Form):
    """One's own password: the current one, then a new one twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(message=_l("Please enter your current password.")),
            Length(max=256),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Please enter a new password.")), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )
