"""The staff web site: `create_app()` builds it (flaskr-style factory, no global app)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask, g, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import IntegerConverter

import languages as classroom_i18n
from classroom.db import MAX_ROW_ID, Database
from classroom.models import Role, User
from classroom.settings import Settings

from . import content_source, translations
from . import database as web_database
from .access import has_role
from .errors import error_response, register_error_handlers, wants_json
from .extensions import babel, csrf, login_manager
from .flask_app import TsunaguFlask
from .formatting import register_filters
from .sessions import SessionRegistry, StaffMember

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
#: the staff site's languages; Japanese first
LANGUAGES = ("ja", "en")

#: every response; no inline script or style is ever allowed, nothing from outside
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
#: sent only over TLS (directly, or as a trusted proxy reports it): a browser that has
#: seen the site over https never falls back to plain http for a year
HSTS = "max-age=31536000; includeSubDomains"


def trusted_proxies(env: dict[str, str] | None = None) -> int:
    """TSUNAGU_TRUSTED_PROXIES: how many proxies (nginx) stand in front of the app.

    0 (the default) trusts no X-Forwarded-* header, so nobody can fake an address in
    the audit trail by sending one; 1 behind the nginx of docs/operations.md.
    """
    raw = (os.environ if env is None else env).get("TSUNAGU_TRUSTED_PROXIES", "0").strip()
    if not raw.isdigit() or int(raw) > 5:
        raise ValueError(f"TSUNAGU_TRUSTED_PROXIES must be a whole number 0-5, not {raw!r}")
    return int(raw)


class RowIdConverter(IntegerConverter):
    """`<int:...>` limited to 1 .. 2**31 - 1: a bigger number is a 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    """The web app. `test_config` may carry DATABASE (a classroom Database) and overrides."""
    settings = Settings.from_env()
    app = TsunaguFlask(
        __name__, instance_path=str(settings.instance_dir), instance_relative_config=True
    )
    app.config.from_mapping(
        DATABASE_URL=settings.database_url,
        TIMEZONE=settings.timezone,
        LANGUAGES=LANGUAGES,
        BABEL_DEFAULT_LOCALE="ja",
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        BABEL_TRANSLATION_DIRECTORIES=str(LOCALES_DIR),
        SESSION_COOKIE_NAME="tsunagu_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("TSUNAGU_COOKIE_SECURE") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        # a coordinator may keep a form open through a long phone call
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key()

    proxies = app.config.get("TRUSTED_PROXIES", trusted_proxies())
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # the client's address (audit trail, login throttling) and https from nginx
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    database = app.config.get("DATABASE") or Database(app.config["DATABASE_URL"])
    web_database.init_app(app, database)
    content_source.init_app(app, database)
    app.extensions["tsunagu_sessions"] = SessionRegistry(app.config["PERMANENT_SESSION_LIFETIME"])

    # ids in URLs are database keys: beyond PostgreSQL's integer they are simply not found
    app.url_map.converters["int"] = RowIdConverter
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    translations.install(app)
    _init_login(app)
    register_error_handlers(app)
    register_filters(app)

    @app.before_request
    def _language_for_domain_messages():
        # domain errors and enum labels translated by languages (the leaf package) follow the page
        g.classroom_language_token = classroom_i18n.set_language(str(get_locale()))

    @app.teardown_request
    def _reset_language(exc):
        if (token := g.pop("classroom_language_token", None)) is not None:
            classroom_i18n.reset_language(token)

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if current_user.is_authenticated:
            # pages with personal data must not linger in shared browsers' caches
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.jinja_env.globals.update(
        has_role=has_role, Role=Role, LANGUAGES=LANGUAGES, get_locale=get_locale
    )

    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .office import bp as office_bp
    from .teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(office_bp, url_prefix="/office")
    app.register_blueprint(teach_bp, url_prefix="/teach")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    from .handouts import bp as handouts_bp

    app.register_blueprint(handouts_bp, url_prefix="/handouts")
    from .api import init_app as init_api

    init_api(app)
    from .kiosks import bp as kiosks_bp

    app.register_blueprint(kiosks_bp, url_prefix="/office/kiosks")
    from .reports import bp as reports_bp

    app.register_blueprint(reports_bp, url_prefix="/reports")
    from .ask import bp as ask_bp

    app.register_blueprint(ask_bp)
    from .editor import bp as editor_bp

    app.register_blueprint(editor_bp, url_prefix="/editor")
    # areas register their blueprints above this line, one import + one call each
    from .auth.routes import home

    # "/" is the public class schedule; `index` stays the staff's start page
    app.add_url_rule("/home", endpoint="index", view_func=home)
    return app


def select_locale() -> str:
    """The staff member's own language when logged in, else the browser's, else Japanese."""
    # public pages (and /ask, which wears their layout): the visitor's switch (web/public/language.py)
    if request.blueprint in ("public", "ask"):
        from .public.language import babel_locale

        return babel_locale()
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(LANGUAGES, default="ja")


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        registry: SessionRegistry = app.extensions["tsunagu_sessions"]
        user = registry.live_user(web_database.db_session(), session.get("sid"), user_id)
        return StaffMember(user) if user is not None and user.active else None

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect, url_for

        from .redirects import safe_next

        if wants_json():
            return error_response(401)
        flash(str(login_manager.login_message), login_manager.login_message_category)
        return redirect(url_for("auth.login", next=safe_next(request.full_path.rstrip("?"))))
