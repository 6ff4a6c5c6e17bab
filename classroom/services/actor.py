"""Who is acting: recorded on what they enter and in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    #: "user", "kiosk:<name>", "resident" (the public site), "cli", "system"
    kind: str
    user_id: int | None = None
    remote_addr: str = ""

    @classmethod
    def for_user(cls, user, remote_addr: str = "") -> Actor:
        return cls(kind="user", user_id=user.id, remote_addr=remote_addr or "")

    @classmethod
    def cli(cls) -> Actor:
        return cls(kind="cli")

    @classmethod
    def system(cls) -> Actor:
        return cls(kind="system")

    @classmethod
    def kiosk(cls, name: str, remote_addr: str = "") -> Actor:
        return cls(kind=f"kiosk:{name}", remote_addr=remote_addr)

    @classmethod
    def resident(cls, remote_addr: str = "") -> Actor:
        """A resident or a family member on the public site (no account)."""
        return cls(kind="resident", remote_addr=remote_addr)
