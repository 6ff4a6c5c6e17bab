"""`tsunagu kiosks add|revoke|list`: the kiosks allowed to talk to the server's API."""

from __future__ import annotations

import click

from languages import gettext as _

from ..db import Database
from ..services import kiosks as kiosk_service
from ..services.actor import Actor
from ..services.errors import DomainError, InvalidInput


def _explain(error: DomainError) -> str:
    if isinstance(error, InvalidInput):
        return "\n".join(f"{field}: {e.translate(_)}" for field, e in error.errors.items())
    return error.translate(_)


@click.group()
def kiosks() -> None:
    """Kiosks and their API tokens."""


@kiosks.command("add")
@click.argument("name")
@click.option("--location", default="", help='Where it stands, e.g. "中央図書館 1階 入口".')
def add(name: str, location: str) -> None:
    """Add a kiosk; its token is printed once, on the last line, and never again."""
    database = Database.from_settings()
    try:
        with database.write() as s:
            kiosk, token = kiosk_service.create_kiosk(
                s, name=name, location=location, actor=Actor.cli()
            )
            name = kiosk.name
    except DomainError as error:
        raise click.ClickException(_explain(error)) from None
    finally:
        database.dispose()
    click.echo(
        _(
            "Added kiosk '%(name)s'. Its token is shown only now; put it in the kiosk's "
            "configuration:"
        )
        % {"name": name}
    )
    click.echo(token)


@kiosks.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Refuse this kiosk's token from now on."""
    database = Database.from_settings()
    try:
        with database.write() as s:
            kiosk_service.revoke_kiosk(s, name, actor=Actor.cli())
    except DomainError as error:
        raise click.ClickException(
            _("No kiosk is called '%(name)s'.") % {"name": name}
            if error.field == "name"
            else _explain(error)
        ) from None
    finally:
        database.dispose()
    click.echo(_("The token of kiosk '%(name)s' is revoked.") % {"name": name})


@kiosks.command("list")
def list_kiosks() -> None:
    """Print every kiosk: name, state, last seen (UTC), app and content versions, location."""
    database = Database.from_settings()
    try:
        with database.read() as s:
            for k in kiosk_service.list_kiosks(s):
                if k.revoked_at is not None:
                    state = _("revoked")
                else:
                    state = _("online") if kiosk_service.is_online(k) else _("offline")
                seen = k.last_seen_at.strftime("%Y-%m-%dT%H:%M:%SZ") if k.last_seen_at else "-"
                click.echo(
                    "\t".join(
                        [
                            k.name,
                            state,
                            seen,
                            k.app_version or "-",
                            k.content_version or "-",
                            k.location,
                        ]
                    )
                )
    finally:
        database.dispose()
