"""`tsunagu backup PATH` / `tsunagu restore PATH`: a consistent copy while the site runs.

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot
page by page, also while others write; restoring copies the file back the same way.
PostgreSQL: pg_dump's custom format (-Fc), restored with pg_restore --clean --if-exists.
The password never goes on a command line (ps shows it): it is passed in PGPASSWORD.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from languages import N_

from ..db import make_private_file
from ..services.errors import DomainError


class BackupFailed(DomainError):
    message = N_("The backup or restore failed: %(reason)s")


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupFailed(reason="an in-memory SQLite database has no file to copy")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(argv: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupFailed(
            reason=f"{argv[0]} is not installed (apt install postgresql-client)"
        ) from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise BackupFailed(
            reason=lines[-1] if lines else f"{argv[0]} exited with {done.returncode}"
        )


def backup(url: str, path: str | Path, *, schema: str | None = None) -> Path:
    """Write a backup of the database at `url` to `path` (a file); returns the path.

    The file is created readable by its owner only (0600), like the database itself:
    it holds every resident's name and phone number.
    """
    path = Path(path)
    make_private_file(path)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return path
    if backend == "postgresql":
        conn, env = _libpq(url)
        argv = ["pg_dump", "-Fc", "--no-owner", "-f", str(path)]
        if schema:
            argv += ["-n", schema]
        _run([*argv, "--dbname", conn], env)
        return path
    raise BackupFailed(reason=f"unsupported database {backend}")


def restore(url: str, path: str | Path, *, schema: str | None = None) -> None:
    """Replace the database at `url` with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupFailed(reason=f"{path} is not a file")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        make_private_file(_sqlite_path(url))
        target = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            source.execute("PRAGMA quick_check").fetchone()
            with target:
                source.backup(target)
        except sqlite3.DatabaseError as exc:
            raise BackupFailed(reason=str(exc)) from None
        finally:
            target.close()
            source.close()
        return
    if backend == "postgresql":
        conn, env = _libpq(url)
        argv = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        if schema:
            argv += ["-n", schema]
        _run([*argv, "--dbname", conn, str(path)], env)
        return
    raise BackupFailed(reason=f"unsupported database {backend}")


def schema_of(url: str) -> str | None:
    """The schema named by `?options=-csearch_path=...` in the URL, if any."""
    options = make_url(url).query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    for part in options.replace("-c ", "-c").split():
        if part.startswith("-csearch_path="):
            return part.split("=", 1)[1].split(",")[0].strip('"') or None
    return None
