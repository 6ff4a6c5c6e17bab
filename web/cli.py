"""`tsunagu serve` and `tsunagu users ...`: run the staff web site and manage staff accounts."""

from __future__ import annotations

import os
import sys

import click
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler

from classroom.db import Database
from classroom.models import Role, User
from classroom.services import accounts
from classroom.services.actor import Actor
from classroom.services.errors import DomainError, InvalidInput
from languages import gettext as _

#: gunicorn's access log without the query string or the referrer: both can hold what a
#: coordinator typed into the resident search (a name, a phone number)
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


#: threads per gunicorn worker; 1 runs gunicorn's sync workers, behind nginx (which reads
#: slow clients' requests and answers for them). In a booking burst every booking queues
#: on its class's row lock; with threaded workers the lock holder waited for its process's
#: GIL behind the other threads, so each booking held the row ~6 ms instead of ~4 and the
#: burst went slower (load test, 3 interleaved rounds: client p95 1.32-1.66 s with 4
#: threads, 0.73-0.94 s with 1; docs/proof.md, issue 21 session 11)
DEFAULT_THREADS = 1


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--prod", is_flag=True, help="Run gunicorn with several workers instead of the dev server."
)
@click.option("--workers", type=int, default=None, help="gunicorn workers (with --prod).")
@click.option(
    "--threads",
    type=click.IntRange(1, 16),
    default=DEFAULT_THREADS,
    show_default=True,
    help="Threads per gunicorn worker (with --prod); 1 runs gunicorn's sync workers.",
)
@click.option(
    "--debug", is_flag=True, help="Dev server with the debugger and reloader (never in a ward)."
)
def serve(host: str, port: int, prod: bool, workers: int | None, threads: int, debug: bool) -> None:
    """Run the staff web site."""
    if prod:
        _content_ready_for_production()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers or default_workers()),
            *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
            "--bind",
            f"{host}:{port}",
            "--access-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            *_no_control_socket(),
            "web:create_app()",
        ]
        click.echo(" ".join(argv[2:]), err=True)
        os.execv(sys.executable, argv)  # replaces this process; returns only when mocked
        return
    from . import create_app

    create_app().run(host=host, port=port, debug=debug, request_handler=_PathOnlyLog)


def _no_control_socket() -> list[str]:
    """gunicorn 25.1 and later open a control socket by default, served by a thread in
    the master that is stopped before each fork with a 2 s timeout: on a busy machine a
    worker can be forked while that thread still runs and hang on a lock it held, never
    booting; and every server of one user shares its path (~/.gunicorn/gunicorn.ctl).
    The site does not use it (`tsunagu serve` is run by systemd)."""
    import gunicorn

    return ["--no-control-socket"] if gunicorn.version_info >= (25, 1) else []


def _content_ready_for_production() -> None:
    """`tsunagu content check --strict`: a ward's server does not start on the sample
    settings (sample phone numbers, fees and URLs) or on content whose last check is
    older than 12 months."""
    from content.validate import validate
    from languages.clock import ward_today

    errors = [p for p in validate(today=ward_today(), strict=True) if p.is_error]
    if errors:
        for problem in errors:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            _(
                "The content is not ready for production (%(count)d errors above); "
                "see 'tsunagu content check --strict'."
            )
            % {"count": len(errors)}
        )


class _PathOnlyLog(WSGIRequestHandler):
    """The development server's request log, without the query string (see ACCESS_LOG_FORMAT)."""

    def log_request(self, code="-", size="-") -> None:
        # a request line over 64 KB is answered 414 before it is parsed: no path, no
        # command yet (reading them raised AttributeError and the answer was dropped)
        path = (getattr(self, "path", "") or "-").split("?", 1)[0][:200]
        command = getattr(self, "command", "") or "-"
        self.log("info", '"%s %s" %s %s', command, path, getattr(code, "value", code), size)


def _password_from_user() -> str:
    """stdin's first line when it is not a terminal (scripts), else prompted twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(
        _("Password"), hide_input=True, confirmation_prompt=_("Repeat the password")
    )


def _explain(error: DomainError) -> str:
    if isinstance(error, InvalidInput):
        return "\n".join(f"{field}: {e.translate(_)}" for field, e in error.errors.items())
    return error.translate(_)


@click.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--login", required=True, help="The name typed at the login page.")
@click.option("--name", "display_name", default="", help="The name shown on pages.")
@click.option("--language", default="ja", type=click.Choice(accounts.LANGUAGES), show_default=True)
def create_user(role: str, login: str, display_name: str, language: str) -> None:
    """Create a staff account; the password comes from stdin or a prompt, never an argument."""
    password = _password_from_user()
    database = Database.from_settings()
    try:
        with database.write() as s:
            user = accounts.create_user(
                s,
                login=login,
                role=role,
                password=password,
                display_name=display_name,
                language=language,
                actor=Actor.cli(),
            )
            login, role_label = user.login, _(user.role.label)
    except DomainError as error:
        raise click.ClickException(_explain(error)) from None
    finally:
        database.dispose()
    click.echo(_("Created %(role)s account '%(login)s'.") % {"role": role_label, "login": login})


@users.command("password")
@click.option("--login", required=True)
def set_password(login: str) -> None:
    """Set a new password for an account (stdin or prompt)."""
    password = _password_from_user()
    database = Database.from_settings()
    try:
        with database.write() as s:
            user = s.scalar(select(User).where(User.login == accounts.normalize_login(login)))
            if user is None:
                raise click.ClickException(_("No such account."))
            accounts.set_password(s, user.id, password, actor=Actor.cli())
    except DomainError as error:
        raise click.ClickException(_explain(error)) from None
    finally:
        database.dispose()
    click.echo(_("The password was changed."))


@users.command("list")
def list_users() -> None:
    """Print every staff account: login, role, active, name."""
    database = Database.from_settings()
    try:
        with database.read() as s:
            for user in s.scalars(select(User).order_by(User.login)):
                state = _("active") if user.active else _("disabled")
                click.echo(f"{user.login}\t{user.role.value}\t{state}\t{user.display_name}")
    finally:
        database.dispose()
