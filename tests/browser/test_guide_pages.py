"""Every guide's public page in all five languages (issue 14): the title in the reader's
language, no notice of a missing language, a full-page screenshot of each in
test-artifacts/, and axe-core on each guide in one language (taking the languages in turn,
so that every language is checked on some guide).

One browser context per language: its `lang` cookie is set once and every guide is
opened in it.
"""

from __future__ import annotations

import pytest

from content import load_catalog
from tests.browser.conftest import PAGE_TIMEOUT_MS, assert_accessible
from web.public.language import LANGUAGES

GUIDES = load_catalog().active_guides


def test_the_shipped_guides_are_checked():
    """The loop below is over something: the shipped, not withdrawn guides."""
    assert len(GUIDES) >= 7 and "konbini" in {g.id for g in GUIDES}
    assert all(not g.withdrawn for g in GUIDES)


@pytest.mark.parametrize("language", LANGUAGES, ids=[language.code for language in LANGUAGES])
def test_every_guide_page_is_written_in_the_readers_language(
    live_server, browser, artifacts, language
):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "lang", "value": language.code, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    position = [lang.code for lang in LANGUAGES].index(language.code)
    try:
        for number, guide in enumerate(GUIDES):
            response = page.goto(f"{live_server.url}/guides/{guide.id}")
            where = f"/guides/{guide.id} ({language.code})"
            assert response.status == 200, where
            assert page.locator("html").get_attribute("lang") == language.html_lang, where
            heading = page.locator("h1")
            assert heading.inner_text().strip() == guide.title.get(language.code), where
            # written in this language, not a Japanese fallback marked lang=ja
            assert heading.locator("[lang]").count() == 0, where
            assert page.locator(".notice--language").count() == 0, where
            page.screenshot(
                path=str(artifacts / f"public-guide-{guide.id}-{language.code}.png"),
                full_page=True,
            )
            if number % len(LANGUAGES) == position:
                assert_accessible(page, where)
    finally:
        context.close()
