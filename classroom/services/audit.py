"""Recording who viewed, exported, changed or erased whose data."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..models import AuditEvent
from .actor import Actor


def _values(
    actor: Actor,
    action: str,
    *,
    participant_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    details: dict | None = None,
) -> dict:
    return dict(
        actor_id=actor.user_id,
        actor_kind=actor.kind,
        action=action,
        participant_id=participant_id,
        subject_type=subject_type,
        subject_id=subject_id,
        remote_addr=actor.remote_addr,
        details=details or {},
    )


def record(
    db: Session,
    actor: Actor,
    action: str,
    *,
    participant_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit trail in the caller's transaction."""
    event = AuditEvent(
        **_values(
            actor,
            action,
            participant_id=participant_id,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
        )
    )
    db.add(event)
    return event


def append(db: Session, actor: Actor, action: str, **fields) -> None:
    """Like `record` (the same keywords), written at once by one prebuilt INSERT and not
    kept as an object: for a hot path (a booking) that must not pay the unit of work's
    flush while it holds a lock."""
    db.connection().execute(_INSERT, _values(actor, action, **fields))


_INSERT = insert(AuditEvent.__table__)
