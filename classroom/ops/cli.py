"""Command-line: `tsunagu db upgrade`, `tsunagu demo`."""

from __future__ import annotations

import click

from languages import gettext as _

from ..db import Database
from ..settings import Settings


def _database() -> Database:
    return Database.from_settings(Settings.from_env())


@click.group()
def db() -> None:
    """The database: migrations and status."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from ..migrate import current_revision, upgrade

    database = _database()
    before = current_revision(database)
    upgrade(database, revision)
    after = current_revision(database)
    if before == after:
        click.echo(
            _("Database %(url)s is up to date (revision %(rev)s).")
            % {"url": database.engine.url.render_as_string(hide_password=True), "rev": after}
        )
    else:
        click.echo(
            _("Database %(url)s upgraded from %(before)s to %(after)s.")
            % {
                "url": database.engine.url.render_as_string(hide_password=True),
                "before": before or _("empty"),
                "after": after,
            }
        )


@db.command("status")
def db_status() -> None:
    """Show the schema revision and whether migrations are pending."""
    from ..migrate import current_revision, head_revision

    database = _database()
    current, head = current_revision(database), head_revision(database)
    click.echo(_("current: %(current)s, newest: %(head)s") % {"current": current, "head": head})
    if current != head:
        raise SystemExit(1)


@click.command()
@click.option("--force", is_flag=True, help="Fill the database even if it already holds data.")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing (and succeed) if the database holds data."
)
@click.option("--logins", is_flag=True, help="Give the demo staff passwords and print them.")
@click.option(
    "--seed", default=2025, show_default=True, help="Random seed: the same seed, the same ward."
)
def demo(force: bool, if_empty: bool, logins: bool, seed: int) -> None:
    """Fill an empty database with a believable ward year of classes (names belong to nobody)."""
    from .demo import DatabaseNotEmpty, ensure_demo_staff_passwords, load_demo

    settings = Settings.from_env()
    database = Database.from_settings(settings)
    try:
        for line in load_demo(database, seed=seed, force=force):
            click.echo(line)
    except DatabaseNotEmpty as exc:
        if not if_empty:
            raise click.ClickException(exc.translate()) from None
        click.echo(_("The database already holds data: demo data not loaded."))
    if logins:
        click.echo(
            _("Demo logins (kept in %(path)s):")
            % {"path": settings.instance_dir / "demo-logins.txt"}
        )
        for login, role, password in ensure_demo_staff_passwords(database, settings.instance_dir):
            click.echo(f"  {role:<12} {login:<20} {password}")
