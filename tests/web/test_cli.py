"""`tsunagu users create` and `tsunagu serve` (on a SQLite file: the CLI reads the environment)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from classroom.db import Database
from classroom.models import Base, Role, User
from classroom.services import accounts
from tsunagu.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    database = Database(url)
    Base.metadata.create_all(database.engine)
    monkeypatch.setenv("TSUNAGU_DATABASE_URL", url)
    monkeypatch.setenv("TSUNAGU_INSTANCE_DIR", str(tmp_path))
    yield database
    database.dispose()


def test_users_create_reads_the_password_from_stdin(env):
    result = CliRunner().invoke(
        main,
        ["users", "create", "--role", "admin", "--login", "kanri", "--name", "管理 太郎"],
        input="a-long-ward-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "kanri" in result.output
    with env.write() as db:
        user = db.query(User).filter_by(login="kanri").one()
        assert user.role == Role.ADMIN and user.display_name == "管理 太郎"
        assert accounts.authenticate(db, "kanri", "a-long-ward-password") is not None


def test_users_create_refuses_a_common_password_and_creates_nothing(env):
    result = CliRunner().invoke(
        main, ["users", "create", "--role", "coordinator", "--login", "sato"], input="password123\n"
    )
    assert result.exit_code != 0
    assert "password" in result.output.lower()
    with env.read() as db:
        assert db.query(User).count() == 0


def test_users_create_needs_a_known_role(env):
    result = CliRunner().invoke(
        main, ["users", "create", "--role", "janitor", "--login", "x"], input="x\n"
    )
    assert result.exit_code == 2


def test_users_list_and_password(env):
    runner = CliRunner()
    runner.invoke(
        main,
        ["users", "create", "--role", "instructor", "--login", "tanaka"],
        input="first-long-password\n",
    )
    result = runner.invoke(
        main, ["users", "password", "--login", "tanaka"], input="second-long-password\n"
    )
    assert result.exit_code == 0, result.output
    assert "tanaka\tinstructor" in runner.invoke(main, ["users", "list"]).output
    with env.write() as db:
        assert accounts.authenticate(db, "tanaka", "second-long-password") is not None


def ward_settings(tmp_path, monkeypatch):
    """A ward's own content settings (the sample's values, but sample: false)."""
    from content.loader import CONTENT_DIR

    own = tmp_path / "ward-settings.yaml"
    sample = (CONTENT_DIR / "settings.sample.yaml").read_text(encoding="utf-8")
    own.write_text(sample.replace("sample: true", "sample: false"), encoding="utf-8")
    monkeypatch.setenv("TSUNAGU_CONTENT_SETTINGS", str(own))


def test_serve_prod_refuses_the_sample_content_settings(env, monkeypatch, frozen_clock):
    from tests.conftest import TOKYO_MIDNIGHT

    frozen_clock(TOKYO_MIDNIGHT)
    monkeypatch.delenv("TSUNAGU_CONTENT_SETTINGS", raising=False)
    seen = {}
    monkeypatch.setattr("os.execv", lambda exe, argv: seen.update(argv=argv))
    result = CliRunner().invoke(main, ["serve", "--prod", "--port", "8123"])
    assert result.exit_code == 1
    assert "settings.sample.yaml:" in result.output and "sample: true" in result.output
    assert "content check --strict" in result.output
    assert seen == {}  # gunicorn was not started


def test_serve_prod_runs_gunicorn_with_workers(env, monkeypatch, tmp_path, frozen_clock):
    from tests.conftest import TOKYO_MIDNIGHT

    frozen_clock(TOKYO_MIDNIGHT)
    ward_settings(tmp_path, monkeypatch)
    seen = {}
    monkeypatch.setattr("os.execv", lambda exe, argv: seen.update(argv=argv))
    result = CliRunner().invoke(main, ["serve", "--prod", "--port", "8123", "--workers", "3"])
    assert result.exit_code == 0, result.output
    argv = seen["argv"]
    assert argv[1:3] == ["-m", "gunicorn"]
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[-1] == "web:create_app()"
    # no control-socket thread in the master to be caught by a fork (a worker that never
    # boots), nor one socket path shared by every server on the machine
    assert "--no-control-socket" in argv
    # sync workers by default (a booking burst passes faster: issue 21); threads on request
    assert "--worker-class" not in argv and "--threads" not in argv
    four = CliRunner().invoke(main, ["serve", "--prod", "--workers", "3", "--threads", "4"])
    assert four.exit_code == 0, four.output
    assert seen["argv"][seen["argv"].index("--worker-class") + 1] == "gthread"
    assert seen["argv"][seen["argv"].index("--threads") + 1] == "4"


def test_serve_runs_the_dev_server(env, monkeypatch):
    seen = {}
    monkeypatch.setattr("flask.Flask.run", lambda self, **kw: seen.update(kw))
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "5001"])
    assert result.exit_code == 0, result.output
    handler = seen.pop("request_handler")  # logs paths without query strings (test_security.py)
    assert seen == {"host": "0.0.0.0", "port": 5001, "debug": False}
    assert handler.__name__ == "_PathOnlyLog"
