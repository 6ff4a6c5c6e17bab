"""`?next=` never leaves the site (issue 13, item 1): the login page and the public
language switch judge the value as the browser will read it, after Werkzeug and the
URL parser have stripped tabs and newlines and turned backslashes into slashes."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.web.conftest import PASSWORD
from web.redirects import safe_next

#: raw values of ?next= that a browser would follow to another host (or that broke the page)
OFF_SITE = [
    "/\t/evil.example",  # the reported one: Werkzeug strips the tab -> //evil.example
    "/\n/evil.example",
    "/\r/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t\\evil.example",
    "https://evil.example/",
    "https:evil.example",
    "\x01https://evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "evil.example",
    "/\x7f/evil.example",
    "/o\x00k",
]


@pytest.mark.parametrize("raw", OFF_SITE)
def test_nothing_that_leads_off_the_site_is_accepted(raw):
    assert safe_next(raw) is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("/office/sessions", "/office/sessions"),
        ("/office/sessions?week=2", "/office/sessions?week=2"),
        ("/\r\nX:1", "/X:1"),  # a header injection becomes a harmless path here
        (" /teach/ ", "/teach/"),
        ("/guides\\juminhyo", "/guides/juminhyo"),
    ],
)
def test_a_path_on_this_site_is_kept_as_the_browser_reads_it(raw, expected):
    assert safe_next(raw) == expected


def login_with_next(client, raw_next: str):
    return client.post(
        f"/login?next={quote(raw_next, safe='/')}",
        data={"login": "coordinator", "password": PASSWORD},
    )


@pytest.mark.parametrize("raw", OFF_SITE + ["/\r\nX:1"])
def test_after_login_an_off_site_next_goes_to_the_role_home(client, staff, raw):
    response = login_with_next(client, raw)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/office/residents", "/X:1"), repr(location)
    assert not location.startswith("//") and "evil" not in location
    assert "\r" not in location and "\n" not in location


def test_the_reported_tab_no_longer_sends_anyone_to_another_host(client, staff):
    response = client.post(
        "/login?next=/%09/evil.example", data={"login": "coordinator", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/office/residents"


def test_crlf_in_next_is_not_a_server_error(client, staff):
    response = client.post(
        "/login?next=/%0d%0aX:1", data={"login": "coordinator", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/X:1"
    assert "X" not in {name for name, _ in response.headers}


def test_an_instructor_with_a_bad_next_lands_on_their_classes(client, staff):
    response = client.post(
        "/login?next=/%09/evil.example", data={"login": "instructor", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/teach/"


def test_a_good_next_still_leads_back(client, staff):
    response = client.post(
        "/login?next=/office/sessions%3Fweek%3D2",
        data={"login": "coordinator", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/office/sessions?week=2"


@pytest.mark.parametrize("raw", ["/\t/evil.example", "/\\evil.example", "\t//evil.example"])
def test_the_language_switch_stays_on_the_site(client, raw):
    response = client.get(f"/language/en?next={quote(raw, safe='/')}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_language_switch_with_crlf_is_not_a_server_error(client):
    response = client.get("/language/en?next=/%0d%0aX:1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/X:1"


def test_the_language_switch_goes_back_to_the_page(client):
    response = client.get("/language/en?next=/guides")
    assert response.headers["Location"] == "/guides"


def test_the_login_page_itself_takes_any_next_calmly(client, staff):
    for raw in ("/%0d%0aX:1", "/%09/evil.example", "%00", "/" + "a" * 3000):
        response = client.get(f"/login?next={raw}")
        assert response.status_code == 200, raw
    response = client.post(
        "/login?next=/" + "a" * 3000, data={"login": "coordinator", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/office/residents"


def test_a_page_asked_for_before_login_is_kept_only_if_on_the_site(client, staff):
    response = client.get("/office/sessions?week=2")
    assert response.location == "/login?next=/office/sessions?week%3D2"
    response = client.post(response.location, data={"login": "coordinator", "password": PASSWORD})
    assert response.headers["Location"] == "/office/sessions?week=2"
