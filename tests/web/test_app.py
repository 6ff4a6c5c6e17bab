"""The app factory, its headers and its error pages."""

from __future__ import annotations

import pytest

from web import create_app


def test_every_response_carries_the_security_headers(client):
    for path in ("/login", "/static/css/site.css", "/no-such-page"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_japanese_first(app):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="ja">' in html
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html
    html = client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="ja">' in html


def test_a_logged_in_member_of_staff_sees_pages_in_their_own_language(
    app, database, staff, as_role
):
    from classroom.models import User

    coordinator = as_role("coordinator")
    response = coordinator.get("/office/residents", headers={"Accept-Language": "ja"})
    assert '<html lang="en">' in response.get_data(as_text=True)  # her own setting wins
    with database.write() as db:
        db.get(User, staff.coordinator).language = "ja"
    html = coordinator.get("/office/residents", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert '<html lang="ja">' in html and "参加者" in html


def test_no_inline_script_or_style_in_any_page(as_role, ward):
    client = as_role("admin")
    for path in (
        "/login",
        "/office/residents?q=やまだ",
        "/office/sessions",
        "/teach/",
        "/admin/staff",
        "/office/residents/new",
        f"/teach/sessions/{ward.session_id}",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html, path
        assert "http://" not in html and "https://" not in html, f"{path} loads from outside"


@pytest.mark.parametrize("accept, kind", [("application/json", "json"), ("text/html", "html")])
def test_not_found_answers_json_or_html_by_accept(client, accept, kind):
    response = client.get("/nowhere", headers={"Accept": accept})
    assert response.status_code == 404
    if kind == "json":
        assert response.get_json()["error"] == "not_found"
    else:
        assert "text/html" in response.content_type


def test_a_crash_rolls_back_and_shows_a_calm_500(database, tmp_path, staff):
    from classroom.models import User
    from tests.web.conftest import build_app
    from web.database import db_session

    app = build_app(database, tmp_path, TESTING=False)

    @app.route("/boom", methods=["POST"])
    def boom():
        db_session().get(User, staff.admin).display_name = "changed"
        db_session().flush()
        raise RuntimeError("boom")

    response = app.test_client().post("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["error"] == "server_error"
    with database.read() as db:
        assert db.get(User, staff.admin).display_name == "Admin"


def _renaming_app(database, tmp_path, staff):
    """An app with views that rename the admin, then answer in different ways."""
    from flask import abort

    from classroom.models import User
    from classroom.services.errors import AlreadyRegistered
    from tests.web.conftest import build_app
    from web.database import db_session

    app = build_app(database, tmp_path, WTF_CSRF_ENABLED=False)

    def rename(to: str) -> None:
        db_session().get(User, staff.admin).display_name = to
        db_session().flush()

    @app.route("/answers-422", methods=["POST"])
    def answers_422():
        rename("kept after a 422")  # e.g. a wrong guess that stays counted
        return "refused, but the count is kept", 422

    @app.route("/aborts-409", methods=["POST"])
    def aborts_409():
        rename("not kept")
        abort(409)

    @app.route("/api/v1/test-refused", methods=["POST"])
    def api_refused():
        rename("not kept")
        raise AlreadyRegistered(status="confirmed")

    return app


def _admin_name(database, staff) -> str:
    from classroom.models import User

    with database.read() as db:
        return db.get(User, staff.admin).display_name


def test_a_request_without_an_error_is_committed_whatever_its_status(database, tmp_path, staff):
    """The unit of work ends by how the request ended, not by its status (issue 15)."""
    client = _renaming_app(database, tmp_path, staff).test_client()
    assert client.post("/answers-422").status_code == 422
    assert _admin_name(database, staff) == "kept after a 422"


def test_an_error_answer_keeps_nothing(database, tmp_path, staff):
    client = _renaming_app(database, tmp_path, staff).test_client()
    assert client.post("/aborts-409").status_code == 409
    assert _admin_name(database, staff) == "Admin"


def test_a_domain_error_answers_with_its_own_status_and_code(database, tmp_path, staff):
    """One JSON shape; the error knows its API code (no isinstance chain in the API)."""
    client = _renaming_app(database, tmp_path, staff).test_client()
    response = client.post("/api/v1/test-refused", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "already_registered",
        "message": "This person is already registered for this class (confirmed).",
    }
    assert _admin_name(database, staff) == "Admin"


def test_create_app_works_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TSUNAGU_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("TSUNAGU_SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.test_client().get("/login").status_code == 200


def test_url_for_builds_the_same_links_with_builders_compiled_on_first_use(app):
    """web/flask_app.py: a rule's url_for builder is compiled when first asked for; the
    links are what werkzeug's own rules build (converters, extra arguments, anchors)."""
    from flask import url_for
    from werkzeug.routing import Map, Rule

    from web.flask_app import LazyBuildRule

    assert all(isinstance(rule, LazyBuildRule) for rule in app.url_map.iter_rules())
    with app.test_request_context():
        lazy = [
            url_for("static", filename="a b.css"),
            url_for("static", filename="x.css", v="1 2", _anchor="top"),
        ]
    eager = Map([Rule("/static/<path:filename>", endpoint="static")]).bind("localhost")
    assert lazy == [
        eager.build("static", {"filename": "a b.css"}),
        eager.build("static", {"filename": "x.css", "v": "1 2"}) + "#top",
    ]
