from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from classroom.models import Role
from classroom.services import accounts, audit
from classroom.services.actor import Actor

from ..database import db_session
from ..redirects import safe_next
from ..sessions import SessionRegistry, StaffMember
from . import bp
from .forms import LoginForm


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
    status = 200
    if form.validate_on_submit():
        attempt = accounts.attempt_login(
            db_session(),
            form.login.data,
            form.password.data,
            remote_addr=request.remote_addr or "",
        )
        if attempt.user is not None:
            # a new session: nothing from before the login survives it
            session.clear()
            session["sid"] = registry().start(db_session(), attempt.user.id)
            session.permanent = True
            login_user(StaffMember(attempt.user))
            return redirect(safe_next(request.args.get("next")) or landing_page())
        if attempt.throttled:
            flash(_("Too many failed attempts. Please wait 15 minutes and try again."), "error")
            status = 429
        else:
            # one message for every failure: nothing tells which part was wrong
            flash(_("The login name or password is not correct."), "error")
        form.password.data = ""
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


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
