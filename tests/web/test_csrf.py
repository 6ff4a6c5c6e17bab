"""CSRF is enforced on every POST of the site (WTF_CSRF_ENABLED=True here)."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, build_app, csrf_token
from tests.web.test_access import TABLE


@pytest.fixture
def csrf_app(database, tmp_path):
    return build_app(database, tmp_path, WTF_CSRF_ENABLED=True)


def logged_in(app, login="admin"):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"login": login, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_login_without_a_token_is_refused(csrf_app, staff):
    client = csrf_app.test_client()
    response = client.post("/login", data={"login": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/staff").status_code == 302


POSTS = sorted({path for method, path, _ in TABLE if method == "POST"} | {"/logout"})


@pytest.mark.parametrize("template", POSTS)
def test_every_post_without_a_token_is_refused_and_writes_nothing(
    csrf_app, staff, ward, database, template
):
    from classroom.models import AuditEvent

    client = logged_in(csrf_app)
    with database.read() as db:
        before = db.query(AuditEvent).count()
    path = template.format(
        r=ward.resident_id,
        s=ward.session_id,
        o=ward.other_session_id,
        g=1,
        c=1,
        n=1,
        v=ward.venue_id,
        k=ward.course_id,
        u=staff.instructor,
        q=1,
        e="guide",
        h="juminhyo",
        l="intro-01-power",
        w=1,
    )
    response = client.post(path, data={"reading": "ヤマダ", "consent": "y", "code": "X"})
    assert response.status_code == 400, path
    with database.read() as db:
        assert db.query(AuditEvent).count() == before
    # and the session is still there: the refusal did not log anyone out
    assert client.get("/admin/staff").status_code == 200


def test_a_post_with_the_page_token_works(csrf_app, staff):
    client = logged_in(csrf_app, "coordinator")
    token = csrf_token(client.get("/office/residents").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.location == "/login"
