"""`tsunagu content import|export`, `tsunagu content check --db` and the seed that
`tsunagu db upgrade` loads into an empty database (issue 18).

These commands join the content package's (which knows files) to the core's versions
(which knows the database), so they live in the one room that may import both. A machine
without the web extra still has the plain `tsunagu content` and `tsunagu db` commands
(tsunagu/cli.py falls back to them).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from classroom.db import Database
from classroom.ops.cli import db as core_db
from classroom.ops.cli import db_upgrade as core_db_upgrade
from classroom.services import content_store
from classroom.services.actor import Actor
from content.cli import check as folder_check
from content.cli import content as content_group
from content.documents import Doc, folder_documents, same, write_folder
from content.loader import CONTENT_DIR
from languages import gettext as _

from .content_source import seed_from

#: pictures an import takes from a folder's media/uploads (what an export writes there)
UPLOAD_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _database() -> Database:
    return Database.from_settings()


def seed(database: Database, root: Path = CONTENT_DIR) -> content_store.Imported | None:
    """The shipped content into an empty database; None when it holds content already."""
    with database.write() as db:
        return seed_from(db, root)


# -- tsunagu db upgrade: the migrations, then the seed ------------------------------------


@click.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_context
def db_upgrade(ctx: click.Context, revision: str) -> None:
    """Apply the migrations up to REVISION (default: the newest); load the shipped guides,
    lessons and FAQ into a database that has no content yet."""
    ctx.invoke(core_db_upgrade, revision=revision)
    if revision != "head":
        return
    loaded = seed(_database())
    if loaded is not None:
        click.echo(
            _("Loaded the shipped content: %(count)d guides, lessons, FAQ topics and settings.")
            % {"count": loaded.created}
        )


# -- tsunagu content import / export / check --db ----------------------------------------


@click.command("import")
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=CONTENT_DIR
)
def import_(folder: Path) -> None:
    """Publish FOLDER's guides, lessons, FAQ and settings as new versions (an item whose
    text means the same as its published version is left alone)."""
    from content.validate import validate
    from languages.clock import ward_today

    errors = [p for p in validate(folder, today=ward_today()) if p.is_error]
    if errors:
        for problem in errors:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            _("%(count)d errors: nothing was imported.") % {"count": len(errors)}
        )
    docs = [content_store.Document(d.kind, d.slug, d.body) for d in folder_documents(folder)]
    database = _database()
    with database.write() as db:
        result = content_store.import_documents(db, Actor.cli(), docs, same)
        uploads = folder / "media" / "uploads"
        added = 0
        for path in sorted(uploads.glob("*")) if uploads.is_dir() else []:
            mime = UPLOAD_SUFFIXES.get(path.suffix.lower())
            if mime is None:
                continue
            known = {m.name for m in content_store.media_list(db)}
            if f"uploads/{path.name}" in known:
                continue
            from PIL import Image

            with Image.open(path) as picture:
                width, height = picture.size
            content_store.add_media(
                db,
                Actor.cli(),
                name=f"uploads/{path.name}",
                mime=mime,
                data=path.read_bytes(),
                width=width,
                height=height,
            )
            added += 1
    click.echo(
        _("%(created)d new, %(changed)d changed, %(unchanged)d unchanged; %(pictures)d pictures.")
        % {
            "created": result.created,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "pictures": added,
        }
    )


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export(folder: Path) -> None:
    """Write the published content into FOLDER as the shipped files are laid out (guides/,
    lessons/, faq/, settings.yaml, media/ with uploads/): the format `content import` reads."""
    database = _database()
    with database.read() as db:
        docs = [Doc(d.kind, d.slug, d.body) for d in content_store.published_documents(db)]
        uploads = content_store.media_files(db)
    if not docs:
        raise click.ClickException(
            _("The database holds no content yet: run 'tsunagu db upgrade' first.")
        )
    write_folder(folder, docs, media_from=CONTENT_DIR, uploads=uploads, extras_from=CONTENT_DIR)
    click.echo(_("Wrote %(count)d files into %(folder)s.") % {"count": len(docs), "folder": folder})


def published_folder(database: Database, target: Path, media_from: Path = CONTENT_DIR) -> int:
    """Write the published content, with the shipped pictures, into ``target``."""
    with database.read() as db:
        docs = [Doc(d.kind, d.slug, d.body) for d in content_store.published_documents(db)]
        uploads = content_store.media_files(db)
    write_folder(target, docs, media_from=media_from, uploads=uploads, extras_from=media_from)
    return len(docs)


@click.pass_context
def _check(ctx: click.Context, root: Path, strict: bool, from_db: bool) -> None:
    """Validate every content file (of a folder, or published in the database with --db);
    exit 1 when there is any error."""
    if not from_db:
        return ctx.invoke(folder_check, root=root, strict=strict)
    with tempfile.TemporaryDirectory(prefix="tsunagu-check-") as work:
        target = Path(work) / "content"
        if not published_folder(_database(), target, media_from=root):
            raise click.ClickException(
                _("The database holds no content yet: run 'tsunagu db upgrade' first.")
            )
        return ctx.invoke(folder_check, root=target, strict=strict)


#: the content package's `check` (its options as they are) with --db
check = click.Command(
    "check",
    callback=_check,
    help=_check.__doc__,
    params=[
        *folder_check.params,
        click.Option(
            ["--db", "from_db"],
            is_flag=True,
            help=_("Check the content published in the database instead of a folder."),
        ),
    ],
)


#: the core's and the content package's groups with these commands added (not changed)
db = click.Group("db", help=core_db.help, commands={**core_db.commands, "upgrade": db_upgrade})
content = click.Group(
    "content",
    help=content_group.help,
    commands={**content_group.commands, "check": check, "import": import_, "export": export},
)
