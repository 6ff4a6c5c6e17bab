"""The `tsunagu` command: one entry point, each room contributes its own subcommands.

Subcommands are imported lazily so that a machine with only some extras installed
(a kiosk without Flask, a server without Kivy) can still run the commands it has.
"""

from __future__ import annotations

import importlib

import click

from languages import gettext as _

#: subcommand name -> "module:attribute" of a click command or group, or several tried in
#: turn (the first whose packages are installed)
SUBCOMMANDS: dict[str, str | tuple[str, ...]] = {
    # with the web extra, db and content also load content into the database (issue 18)
    "db": ("web.content_cli:db", "classroom.ops.cli:db"),
    "demo": "classroom.ops.cli:demo",
    "content": ("web.content_cli:content", "content.cli:content"),
    "kiosk": "kiosk.cli:kiosk",
    "serve": "web.cli:serve",
    "users": "web.cli:users",
    "kiosks": "classroom.ops.cli_kiosks:kiosks",
    "report": "classroom.ops.cli_data:report",
    "privacy": "classroom.ops.cli_data:privacy",
    "backup": "classroom.ops.cli_data:backup",
    "restore": "classroom.ops.cli_data:restore",
    "import": "classroom.ops.cli_data:import_",
    "ask": "content.ask.cli:ask_command",
    # rooms add their subcommands above this line
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(SUBCOMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        candidates = (target,) if isinstance(target, str) else target
        for n, candidate in enumerate(candidates, 1):
            module_name, attr = candidate.split(":")
            try:
                module = importlib.import_module(module_name)
                break
            except ImportError as exc:  # an extra that is not installed on this machine
                if n < len(candidates):
                    continue
                raise click.ClickException(
                    _("The command '%(name)s' needs a package that is not installed: %(missing)s")
                    % {"name": cmd_name, "missing": exc.name or exc}
                ) from exc
        return getattr(module, attr)


@click.group(cls=LazyGroup)
@click.version_option(package_name="tsunagu")
def main() -> None:
    """Tsunagu (つなぐ): kiosks and smartphone classes for the ward."""


if __name__ == "__main__":
    main()
