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


# -- adding a value ------------------------------------------------------------------------


def _add(editor, **fields):
    page = editor.get("/editor/settings").get_data(as_text=True)
    data = {"based_on": re.search(r'name="based_on" value="(\d*)"', page).group(1), **fields}
    return editor.post("/editor/settings/add", data=data)


def test_a_new_web_address_is_added_in_its_section_and_published(database, editor):
    before = count(database, ContentVersion)
    response = _add(
        editor, section="urls", name="tax_online", kind="url", value="https://example.lg.jp/tax"
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    assert response.location.endswith(
        "/editor/settings?added=urls.tax_online#setting-urls-tax_online"
    )
    body = _settings_body(database)
    # after the section's last value, in its indentation; the rest of the file as it was
    assert (
        "  konbini: https://www.lg-waps.go.jp/  # sample (J-LIS: stores and hours of コンビニ交付; "
        "real address)\n  tax_online: https://example.lg.jp/tax\n\nfees:\n"
    ) in body
    assert count(database, ContentVersion) == before + 1
    page = editor.get(response.location).get_data(as_text=True)
    assert "{urls.tax_online} was added and published as version 2" in page
    assert re.search(r'class="setting\s+setting--added" id="setting-urls-tax_online"', page)
    assert "Added just now" in page
    assert 'id="setting-urls-tax_online"' in page
    assert 'name="v:urls.tax_online" value="https://example.lg.jp/tax"' in page


def test_new_words_get_their_japanese_and_the_other_languages_later(database, editor):
    response = _add(
        editor, section="counters", name="tax_help", kind="text", value="税務課 相談窓口（2階）"
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    assert "  tax_help:\n    ja: 税務課 相談窓口（2階）\n" in _settings_body(database)
    page = editor.get("/editor/settings").get_data(as_text=True)
    assert 'name="v:counters.tax_help:ja" value="税務課 相談窓口（2階）"' in page
    assert 'name="v:counters.tax_help:en" value=""' in page
    data = _form(page)  # the English is written in the list, as for any value
    data["v:counters.tax_help:en"] = "Tax help desk (2F)"
    assert editor.post("/editor/settings", data=data).status_code == 303
    assert "    en: Tax help desk (2F)\n" in _settings_body(database)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (dict(name="Tax Online"), "name", "lower-case letters, digits and _"),
        (dict(name="juminhyo"), "name", "{urls.juminhyo} already exists"),
        (dict(value="http://example.lg.jp/tax"), "value", "starting with https://"),
        (dict(value=""), "value", "Please fill this in"),
        (dict(section="fees", kind="number", value="1,000"), "value", "whole number of yen"),
        (dict(section="ward", kind="phone", name="tax"), "name", "must contain “phone”"),
        (dict(section="phones", kind="phone", name="tax", value="call us"), "value", "digits"),
        (dict(section="nowhere"), "section", "Please choose a section."),
        (dict(kind="colour"), "kind", "Please choose what the value is."),
    ],
)
def test_a_bad_new_value_is_named_on_its_field_and_nothing_is_saved(
    database, editor, fields, field, message
):
    before = count(database, ContentVersion)
    typed = dict(section="urls", name="tax_online", kind="url", value="https://example.lg.jp/tax")
    typed.update(fields)
    response = _add(editor, **typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    if typed["name"]:
        assert f'value="{typed["name"]}"' in page  # what was typed stays on the page
    assert count(database, ContentVersion) == before


def test_only_editors_add_and_not_to_settings_from_a_file(
    app, database, as_role, editor, tmp_path, monkeypatch
):
    coordinator = as_role("coordinator")
    assert "Add a value" not in coordinator.get("/editor/settings").get_data(as_text=True)
    response = coordinator.post(
        "/editor/settings/add",
        data=dict(section="urls", name="x", kind="url", value="https://example.lg.jp/x"),
    )
    assert response.status_code in (400, 403)
    own = tmp_path / "settings.yaml"
    own.write_text(_settings_body(database), encoding="utf-8")
    monkeypatch.setenv(SETTINGS_ENV, str(own))
    before = count(database, ContentVersion)
    response = _add(editor, section="urls", name="x", kind="url", value="https://example.lg.jp/x")
    assert response.status_code == 303 and response.location.endswith("/editor/settings")
    assert count(database, ContentVersion) == before


@pytest.mark.parametrize(
    "body, expected",
    [
        (  # the last section of a file without a newline at its end
            "sample: true\nurls:\n  a: https://example.lg.jp/a",
            "sample: true\nurls:\n  a: https://example.lg.jp/a\n  b: https://example.lg.jp/b\n",
        ),
        (  # after the last language of a text in several languages, comments kept
            "urls:\n    a: https://example.lg.jp/a  # note\n    c:\n      ja: か\n"
            "# next\nfees:\n  x: 1\n",
            "urls:\n    a: https://example.lg.jp/a  # note\n    c:\n      ja: か\n"
            "    b: https://example.lg.jp/b\n# next\nfees:\n  x: 1\n",
        ),
        (  # a text written on one line
            "urls:\n  c: {ja: か, en: ka}\nfees:\n  x: 1\n",
            "urls:\n  c: {ja: か, en: ka}\n  b: https://example.lg.jp/b\nfees:\n  x: 1\n",
        ),
    ],
)
def test_a_new_value_goes_after_its_sections_last_line(body, expected):
    from web.editor.ward_settings import insert_value

    added = insert_value(body, "urls", "b", "url", "https://example.lg.jp/b")
    assert added == expected
    import yaml

    assert yaml.safe_load(added)["urls"]["b"] == "https://example.lg.jp/b"
