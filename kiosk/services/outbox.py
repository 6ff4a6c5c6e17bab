"""The kiosk's outbox: what must reach the server, kept on disk until it has.

One JSON file per entry in the kiosk's data dir, written atomically (temporary file,
fsync, ``os.replace``, fsync of the directory), so a power cut leaves either the old
state or the new one. Entries are sent oldest first; one that cannot be sent now stops
the queue (order is kept) and is retried with backoff. A booking carries the
Idempotency-Key fixed when the resident confirmed, so a crash between "sent" and
"deleted" resends with the same key and the server books once. An entry is deleted
as soon as the server has answered for good, so personal data stays no longer than
it must. No Kivy here: the app runs ``flush`` on a worker thread.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.services.api import ApiClient, Rejected, Unreachable

log = logging.getLogger(__name__)

KINDS = ("booking", "help", "event")
#: the fields of each kind that may be stored: nothing else is written to disk
ALLOWED = {
    "booking": ("session_id", "reading", "phone", "birth_year", "device"),
    "help": ("client_id", "screen", "language"),
    "event": ("client_id", "kind", "at", "guide_id", "step", "language", "text_size"),
}
BACKOFF_BASE = 5.0
BACKOFF_MAX = 300.0
MAX_EVENTS = 200


def backoff(attempts: int) -> float:
    """Seconds to wait after ``attempts`` failed tries: 5, 10, 20 ... at most 5 minutes."""
    return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, attempts - 1))


def new_key() -> str:
    """A fresh Idempotency-Key (32 hex characters, within the API's 8-80)."""
    return uuid.uuid4().hex


@dataclass
class Delivery:
    """What happened to one entry in a flush: delivered, failed (deleted) or pending (kept)."""

    entry_id: str
    kind: str
    key: str
    outcome: str
    answer: dict = field(default_factory=dict)
    error: Rejected | None = None


class Outbox:
    """A directory of entries, oldest first; safe to share between threads."""

    def __init__(self, directory: Path, clock: Callable[[], float] = time.time):
        self.directory = Path(directory)
        self.clock = clock
        self._lock = threading.RLock()
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for stale in self.directory.glob(".tmp-*"):  # a write cut short: never replaced
            stale.unlink(missing_ok=True)

    # -- writing ---------------------------------------------------------------------
    def put(self, kind: str, payload: dict, key: str | None = None) -> str:
        """Store an entry (only its allowed fields) and return its id; the key is fixed now."""
        if kind not in KINDS:
            raise ValueError(kind)
        kept = {name: payload[name] for name in ALLOWED[kind] if name in payload}
        with self._lock:
            sequence = max((self._sequence(p) for p in self._files()), default=0) + 1
            entry_id = f"{sequence:012d}-{kind}"
            entry = {
                "id": entry_id,
                "kind": kind,
                "key": key or new_key(),
                "payload": kept,
                "attempts": 0,
                "next_attempt_at": 0.0,
            }
            self._write(entry)
        return entry_id

    def _write(self, entry: dict) -> None:
        target = self.directory / f"{entry['id']}.json"
        temporary = self.directory / f".tmp-{entry['id']}-{uuid.uuid4().hex[:8]}"
        data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
        self._sync_directory()

    def _sync_directory(self) -> None:
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _delete(self, entry_id: str) -> None:
        (self.directory / f"{entry_id}.json").unlink(missing_ok=True)
        self._sync_directory()

    # -- reading ---------------------------------------------------------------------
    def _files(self) -> list[Path]:
        return sorted(p for p in self.directory.glob("*.json") if not p.name.startswith("."))

    @staticmethod
    def _sequence(path: Path) -> int:
        try:
            return int(path.name.split("-", 1)[0])
        except ValueError:
            return 0

    def entries(self) -> list[dict]:
        """The stored entries, oldest first (an unreadable file is set aside, not sent)."""
        found = []
        with self._lock:
            for path in self._files():
                try:
                    found.append(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    log.error("outbox entry %s is unreadable; set aside", path.name)
                    path.rename(path.with_suffix(".bad"))
        return found

    def __len__(self) -> int:
        return len(self._files())

    def pending(self, kind: str | None = None) -> int:
        return sum(1 for e in self.entries() if kind is None or e["kind"] == kind)

    # -- sending ---------------------------------------------------------------------
    def flush(self, client: ApiClient, force: bool = False) -> list[Delivery]:
        """Send entries in order until one cannot be sent now; what happened to each.

        ``force`` ignores the backoff (a resident is waiting for this booking).
        """
        deliveries: list[Delivery] = []
        with self._lock:
            entries = self.entries()
            while entries:
                head = entries[0]
                if not force and head.get("next_attempt_at", 0) > self.clock():
                    break
                batch = [head]
                if head["kind"] == "event":  # consecutive events go in one request
                    while (
                        len(batch) < min(len(entries), MAX_EVENTS)
                        and entries[len(batch)]["kind"] == "event"
                    ):
                        batch.append(entries[len(batch)])
                try:
                    answer = self._send(client, batch)
                except Unreachable as exc:
                    head["attempts"] = head.get("attempts", 0) + 1
                    wait = max(backoff(head["attempts"]), exc.retry_after or 0)
                    head["next_attempt_at"] = self.clock() + wait
                    self._write(head)
                    log.info("outbox: %s not sent (%s); retry in %.0f s", head["id"], exc, wait)
                    deliveries.extend(self._report(e, "pending") for e in batch)
                    break
                except Rejected as exc:
                    # definitive: deleting it is what keeps the queue moving
                    log.warning("outbox: %s refused by the server: %s", head["id"], exc)
                    for entry in batch:
                        self._delete(entry["id"])
                    deliveries.extend(self._report(e, "failed", error=exc) for e in batch)
                else:
                    for entry in batch:
                        self._delete(entry["id"])
                    deliveries.extend(self._report(e, "delivered", answer) for e in batch)
                entries = entries[len(batch) :]
        return deliveries

    @staticmethod
    def _report(
        entry: dict, outcome: str, answer: dict | None = None, error: Rejected | None = None
    ) -> Delivery:
        return Delivery(entry["id"], entry["kind"], entry["key"], outcome, answer or {}, error)

    @staticmethod
    def _send(client: ApiClient, batch: list[dict]) -> dict:
        head = batch[0]
        if head["kind"] == "booking":
            return client.register(head["payload"], head["key"])
        if head["kind"] == "help":
            return client.help_request({**head["payload"], "client_id": head["key"]})
        return client.events([{**e["payload"], "client_id": e["key"]} for e in batch])
