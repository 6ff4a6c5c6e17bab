"""Issue 13, items 8, 9, 10 and 12: bad input is never a 500 nor stored garbage.

Each test here failed before its fix (on SQLite and PostgreSQL alike, through the
`database` fixture); each asserts what a member of staff or a resident would notice.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, build_app, english_client, log_in

# -- the error page itself never fails -------------------------------------------------


def test_a_logged_in_member_of_staff_gets_the_calm_500_page_not_a_bare_text(
    database, tmp_path, staff
):
    """The 500 page rolled back, then the menu touched the detached `current_user`."""
    app = build_app(database, tmp_path, TESTING=False)

    @app.route("/boom")
    def boom():
        assert current_user_name() == "Coordinator"  # the user row is in the session now
        raise RuntimeError("boom")

    client = english_client(app)
    assert log_in(client, "coordinator", PASSWORD).status_code == 302
    response = client.get("/boom", headers={"Accept-Language": "ja"})
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert '<html lang="en">' in html  # still in her own language


def current_user_name() -> str:
    from flask_login import current_user

    return current_user.display_name


def test_the_500_page_needs_no_database(database, tmp_path, staff):
    """Even when the crash left the database unusable, the page is the site's page."""
    app = build_app(database, tmp_path, TESTING=False)

    @app.route("/boom2")
    def boom2():
        current_user_name()
        database.engine.dispose()
        app.extensions["tsunagu_db"] = None  # any further use of the database fails
        raise RuntimeError("boom")

    client = english_client(app)
    assert log_in(client, "coordinator", PASSWORD).status_code == 302
    response = client.get("/boom2")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


# -- the report and the audit trail: any query string is a page, never a 500 -----------


#: (query string, the field whose message says what is wrong)
BAD_PERIODS = [
    ("from=0001-01-01&until=0001-01-02", "from"),
    ("from=9999-12-30&until=9999-12-31", "from"),
    ("from=2026-04-01&until=9999-12-31", "until"),
    ("from=２０２６-04-01&until=2026-05-01", "from"),
    ("from=2026-04-01", "until"),
    ("from=2026-05-01&until=2026-04-01", "until"),
    ("fy=%C2%B2", "fy"),
    ("fy=99999999999999999999", "fy"),
    ("fy=1", "fy"),
]


@pytest.mark.parametrize("page", ["/reports/", "/reports/export.csv"])
def test_a_period_the_report_cannot_count_is_explained_on_its_field(as_role, ward, page):
    client = as_role("coordinator")
    for query, field in BAD_PERIODS:
        response = client.get(f"{page}?{query}")
        assert response.status_code == 400, (query, response.status_code)
        assert response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        assert f'id="{field}-error"' in html, query
        assert "Please choose a period between 2000 and 2100" in html or (
            "Please enter both dates." in html
        )
    # the edges of the window still count
    assert client.get(f"{page}?from=2000-01-01&until=2100-12-31").status_code == 200


def test_the_report_page_in_shift_jis_is_a_link_not_a_crash(as_role, ward):
    """?encoding= belongs to the CSV; on the page itself it changes nothing."""
    client = as_role("coordinator")
    assert client.get("/reports/?encoding=cp932").status_code == 200
    assert client.get("/reports/?encoding=cp932&fy=2026").status_code == 200
    response = client.get("/reports/export.csv?encoding=cp932")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert client.get("/reports/export.csv?encoding=latin-1").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "participant=" + "9" * 30,
        "participant=%C2%B2",
        "participant=3000000000",
        "participant=%EF%BC%91",  # a full-width 1
        "before=%C2%B2",
        "before=" + "9" * 30,
        "before=3000000000",
    ],
)
def test_the_audit_trail_filters_take_any_text(as_role, ward, query):
    response = as_role("admin").get(f"/reports/audit?{query}")
    html = response.get_data(as_text=True)
    if "%C2%B2" in query and query.startswith("participant"):
        assert response.status_code == 400
        assert "A resident number is written in digits" in html
    else:  # a number no row can have: nothing found (or the filter ignored), calmly
        assert response.status_code == 200, response.status_code
