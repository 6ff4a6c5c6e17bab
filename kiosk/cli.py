"""`tsunagu kiosk`: start the touch app, or draw one screen to a PNG and exit."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from kiosk.config import ConfigError, load
from kiosk.i18n import LANGUAGES
from kiosk.theme import TEXT_SIZES
from languages import gettext as _

SCREENSHOT_SIZE = (1920, 1080)
#: screens --screenshot can draw; booking ones are filled with made-up data (kiosk.stub)
SCREENSHOT_SCREENS = [
    "home",
    "guides",
    "guide",
    "notice",
    "sessions",
    "sessions-offline",
    "consent",
    "name",
    "phone",
    "birth",
    "device",
    "confirm",
    "result",
    "waitlisted",
    "pending",
    "please-wait",
    "staff-pin",
    "idle",
]


def configure_kivy(screenshot: bool, fullscreen: bool = False) -> None:
    """Set Kivy's options before it is imported: no argv parsing, a 1920x1080 window."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if home := os.environ.get("KIVY_HOME"):
        # Kivy makes only the last folder of KIVY_HOME and, when that fails, exits on
        # import (silently with the console log off, as for a screenshot)
        os.makedirs(home, exist_ok=True)
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
    if fullscreen and not screenshot:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")


def screenshot_setup(screen: str, guide_id=None, step=1) -> tuple[str, dict, object]:
    """The real screen name, its params and a setup of the visit for a --screenshot."""
    from kiosk import stub

    setup = None
    if screen in ("name", "phone", "birth", "device", "confirm", "result", "waitlisted"):

        def setup(app):
            for name, value in stub.VISIT.items():
                setattr(app.visit, name, value)
            if screen == "device":  # a class for any phone: the phone is asked
                app.visit.session = stub.SESSIONS[-1]
            app.booking_with_device = app.visit.needs_device

    if screen == "guide":
        return "guide", {"guide_id": guide_id, "step": step}, setup
    if screen == "notice":
        return "notice", {"message": "This is not ready yet. Please ask the staff."}, setup
    if screen == "sessions":
        return "sessions", {"sessions": stub.SESSIONS}, setup
    if screen == "sessions-offline":
        return "sessions", {"offline": True}, setup
    if screen in ("result", "waitlisted", "pending"):
        key = "confirmed" if screen == "result" else screen
        return "result", {"result": stub.RESULTS[key]}, setup
    return screen.replace("-", "_") if screen != "idle" else screen, {}, setup


@click.command()
@click.option("--server", default=None, help="Base URL of the Tsunagu server.")
@click.option("--token", default=None, help="This kiosk's API token.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A TOML, INI ([kiosk]) or YAML file: server, token, data_dir, staff_pin, "
    "fullscreen, printer.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the outbox is kept.",
)
@click.option("--dev", is_flag=True, help="A window without lock-down (for development).")
@click.option(
    "--screenshot",
    type=click.Path(path_type=Path),
    default=None,
    help="Draw one screen, save it as this PNG and exit (a directory with --shots).",
)
@click.option(
    "--screen",
    default="home",
    show_default=True,
    type=click.Choice(SCREENSHOT_SCREENS),
    help="The screen to draw for --screenshot.",
)
@click.option(
    "--shots",
    default=None,
    help="Many screenshots in one run: SCREEN:LANGUAGE:TEXT_SIZE,... saved in the "
    "--screenshot directory as booking-SCREEN-LANGUAGE-TEXT_SIZE.png.",
)
@click.option("--guide", "guide_id", default=None, help="Guide id for --screen guide.")
@click.option("--step", default=1, show_default=True, help="Step number for --screen guide.")
@click.option("--language", type=click.Choice(LANGUAGES), default=None)
@click.option("--text-size", type=click.Choice(TEXT_SIZES), default=None)
def kiosk(
    server,
    token,
    config_file,
    data_dir,
    dev,
    screenshot,
    screen,
    shots,
    guide_id,
    step,
    language,
    text_size,
):
    """Start the kiosk (or, with --screenshot, draw one screen and exit)."""
    try:
        config = load(
            config_file,
            server=server,
            token=token,
            data_dir=data_dir,
            language=language,
            text_size=text_size,
        )
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--config") from exc
    shooting = screenshot is not None
    if shooting:
        # a screenshot never touches the kiosk's real outbox
        config.data_dir = Path(tempfile.mkdtemp(prefix="tsunagu-shot-"))
    locked = not (shooting or dev)
    configure_kivy(shooting, fullscreen=config.fullscreen and locked)
    from kiosk.app import KioskApp

    app = KioskApp(config=config, locked=locked)
    app.choose("language", config.language)
    app.choose("text_size", config.text_size)
    if not shooting:
        app.run()
        return
    from kiosk.screenshot import Shot, shoot_then_stop

    target = screenshot.resolve()
    if shots:
        batch = []
        for spec in shots.split(","):
            shot_screen, shot_language, shot_size = spec.split(":")
            name, params, setup = screenshot_setup(shot_screen)
            path = target / f"booking-{shot_screen}-{shot_language}-{shot_size}.png"
            batch.append(Shot(path, name, params, shot_language, shot_size, setup))
    else:
        name, params, setup = screenshot_setup(screen, guide_id, step)
        batch = [Shot(target, name, params, setup=setup)]
    shoot_then_stop(app, batch)
    app.run()
    # Kivy has taken sys.stderr over for its logger: speak to the real one
    for problem in getattr(app, "problems", []):
        click.echo(_("Kiosk check failed: %(problem)s") % {"problem": problem}, file=sys.__stderr__)
    if getattr(app, "exit_code", 1) != 0:
        sys.exit(getattr(app, "exit_code", 1) or 1)
    click.echo(str(target))
