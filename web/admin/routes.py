from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo

from classroom.models import Role, User
from classroom.services import accounts, audit
from classroom.services.actor import Actor
from classroom.services.errors import DomainError

from ..access import user_or_404
from ..database import db_session
from ..forms import Form, OnceForm, choices, created, option, sent_before, show_domain_error
from .blueprint import bp


class StaffForm(OnceForm):
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
    content_editor = BooleanField(_l("Content editor: edits and publishes guides, lessons and FAQ"))


@bp.route("/")
def index():
    return redirect(url_for("admin.staff"))


class ResetPasswordForm(Form):
    """A temporary password an administrator gives; its owner chooses a new one at login."""

    password = PasswordField(
        _l("Temporary password"),
        validators=[DataRequired(message=_l("Please enter a temporary password."))],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("Temporary password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


def _actor() -> Actor:
    return Actor.for_user(current_user, request.remote_addr or "")


def _staff_member(user_id: int) -> User:
    user = user_or_404(user_id)
    return user


@bp.route("/staff")
def staff():
    return render_template("admin/staff.html", people=accounts.staff_list(db_session()))


@bp.route("/staff/<int:user_id>", methods=["GET"])
def staff_member(user_id: int):
    user = _staff_member(user_id)
    return render_template(
        "admin/staff_member.html",
        person=user,
        form=ResetPasswordForm(),
        action=ActiveForm(),
        editor_form=ContentEditorForm(content_editor=user.content_editor),
    )


@bp.route("/staff/<int:user_id>/password", methods=["POST"])
def staff_reset_password(user_id: int):
    user = _staff_member(user_id)
    form = ResetPasswordForm()
    if form.validate():
        try:
            accounts.reset_password(db_session(), user.id, form.password.data, actor=_actor())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(
                _(
                    "A temporary password was set for %(login)s and every session of the "
                    "account was ended. Tell them the password in person or by phone; they "
                    "choose their own at the next login.",
                    login=user.login,
                ),
                "success",
            )
            return redirect(url_for("admin.staff_member", user_id=user.id))
    form.password.data = form.password_again.data = ""
    return render_template(
        "admin/staff_member.html",
        person=user,
        form=form,
        action=ActiveForm(),
        editor_form=ContentEditorForm(content_editor=user.content_editor),
    ), 422


class ActiveForm(Form):
    """The one button that disables an active account or enables a disabled one."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


@bp.route("/staff/<int:user_id>/active", methods=["POST"])
def staff_set_active(user_id: int):
    user = _staff_member(user_id)
    form = ActiveForm()
    if not form.validate():
        abort(400)
    enable = form.active.data == "1"
    try:
        accounts.set_active(db_session(), user.id, enable, actor=_actor())
    except DomainError as error:
        show_domain_error(None, error)
    else:
        if enable:
            flash(_("The account %(login)s can log in again.", login=user.login), "success")
        else:
            flash(
                _(
                    "The account %(login)s was disabled and logged out everywhere.",
                    login=user.login,
                ),
                "success",
            )
    return redirect(url_for("admin.staff_member", user_id=user.id))


class ContentEditorForm(Form):
    """Whether the account edits and publishes content (issue 18; administrators always do)."""

    content_editor = BooleanField(_l("Content editor: edits and publishes guides, lessons and FAQ"))


def _set_content_editor(user: User, editor: bool) -> None:
    if user.content_editor == editor:
        return
    user.content_editor = editor
    audit.record(
        db_session(),
        _actor(),
        "staff_user.content_editor",
        subject_type="staff_user",
        subject_id=user.id,
        details={"login": user.login, "content_editor": editor},
    )


@bp.route("/staff/<int:user_id>/content-editor", methods=["POST"])
def staff_set_content_editor(user_id: int):
    user = _staff_member(user_id)
    form = ContentEditorForm()
    if not form.validate():
        abort(400)
    _set_content_editor(user, bool(form.content_editor.data))
    if user.content_editor:
        flash(_("%(login)s may now edit and publish content.", login=user.login), "success")
    else:
        flash(_("%(login)s no longer edits content.", login=user.login), "success")
    return redirect(url_for("admin.staff_member", user_id=user.id))


@bp.route("/staff/new", methods=["GET", "POST"])
def staff_new():
    form = StaffForm()
    form.role.choices = choices(Role)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            if (first := sent_before(form)) is not None:
                return first  # sent twice: the first one created the account
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
                _set_content_editor(user, bool(form.content_editor.data))
                flash(_("The account %(login)s was created.", login=user.login), "success")
                return created(form, url_for("admin.staff"))
    return render_template("admin/staff_form.html", form=form), status
