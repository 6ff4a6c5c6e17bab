"""Recording who viewed, exported, changed or erased whose data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import AuditEvent
from .actor import Actor


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
        actor_id=actor.user_id,
        actor_kind=actor.kind,
        action=action,
        participant_id=participant_id,
        subject_type=subject_type,
        subject_id=subject_id,
        remote_addr=actor.remote_addr,
        details=details or {},
    )
    db.add(event)
    return event
