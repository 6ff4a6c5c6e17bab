"""Operations on the command line: `tsunagu report`, `privacy purge`, `backup`, `restore`, `import`."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from languages import gettext as _

from ..db import Database
from ..services.actor import Actor
from ..services.errors import DomainError, InvalidInput
from ..settings import Settings


def _database() -> Database:
    return Database.from_settings(Settings.from_env())


def _fail(error: DomainError) -> click.ClickException:
    if isinstance(error, InvalidInput):
        return click.ClickException(
            "\n".join(f"{f}: {e.translate(_)}" for f, e in error.errors.items())
        )
    return click.ClickException(error.translate(_))


@click.command()
@click.option(
    "--fiscal-year", type=int, help="April to March, named by its April's year (2025 = 令和7年度)."
)
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (Tokyo), with --until."
)
@click.option(
    "--until",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day (Tokyo), counted whole: --from 2026-04-01 --until 2027-03-31 is FY2026.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "text"]), default="text", show_default=True
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8-sig", "cp932"]),
    default="utf-8-sig",
    show_default=True,
    help="CSV only: UTF-8 with BOM (Excel), or Shift_JIS.",
)
def report(
    fiscal_year: int | None, start: datetime | None, end: datetime | None, fmt: str, encoding: str
) -> None:
    """Print the ward's figures for a fiscal year or a date range."""
    from ..services import report_figures, reports
    from ..services.spreadsheet import encode_csv

    if fiscal_year is None and not (start and end):
        raise click.UsageError(_("Give --fiscal-year, or --from and --until."))
    if fiscal_year is None and end < start:
        raise click.UsageError(
            _("The last day is before the first day: choose %(first)s or a later day.")
            % {"first": f"{start:%Y-%m-%d}"}
        )
    database = _database()
    try:
        report_figures.keep_current(database)  # a fiscal year's kept figures, up to date
        with database.read() as db:
            if fiscal_year is not None:
                result = reports.fiscal_year_report(db, fiscal_year)
            else:
                result = reports.report(db, *reports.days(start.date(), end.date()))
    finally:
        database.dispose()
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        try:
            sys.stdout.buffer.write(encode_csv(reports.report_rows(result), encoding))
        except DomainError as error:
            raise _fail(error) from None
        sys.stdout.flush()
    else:
        click.echo(result.headline())
        for row in reports.report_rows(result)[3:20]:
            click.echo(f"  {row[0]}: {row[1]}")


@click.group()
def privacy() -> None:
    """Residents' personal data: the retention period."""


@privacy.command("purge")
@click.option(
    "--apply", "apply_", is_flag=True, help="Erase them (without it: only list who would be)."
)
@click.option(
    "--days", type=int, default=None, help="Retention in days (default: TSUNAGU_RETENTION_DAYS)."
)
def purge(apply_: bool, days: int | None) -> None:
    """Erase residents whose last activity is older than the retention period, and remove
    unanswered questions older than a year (dry run by default)."""
    from ..services import privacy as service
    from ..services import unanswered

    try:
        days = days or service.retention_days()
    except DomainError as error:
        raise _fail(error) from None
    database = _database()
    try:
        with database.write() as db:
            expired = service.purge(db, actor=Actor.cli(), apply=apply_, days=days)
            questions = unanswered.purge(db, apply=apply_)
    finally:
        database.dispose()
    for item in expired:
        click.echo(f"{item.participant_id}\t{item.last_activity_at:%Y-%m-%d}")
    values = {"count": len(expired), "days": days}
    if apply_:
        click.echo(_("Erased %(count)s residents inactive for more than %(days)s days.") % values)
    else:
        click.echo(
            _(
                "%(count)s residents inactive for more than %(days)s days would be erased. "
                "Run again with --apply to erase them."
            )
            % values
        )
    values = {"count": questions, "days": unanswered.RETENTION_DAYS}
    if apply_:
        click.echo(_("Removed %(count)s unanswered questions older than %(days)s days.") % values)
    else:
        click.echo(
            _("%(count)s unanswered questions older than %(days)s days would be removed.") % values
        )


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--schema", default=None, help="PostgreSQL: only this schema (default: from the URL, else all)."
)
def backup(path: Path, schema: str | None) -> None:
    """Write a consistent backup of the database to PATH, also while the site runs."""
    from . import backup as ops

    url = Settings.from_env().database_url
    try:
        ops.backup(url, path, schema=schema or ops.schema_of(url))
    except DomainError as error:
        raise _fail(error) from None
    click.echo(_("Backup written to %(path)s.") % {"path": path})


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--schema", default=None, help="PostgreSQL: only this schema (default: from the URL, else all)."
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(path: Path, schema: str | None, yes: bool) -> None:
    """Replace the database with the backup at PATH (stop the site first)."""
    from . import backup as ops

    url = Settings.from_env().database_url
    if not yes:
        click.confirm(
            _("This replaces everything in the database with the backup. Continue?"), abort=True
        )
    try:
        ops.restore(url, path, schema=schema or ops.schema_of(url))
    except DomainError as error:
        raise _fail(error) from None
    click.echo(_("Restored from %(path)s.") % {"path": path})


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--apply", "apply_", is_flag=True, help="Write the rows (without it: only check them)."
)
def import_(path: Path, apply_: bool) -> None:
    """Import residents and registrations from the old spreadsheet (CSV), once every row is valid."""
    from ..services import imports

    database = _database()
    try:
        # checked without holding the write lock, written in short batches: kiosks keep booking
        result = imports.import_residents(
            database, path.read_bytes(), actor=Actor.cli(), apply=apply_
        )
    except DomainError as error:
        raise _fail(error) from None
    finally:
        database.dispose()
    for row in result.error_rows:
        for field, message in row.errors:
            click.echo(
                _("line %(line)s, %(field)s: %(message)s")
                % {"line": row.line, "field": field, "message": message},
                err=True,
            )
    values = {
        "rows": len(result.rows),
        "created": result.created,
        "registrations": result.registrations,
    }
    if not result.ok and result.applied:
        raise click.ClickException(
            _(
                "%(count)s rows could not be written (something changed since the check); "
                "the other rows were imported. Importing the same file again adds only what is missing."
            )
            % {"count": len(result.error_rows)}
        )
    if not result.ok:
        raise click.ClickException(
            _("%(count)s rows have errors; nothing was imported.")
            % {"count": len(result.error_rows)}
        )
    if result.applied:
        click.echo(
            _("Imported %(rows)s rows: %(created)s new residents, %(registrations)s registrations.")
            % values
        )
    else:
        click.echo(
            _(
                "All %(rows)s rows are valid (%(created)s new residents, %(registrations)s registrations). "
                "Run again with --apply to import them."
            )
            % values
        )
