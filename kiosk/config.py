"""The kiosk's configuration: command-line options over a TOML, INI or YAML file.

    server = "https://tsunagu.example"   # base URL of the server
    token = "..."                         # this kiosk's API token
    data_dir = "/var/lib/tsunagu-kiosk"   # the outbox lives here
    staff_pin = "2468"                    # staff exit after the corner sequence
    fullscreen = true                     # lock-down (off with --screenshot)
    printer = "none"                      # a CUPS queue name: slips and step sheets print there
    paper = "a6"                          # a6, a4 or roll80 (an 80 mm receipt roll)
    public_site = ""                      # the ward's public site for スマホに送る (default: server)

In an INI file the keys sit under ``[kiosk]``.
"""

from __future__ import annotations

import configparser
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

import yaml


class ConfigError(ValueError):
    """The config file cannot be read or holds a wrong value."""


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tsunagu-kiosk"


@dataclass
class KioskConfig:
    server: str = ""
    token: str = ""
    data_dir: Path = None  # type: ignore[assignment]  # set in __post_init__
    staff_pin: str = ""
    fullscreen: bool = True
    printer: str = "none"
    paper: str = "a6"
    public_site: str = ""
    language: str = "ja"
    text_size: str = "large"

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir) if self.data_dir else default_data_dir()
        self.staff_pin = str(self.staff_pin or "")
        if self.staff_pin and not self.staff_pin.isdigit():
            raise ConfigError("staff_pin must be digits")
        self.printer = str(self.printer or "none").strip() or "none"
        self.paper = str(self.paper or "a6").strip().lower()
        if self.paper not in ("a6", "a4", "roll80"):
            raise ConfigError("paper must be a6, a4 or roll80")
        if isinstance(self.fullscreen, str):
            self.fullscreen = self.fullscreen.strip().lower() in ("1", "true", "yes", "on")


def read_file(path: Path) -> dict:
    """The settings in ``path`` by its suffix (.toml, .ini/.cfg, else YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
            data = data.get("kiosk", data)
        elif path.suffix in (".ini", ".cfg"):
            parser = configparser.ConfigParser()
            parser.read_string(text)
            if not parser.has_section("kiosk"):
                raise ConfigError("the INI file needs a [kiosk] section")
            data = dict(parser["kiosk"])
        else:
            data = yaml.safe_load(text) or {}
    except (OSError, tomllib.TOMLDecodeError, configparser.Error, yaml.YAMLError) as exc:
        raise ConfigError(str(exc)) from exc
    if not isinstance(data, dict):
        raise ConfigError("the config file must be a mapping")
    return data


def load(path: Path | None = None, **overrides) -> KioskConfig:
    """The config from ``path`` (if any) with the non-None ``overrides`` on top."""
    data = read_file(path) if path is not None else {}
    known = {f.name for f in fields(KioskConfig)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError("unknown settings: " + ", ".join(sorted(unknown)))
    data.update({k: v for k, v in overrides.items() if v is not None})
    return KioskConfig(**data)
