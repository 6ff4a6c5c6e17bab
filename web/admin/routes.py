from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo

from classroom.models import Role, User
from classroom.services import accounts
from classroom.services.actor import Actor
from classroom.services.errors import DomainError

from ..database import db_session
from ..forms import Form, choices, option, show_domain_error
from . import bp


class StaffForm(Form):
    login = StringField(_l("Login name"), render_kw={"autocomplete": "off"})
    display_name = StringField(_l("Name shown on pages"))
    role = SelectField(_l("Role"))
    language = SelectField(
        _l("Language of the pages"), choices=[option("ja", "日本語"), option("en", "English")]
    )
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"})
    password_again = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


@bp.route("/")
def index():
    return redirect(url_for("admin.staff"))


@bp.route("/staff")
def staff():
    people = db_session().scalars(select(User).order_by(User.role, User.login)).all()
    return render_template("admin/staff.html", people=people)


@bp.route("/staff/new", methods=["GET", "POST"])
def staff_new():
    form = StaffForm()
    form.role.choices = choices(Role)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                user = accounts.create_user(
                    db_session(),
                    login=form.login.data,
                    role=form.role.data,
                    password=form.password.data,
                    display_name=form.display_name.data,
                    language=form.language.data,
                    actor=Actor.for_user(current_user, request.remote_addr or ""),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                flash(_("The account %(login)s was created.", login=user.login), "success")
                return redirect(url_for("admin.staff"))
    return render_template("admin/staff_form.html", form=form), status
