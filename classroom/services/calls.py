"""The coordinators' "to call" list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import CallTask, utcnow
from . import audit
from .actor import Actor
from .errors import NotFound


def open_calls(db: Session) -> list[CallTask]:
    """Calls not yet made, oldest first."""
    return list(
        db.scalars(
            select(CallTask)
            .where(CallTask.informed_at.is_(None))
            .options(selectinload(CallTask.participant), selectinload(CallTask.session))
            .order_by(CallTask.created_at, CallTask.id)
        )
    )


def mark_informed(
    db: Session, call_id: int, *, actor: Actor, now: datetime | None = None
) -> CallTask:
    """Tick a call as made; ticking twice keeps the first time."""
    call = db.get(CallTask, call_id)
    if call is None:
        raise NotFound(field="call_id")
    if call.informed_at is None:
        call.informed_at = now or utcnow()
        call.informed_by_id = actor.user_id
        db.flush()
        audit.record(
            db,
            actor,
            "call.informed",
            participant_id=call.participant_id,
            subject_type="call_task",
            subject_id=call.id,
        )
    return call
