"""The servers under load: `tsunagu serve` (gunicorn or the dev server) in its own process
group, its environment, its database (a throwaway PostgreSQL schema) and its access log."""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from .measure import latency

PROJECT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = (
    os.environ.get("TSUNAGU_LOADTEST_PG_URL")
    or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

HOST = "127.0.0.1"

#: a gunicorn access-log line as `tsunagu serve --prod` writes it, ending in the duration
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>/\S*)" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms$'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the load test dies, even by SIGKILL (Linux only)."""
    with suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """`tsunagu serve` in its own process group; killed, group and all, on exit."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}/api/v1"
        self.argv = [
            sys.executable,
            "-m",
            "tsunagu.cli",
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            *args,
        ]
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=PROJECT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        return self

    def wait_ready(self, seconds: float) -> float:
        """Seconds until the API answers; raises with the server's log when it does not."""
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if requests.get(f"{self.base}/openapi.json", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {seconds:.0f} s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (its process group; Linux /proc)."""
        total, tick = 0.0, os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            if int(fields[2]) == self.process.pid:
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def in_worker(self) -> dict:
        """Time spent inside the workers, from gunicorn's access log (`%(M)sms`), per route.

        Compared with what the client measured, it tells waiting for a free worker
        apart from working. Empty for the dev server, whose log has no durations.
        """
        spent: dict[str, list[float]] = {"schedule": [], "bookings": []}
        routes = {
            ("GET", "/api/v1/sessions"): "schedule",
            ("POST", "/api/v1/registrations"): "bookings",
        }
        for line in self.log.read_text(errors="replace").splitlines():
            if (found := ACCESS_LINE.search(line)) and (
                kind := routes.get((found["method"], found["path"]))
            ):
                spent[kind].append(int(found["ms"]) / 1000)
        return {kind: latency(values) for kind, values in spent.items() if values}

    def tail(self, lines: int = 20) -> str:
        """The log's last lines that are not access-log lines (those start with the client)."""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if not line.startswith(HOST)][-lines:])

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue


def server_env(url: str, instance: Path, rate_limit: tuple[int, int] | None) -> dict[str, str]:
    instance.mkdir(parents=True, exist_ok=True)
    if rate_limit is not None:
        (instance / "config.py").write_text(f"API_RATE_LIMIT = {rate_limit!r}\n")
    # `serve --prod` refuses the shipped sample settings: a ward's own file (the sample's
    # values, marked as the ward's) stands in for them here
    sample = PROJECT / "content" / "settings.sample.yaml"
    ward_settings = instance / "ward-settings.yaml"
    ward_settings.write_text(
        sample.read_text(encoding="utf-8").replace("sample: true", "sample: false"),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.update(
        TSUNAGU_CONTENT_SETTINGS=str(ward_settings),
        TSUNAGU_DATABASE_URL=url,
        TSUNAGU_INSTANCE_DIR=str(instance),
        TSUNAGU_SECRET_KEY=secrets.token_urlsafe(32),
        PYTHONUNBUFFERED="1",
    )
    return env


def prebuild_bundle(instance: Path, env: dict[str, str]) -> None:
    """Write the content zip where the server looks, as a running ward server has it.

    Without it each worker builds the zip at its start (pictures rasterised and all) and
    its first heartbeats wait for that. Built with the server's settings file: the
    settings are part of the content version, and a zip of the sample settings' version
    is one the server never asks for.
    """
    from content.loader import SETTINGS_ENV
    from web.api.bundles import ContentBundles

    before = os.environ.get(SETTINGS_ENV)
    os.environ[SETTINGS_ENV] = env[SETTINGS_ENV]
    try:
        ContentBundles(out_dir=instance / "bundles").current()
    finally:
        if before is None:
            del os.environ[SETTINGS_ENV]
        else:
            os.environ[SETTINGS_ENV] = before


def upgrade(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tsunagu.cli", "db", "upgrade"],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(f"tsunagu db upgrade failed:\n{done.stdout}{done.stderr}")


@contextmanager
def postgres_database() -> Iterator[str]:
    """A URL for a new, private schema tsunagu_load_<pid> in the admin URL's database
    (found by search_path, as the tests' schemas are); dropped at the end.

    Not a database of its own: DROP DATABASE makes PostgreSQL (15) checkpoint the whole
    server and wait for it, and with the test suite writing beside it that took more
    than 40 s, past the run's deadline, after every check had passed. A schema is
    dropped without a checkpoint.
    """
    name = f"tsunagu_load_{os.getpid()}"
    admin = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )

    def drop() -> None:
        with admin.connect() as conn:
            # what DROP DATABASE ... WITH (FORCE) did: a server connection left behind
            # (a killed worker's) must not keep the schema's tables locked
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))

    drop()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        url = admin.url.update_query_dict(
            {"options": f"-csearch_path={name}", "application_name": name}
        )
        yield url.render_as_string(hide_password=False)
    finally:
        drop()
        admin.dispose()


def postgres_version() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            version = conn.scalar(text("SHOW server_version"))
        engine.dispose()
        return version
    except Exception:  # not reachable: the PostgreSQL run is skipped and says so
        return None
