"""Configuration from the environment, with defaults that work when nothing is set."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from languages.clock import DEFAULT_TIMEZONE, ward_zone

PROJECT_DIR = Path(__file__).resolve().parent.parent

__all__ = ["DEFAULT_TIMEZONE", "PROJECT_DIR", "Settings", "ward_zone"]


@dataclass(frozen=True)
class Settings:
    #: where the SQLite file, the generated secret key and caches live
    instance_dir: Path
    #: SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production
    database_url: str
    #: the ward's time zone: times are stored in UTC and shown here
    timezone: str
    #: the language of messages printed by the CLI and of domain errors by default
    language: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        instance_dir = Path(env.get("TSUNAGU_INSTANCE_DIR") or PROJECT_DIR / "instance")
        default_db = f"sqlite:///{instance_dir / 'tsunagu.sqlite3'}"
        return cls(
            instance_dir=instance_dir,
            database_url=env.get("TSUNAGU_DATABASE_URL") or default_db,
            timezone=env.get("TSUNAGU_TIMEZONE") or DEFAULT_TIMEZONE,
            language=env.get("TSUNAGU_LANGUAGE") or "ja",
        )

    def secret_key(self) -> str:
        """TSUNAGU_SECRET_KEY, else a key generated once into the instance folder."""
        if key := os.environ.get("TSUNAGU_SECRET_KEY"):
            return key
        path = self.instance_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        # O_EXCL: two processes starting at once agree on one key
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key
