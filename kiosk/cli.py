"""`tsunagu kiosk`: start the touch app, or draw one screen to a PNG and exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import yaml

from classroom.i18n import gettext as _
from kiosk.i18n import LANGUAGES
from kiosk.theme import TEXT_SIZES

SCREENSHOT_SIZE = (1920, 1080)


def read_config(path: Path | None) -> dict:
    """The kiosk's config file (YAML: server, token, language, text_size); {} without one."""
    if path is None:
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise click.BadParameter(_("The config file must be a mapping."), param_hint="--config")
    return data


def configure_kivy(screenshot: bool) -> None:
    """Set Kivy's options before it is imported: no argv parsing, a 1920x1080 window."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if screenshot:
        os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kivy.config import Config

    width, height = SCREENSHOT_SIZE
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "borderless", "1")
    Config.set("graphics", "position", "custom")
    Config.set("graphics", "left", "0")
    Config.set("graphics", "top", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")


@click.command()
@click.option("--server", default=None, help="Base URL of the Tsunagu server.")
@click.option("--token", default=None, help="This kiosk's API token.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="A YAML file with server, token, language, text_size.")  # fmt: skip
@click.option("--screenshot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Draw one screen, save it as this PNG and exit.")  # fmt: skip
@click.option("--screen", default="home", show_default=True,
              type=click.Choice(["home", "guides", "guide", "notice"]),
              help="The screen to draw for --screenshot.")  # fmt: skip
@click.option("--guide", "guide_id", default=None, help="Guide id for --screen guide.")
@click.option("--step", default=1, show_default=True, help="Step number for --screen guide.")
@click.option("--language", type=click.Choice(LANGUAGES), default=None)
@click.option("--text-size", type=click.Choice(TEXT_SIZES), default=None)
def kiosk(server, token, config_file, screenshot, screen, guide_id, step, language, text_size):
    """Start the kiosk (or, with --screenshot, draw one screen and exit)."""
    config = read_config(config_file)
    configure_kivy(screenshot is not None)
    from kiosk.app import KioskApp

    app = KioskApp(server=server or config.get("server", ""), token=token or config.get("token", ""))
    app.language = language or config.get("language", "ja")
    app.text_size = text_size or config.get("text_size", "large")
    if screenshot is None:
        app.run()
        return
    params = {"guide_id": guide_id, "step": step} if screen == "guide" else {}
    if screen == "notice":
        params = {"message": "This is not ready yet. Please ask the staff."}
    target = screenshot.resolve()
    app.screenshot_then_stop(target, screen, params)
    app.run()
    # Kivy has taken sys.stderr over for its logger: speak to the real one
    for problem in getattr(app, "problems", []):
        click.echo(_("Kiosk check failed: %(problem)s") % {"problem": problem}, file=sys.__stderr__)
    if getattr(app, "exit_code", 1) != 0:
        sys.exit(getattr(app, "exit_code", 1) or 1)
    click.echo(str(target))
