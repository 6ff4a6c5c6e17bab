"""The ward settings page of the content editor (issue 18): every value with where it is
used, samples flagged, a change checked on its field and published at once."""

from __future__ import annotations

import re

import pytest

from classroom.models import ContentVersion
from classroom.services import content_store as store
from content.loader import SETTINGS_ENV
from web.content_source import source

from .conftest import count


@pytest.fixture
def editor(app, as_role):
    source(app).seed()
    return as_role("admin")


def _form(page: str) -> dict[str, str]:
    """The settings form as a browser would send it unchanged."""
    data = {
        name: value
        for name, value in re.findall(
            r'name="(v:[^"]+)" value="([^"]*)"', page.replace("&#34;", '"')
        )
    }
    data["based_on"] = re.search(r'name="based_on" value="(\d*)"', page).group(1)
    if re.search(r'name="own" value="yes" checked', page):
        data["own"] = "yes"
    return {k: _unescape(v) for k, v in data.items()}


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _settings_body(database) -> str:
    with database.read() as db:
        return store.published(db, store.get_item(db, "settings", "ward")).body


def test_the_page_shows_every_value_where_it_is_used_and_the_sample_flags(editor):
    page = editor.get("/editor/settings").get_data(as_text=True)
    assert "{phones.digital_support}" in page
    assert 'value="03-0000-0002"' in page
    assert "{fees.juminhyo_online}" in page
    assert "Still the sample" in page
    assert "These are still the sample settings" in page
    # the guide that names a fee is listed under it
    fee = page[
        page.index("<code>{fees.juminhyo_online}") : page.index("<code>{fees.juminhyo_konbini}")
    ]
    assert "Used in: Apply online for a copy of your resident record, " in fee
    assert "Not used by any guide or lesson." not in fee
    # languages side by side
    assert 'name="v:ward.name:ja" value="つなぐ区（サンプル）"' in page
    assert 'name="v:ward.name:en"' in page


def test_changing_the_digital_support_phone_shows_on_public_pages_at_once(app, database, editor):
    resident = app.test_client()
    assert "03-0000-0002" in resident.get("/guides/juminhyo").get_data(as_text=True)
    data = _form(editor.get("/editor/settings").get_data(as_text=True))
    data["v:phones.digital_support"] = "０３－５５５５－１２３４".replace("－", "-")
    response = editor.post("/editor/settings", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    for url in ("/guides/juminhyo", "/ask"):
        page = resident.get(url).get_data(as_text=True)
        assert "03-5555-1234" in page, url
        assert "03-0000-0002" not in page, url
    body = _settings_body(database)
    # edited in place: the rest of the file, its comments too, as it was
    assert "phones:\n  digital_support: 03-5555-1234\n" in body
    assert "  phone: 03-0000-0000  # sample\n" in body
    assert "# Ward-specific values for Tsunagu content (SAMPLE)." in body
    page = editor.get("/editor/settings").get_data(as_text=True)
    assert "The settings were published as version 2" in page


def test_a_bad_url_is_refused_on_its_field_and_nothing_is_lost(database, editor):
    before = count(database, ContentVersion)
    data = _form(editor.get("/editor/settings").get_data(as_text=True))
    data["v:urls.juminhyo"] = "http://example.lg.jp/juminhyo"
    data["v:fees.juminhyo_online"] = "350"
    response = editor.post("/editor/settings", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="v-urls-juminhyo-error"' in page
    assert "Please give a public web address starting with https://." in page
    assert 'value="http://example.lg.jp/juminhyo"' in page
    assert 'value="350"' in page  # the other change is still on the page
    assert count(database, ContentVersion) == before


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("v:fees.juminhyo_online", "300円", "whole number of yen"),
        ("v:phones.digital_support", "call us", "digits and hyphens"),
        ("v:ward.name:ja", "", "Please fill this in"),
    ],
)
def test_each_kind_of_value_is_checked(database, editor, name, value, message):
    data = _form(editor.get("/editor/settings").get_data(as_text=True))
    data[name] = value
    response = editor.post("/editor/settings", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_editing_a_value_drops_its_sample_mark_and_a_translation_can_be_added(database, editor):
    data = _form(editor.get("/editor/settings").get_data(as_text=True))
    data["v:ward.name:ja"] = "みどり区"
    data["v:ward.name:zh-Hans"] = "绿区"
    data["own"] = "yes"
    assert editor.post("/editor/settings", data=data).status_code == 303
    body = _settings_body(database)
    assert "sample: false\n" in body
    assert "    ja: みどり区\n" in body
    assert "    zh-Hans: 绿区\n" in body
    assert "    en: Tsunagu Ward (sample)  # sample\n" in body
    page = editor.get("/editor/settings").get_data(as_text=True)
    name = page[page.index("<code>{ward.name}") : page.index("<code>{ward.phone}")]
    assert "Still the sample" in name  # the English is still the sample's


def test_other_staff_see_the_settings_but_may_not_publish(app, database, as_role):
    source(app).seed()
    coordinator = as_role("coordinator")
    page = coordinator.get("/editor/settings").get_data(as_text=True)
    assert "03-0000-0002" in page and "Check and publish" not in page
    data = _form(page)
    assert coordinator.post("/editor/settings", data=data).status_code == 403


def test_settings_from_a_deployment_file_are_read_only(database, editor, tmp_path, monkeypatch):
    own = tmp_path / "ward.yaml"
    own.write_text("sample: false\nphones:\n  digital_support: 03-1111-2222\n", encoding="utf-8")
    monkeypatch.setenv(SETTINGS_ENV, str(own))
    page = editor.get("/editor/settings").get_data(as_text=True)
    assert "03-1111-2222" in page
    assert str(own) in page and SETTINGS_ENV in page
    assert "Check and publish" not in page and "readonly" in page
    before = count(database, ContentVersion)
    editor.post("/editor/settings", data={"v:phones.digital_support": "03-9"})
    assert count(database, ContentVersion) == before


def test_the_whole_content_is_checked_with_the_new_values(app, database, editor):
    """A value that passes its own field's check can still break a guide (a hand-off URL
    must be https): that is said, in content check's words, and nothing is published."""
    from web.editor.ward_settings import content_problems

    current = _settings_body(database)
    broken = current.replace(
        "juminhyo: https://example.lg.jp/e-shinsei/juminhyo", "juminhyo: http://example.lg.jp/x"
    )
    assert broken != current
    with app.test_request_context():
        found = content_problems(broken, current)
        assert content_problems(current, current) == []
    assert any(p.startswith("guides/juminhyo.yaml:") and "https" in p for p in found), found
