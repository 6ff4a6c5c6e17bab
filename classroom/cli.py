"""Command-line: `tsunagu db upgrade`, `tsunagu demo`."""

from __future__ import annotations

import click

from .db import Database
from .i18n import gettext as _
from .settings import Settings


def _database() -> Database:
    return Database.from_settings(Settings.from_env())


@click.group()
def db() -> None:
    """The database: migrations and status."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from .migrate import current_revision, upgrade

    database = _database()
    before = current_revision(database)
    upgrade(database, revision)
    after = current_revision(database)
    if before == after:
        click.echo(_("Database %(url)s is up to date (revision %(rev)s).") % {
            "url": database.engine.url.render_as_string(hide_password=True), "rev": after})
    else:
        click.echo(_("Database %(url)s upgraded from %(before)s to %(after)s.") % {
            "url": database.engine.url.render_as_string(hide_password=True),
            "before": before or _("empty"), "after": after})


@db.command("status")
def db_status() -> None:
    """Show the schema revision and whether migrations are pending."""
    from .migrate import current_revision, head_revision

    database = _database()
    current, head = current_revision(database), head_revision(database)
    click.echo(_("current: %(current)s, newest: %(head)s") % {"current": current, "head": head})
    if current != head:
        raise SystemExit(1)


@click.command()
@click.option("--force", is_flag=True, help="Fill the database even if it already holds data.")
@click.option("--seed", default=2025, show_default=True, help="Random seed: the same seed, the same ward.")
def demo(force: bool, seed: int) -> None:
    """Fill an empty database with a believable ward year of classes (names belong to nobody)."""
    from .demo import DatabaseNotEmpty, load_demo

    database = _database()
    try:
        summary = load_demo(database, seed=seed, force=force)
    except DatabaseNotEmpty as exc:
        raise click.ClickException(exc.translate()) from None
    for line in summary:
        click.echo(line)
