"""The templates' gettext (web/translations.py) and WTForms' own messages (web/forms.py):
the same text as Jinja's, Flask-Babel's and Flask-WTF's own callables give, in the page's
language, and in another one inside `force_locale`."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale, get_translations, refresh
from flask_wtf.i18n import translations as flask_wtf_translations
from jinja2 import Environment
from wtforms import IntegerField

from web import create_app
from web.forms import Form

#: every kind of call the templates make, with what could go wrong: markup in a variable
#: (escaped), a percent sign, plurals, a message context, a {% trans %} block
SNIPPETS = (
    "{{ _('Search') }}",
    "{{ _('Walk-in') }}|{{ gettext('Search') }}",
    "{{ _('Walk-ins are checked in on the day of the class (%(day)s).', day='<b>12/4</b>') }}",
    "{{ _('100%% sure') }}",
    "{{ ngettext('%(num)d item', '%(num)d items', 1) }}/{{ ngettext('%(num)d item', '%(num)d items', 3) }}",
    "{{ pgettext('kiosk', 'Search') }}/{{ pgettext('kiosk-easy', 'Search') }}",
    "{{ npgettext('kiosk', '%(num)d item', '%(num)d items', 2) }}",
    "{% trans name='<i>x</i>' %}Hello {{ name }}{% endtrans %}",
    "{% trans count=2 %}{{ count }} item{% pluralize %}{{ count }} items{% endtrans %}",
)


@pytest.fixture(scope="module")
def app():
    return create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "WTF_CSRF_ENABLED": False}
    )


def stock_render(app, source: str) -> str:
    """What Jinja's own i18n extension with Flask-Babel's callables renders."""
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    return env.from_string(source).render()


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("source", SNIPPETS)
def test_templates_say_what_the_stock_callables_say(app, language, source):
    with app.test_request_context("/login", headers={"Accept-Language": language}):
        assert render_template_string(source) == stock_render(app, source)


def test_the_page_is_in_its_language_and_a_forced_one_inside_force_locale(app):
    with app.test_request_context("/login", headers={"Accept-Language": "ja"}):
        assert render_template_string("{{ _('Search') }}") == "検索"
        with force_locale("en"):
            assert render_template_string("{{ _('Search') }}") == "Search"
        # back to the page's own language once the handout or slip is done
        assert render_template_string("{{ _('Search') }}") == "検索"
        escaped = render_template_string(
            "{{ _('Walk-ins are checked in on the day of the class (%(day)s).', day='<b>') }}"
        )
        assert "&lt;b&gt;" in escaped and "<b>" not in escaped


def test_a_language_changed_mid_request_is_followed_after_refresh(app):
    with app.test_request_context("/login", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Search') }}") == "Search"
        from flask_babel import get_babel

        babel = get_babel()
        chosen = babel.locale_selector
        babel.locale_selector = lambda: "ja"  # as when staff pick their language and save
        try:
            refresh()
            assert render_template_string("{{ _('Search') }}") == "検索"
        finally:
            babel.locale_selector = chosen


class NumberForm(Form):
    count = IntegerField()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_wtforms_own_messages_are_in_the_page_language_as_flask_wtf_gives_them(app, language):
    with app.test_request_context(
        "/login", method="POST", data={"count": "many"}, headers={"Accept-Language": language}
    ):
        form = NumberForm(meta={"csrf": False})
        assert not form.validate()
        stock = flask_wtf_translations.gettext("Not a valid integer value.")
        assert form.count.errors == [stock]
        assert (stock == "Not a valid integer value.") == (language == "en")
        other_language = "en" if language == "ja" else "ja"
        with force_locale(other_language):  # a page printed in another language follows it
            other = NumberForm(meta={"csrf": False})
            other.validate()
    with app.test_request_context("/login", headers={"Accept-Language": other_language}):
        assert other.count.errors == [flask_wtf_translations.gettext("Not a valid integer value.")]
        assert other.count.errors != [stock]
