"""The templates' gettext, with the request's catalog looked up once instead of per string.

Flask-Babel's template callables find the request's domain, locale and catalog again for
every string, and Jinja's i18n extension reaches them through three nested context calls:
~13 µs a string, and a staff page has 30 or more (issue 21: the roster). Here `_`,
`gettext`, `ngettext`, `pgettext` and `npgettext` do what the extension's "newstyle"
ones do (autoescaped, always %-formatted with their keyword variables) in one call, and
the catalog is kept on Flask-Babel's per-request namespace under the name its
`force_locale` saves, clears and puts back and its `refresh` deletes: a page shown in
another language (a handout, a slip) and a language changed mid-request are followed as
before.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

#: Flask-Babel's per-request namespace in `g`, and the attribute force_locale/refresh reset
_NAMESPACE = "_flask_babel"
_CATALOG = "babel_translations"


def translations():
    """This request's catalog (a NullTranslations outside a request, as Flask-Babel's)."""
    if not g:
        return get_translations()
    catalog = getattr(g.get(_NAMESPACE), _CATALOG, None)
    if catalog is None:
        catalog = get_translations()  # creates the namespace and picks the locale
        setattr(g.get(_NAMESPACE), _CATALOG, catalog)
    return catalog


def _formatted(eval_ctx, text: str, variables: dict) -> str:
    if eval_ctx.autoescape:
        text = Markup(text)
    # always a format string, as Jinja's newstyle gettext ("%%" is a percent sign)
    return text % variables


@pass_eval_context
def _gettext(eval_ctx, string: str, **variables) -> str:
    return _formatted(eval_ctx, translations().ugettext(string), variables)


@pass_eval_context
def _ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def _pgettext(eval_ctx, context: str, string: str, **variables) -> str:
    variables.setdefault("context", context)
    return _formatted(eval_ctx, translations().upgettext(context, string), variables)


@pass_eval_context
def _npgettext(eval_ctx, context: str, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _formatted(
        eval_ctx, translations().unpgettext(context, singular, plural, num), variables
    )


def install(app: Flask) -> None:
    """After `babel.init_app` (which adds Jinja's i18n extension, for `{% trans %}`): the
    templates' gettext callables replaced by the ones above."""
    app.jinja_env.newstyle_gettext = True  # `{% trans %}` passes its variables by name
    app.jinja_env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )
