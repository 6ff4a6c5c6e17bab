from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from classroom.models import Role
from classroom.services import accounts, audit
from classroom.services.actor import Actor
from classroom.services.errors import DomainError

from ..database import db_session
from ..forms import show_domain_error
from ..redirects import safe_next
from ..sessions import SessionRegistry, StaffMember
from .blueprint import bp
from .forms import ChangePasswordForm, LoginForm
from .throttling import throttled_headers, throttled_message


def registry() -> SessionRegistry:
    return current_app.extensions["tsunagu_sessions"]


def landing_page() -> str:
    if current_user.role == Role.INSTRUCTOR:
        return url_for("teach.today")
    return url_for("office.residents")


@bp.route("/home")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(landing_page())


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(landing_page())
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        attempt = accounts.attempt_login(
            db_session(),
            form.login.data,
            form.password.data,
            remote_addr=request.remote_addr or "",
            throttle_secret=current_app.secret_key,
        )
        if attempt.user is not None:
            # a new session: nothing from before the login survives it
            session.clear()
            session["sid"] = registry().start(db_session(), attempt.user.id)
            session.permanent = True
            login_user(StaffMember(attempt.user))
            return redirect(safe_next(request.args.get("next")) or landing_page())
        if attempt.throttled:
            flash(throttled_message(attempt), "error")
            status, headers = 429, throttled_headers(attempt)
        else:
            # one message for every failure: nothing tells which part was wrong
            flash(_("The login name or password is not correct."), "error")
        form.password.data = ""
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        audit.record(
            db_session(),
            Actor.for_user(current_user, request.remote_addr or ""),
            "auth.logout",
            subject_type="staff_user",
            subject_id=current_user.id,
        )
    registry().end(db_session(), session.get("sid"))
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


#: what a member of staff may still open while an administrator's reset asks for a new
#: password: the page to choose it, logging out, and whatever needs no login
_OPEN_WHILE_PASSWORD_MUST_CHANGE = {"auth.change_password", "auth.logout", "auth.login", "static"}


@bp.before_app_request
def _a_reset_password_is_changed_first():
    """After an administrator's reset, every staff page leads to choosing a new password."""
    if (
        request.endpoint is None
        or request.endpoint in _OPEN_WHILE_PASSWORD_MUST_CHANGE
        or request.blueprint in ("public", "api")
    ):
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """One's own password. Every session of the account ends — a browser left logged in
    elsewhere is logged out — and this browser goes on in a new session."""
    form = ChangePasswordForm()
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            user_id = current_user.id
            try:
                user = accounts.change_own_password(
                    db_session(),
                    user_id,
                    form.current_password.data,
                    form.password.data,
                    actor=Actor.for_user(current_user, request.remote_addr or ""),
                    remote_addr=request.remote_addr or "",
                    throttle_secret=current_app.secret_key,
                )
            except DomainError as error:
                if isinstance(error, accounts.WrongCurrentPassword):
                    # the wrong guess stays counted although the form answers 422
                    db_session().commit()
                show_domain_error(form, error)
            else:
                session.clear()
                session["sid"] = registry().start(db_session(), user.id)
                session.permanent = True
                login_user(StaffMember(user))
                flash(
                    _(
                        "Your password was changed. Any other browser where you were logged in "
                        "is now logged out."
                    ),
                    "success",
                )
                return redirect(landing_page())
        for field in (form.current_password, form.password, form.password_again):
            field.data = ""
    return render_template("auth/change_password.html", form=form), status
