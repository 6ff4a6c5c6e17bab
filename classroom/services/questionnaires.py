"""Paper questionnaires typed in after class: satisfaction 1–5 and a comment, anonymous."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from languages import N_

from ..models import ClassSession, QuestionnaireResponse, SessionState, utcnow
from . import audit
from .actor import Actor
from .errors import DomainError, InvalidInput, Msg, NotFound, SessionNotOpen
from .registration import lock_session
from .text import clean_line

MIN_SATISFACTION = 1
MAX_SATISFACTION = 5
MAX_COMMENT_LENGTH = 1000


@dataclass(frozen=True)
class Summary:
    """How a session's questionnaires came out; `average` is None when there are none."""

    count: int
    average: float | None


def _open_session(db: Session, session_id: int) -> ClassSession:
    session = db.get(ClassSession, session_id)
    if session is None:
        raise NotFound(field="session_id")
    if session.state == SessionState.CANCELLED:
        raise SessionNotOpen(field="session_id", reason=Msg(N_("cancelled")))
    return session


def _comment(text: str | None) -> str:
    """Trimmed, with line breaks kept (a paper comment may have several lines)."""
    lines = [clean_line(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def add_response(
    db: Session,
    *,
    session_id: int,
    satisfaction: int | str | None,
    comment: str = "",
    actor: Actor,
    now: datetime | None = None,
) -> QuestionnaireResponse:
    """Store one questionnaire of a held or scheduled session; nothing is stored if a value is wrong."""
    _open_session(db, session_id)
    score, text = _checked(satisfaction, comment)
    # two tablets entering forms for one class queue here, so each gets its own number
    lock_session(db, session_id)
    last = db.scalar(
        select(func.max(QuestionnaireResponse.sheet_number)).where(
            QuestionnaireResponse.session_id == session_id
        )
    )
    response = QuestionnaireResponse(
        session_id=session_id,
        satisfaction=score,
        comment=text,
        entered_at=now or utcnow(),
        entered_by_id=actor.user_id,
        sheet_number=(last or 0) + 1,
    )
    db.add(response)
    db.flush()
    audit.record(
        db, actor, "questionnaire.enter", subject_type="class_session", subject_id=session_id
    )
    return response


def _checked(satisfaction: int | str | None, comment: str | None) -> tuple[int, str]:
    """The score and comment as stored, or InvalidInput naming each wrong field."""
    errors: dict[str, DomainError] = {}
    try:
        score = int(str(satisfaction).strip())
    except (TypeError, ValueError):
        score = None
    if score is None or not MIN_SATISFACTION <= score <= MAX_SATISFACTION:
        errors["satisfaction"] = DomainError(
            N_("Please choose a satisfaction from %(low)s to %(high)s."),
            field="satisfaction",
            low=MIN_SATISFACTION,
            high=MAX_SATISFACTION,
        )
    text = _comment(comment)
    if len(text) > MAX_COMMENT_LENGTH:
        errors["comment"] = DomainError(
            N_("The comment is too long (%(length)s characters; at most %(limit)s)."),
            field="comment",
            length=len(text),
            limit=MAX_COMMENT_LENGTH,
        )
    if errors:
        raise InvalidInput(errors)
    return score, text


def response_of(db: Session, session_id: int, response_id: int) -> QuestionnaireResponse:
    """One questionnaire of this session, or NotFound (another session's too)."""
    response = db.get(QuestionnaireResponse, response_id)
    if response is None or response.session_id != session_id:
        raise NotFound(field="response_id")
    return response


def correct_response(
    db: Session,
    *,
    session_id: int,
    response_id: int,
    satisfaction: int | str | None,
    comment: str = "",
    actor: Actor,
) -> QuestionnaireResponse:
    """Correct a typed-in questionnaire (a typing slip); the audit trail names what changed
    and the form's number, never the comment."""
    response = response_of(db, session_id, response_id)
    score, text = _checked(satisfaction, comment)
    changed = [
        name
        for name, old, new in (
            ("satisfaction", response.satisfaction, score),
            ("comment", response.comment, text),
        )
        if old != new
    ]
    response.satisfaction, response.comment = score, text
    db.flush()
    audit.record(
        db,
        actor,
        "questionnaire.correct",
        subject_type="class_session",
        subject_id=session_id,
        details={"sheet_number": response.sheet_number, "fields": changed},
    )
    return response


def delete_response(db: Session, *, session_id: int, response_id: int, actor: Actor) -> int | None:
    """Delete a questionnaire typed in by mistake (twice, or the wrong class); audited with
    its form number, which it returns."""
    response = response_of(db, session_id, response_id)
    number = response.sheet_number
    db.delete(response)
    db.flush()
    audit.record(
        db,
        actor,
        "questionnaire.delete",
        subject_type="class_session",
        subject_id=session_id,
        details={"sheet_number": number},
    )
    return number


def responses(db: Session, session_id: int) -> list[QuestionnaireResponse]:
    """The session's questionnaires in the order they were entered."""
    return list(
        db.scalars(
            select(QuestionnaireResponse)
            .where(QuestionnaireResponse.session_id == session_id)
            .order_by(QuestionnaireResponse.id)
        )
    )


def summary(db: Session, session_id: int) -> Summary:
    """The number of questionnaires and their average satisfaction, rounded to 0.1."""
    count, average = db.execute(
        select(
            func.count(QuestionnaireResponse.id), func.avg(QuestionnaireResponse.satisfaction)
        ).where(QuestionnaireResponse.session_id == session_id)
    ).one()
    return Summary(int(count), round(float(average), 1) if count else None)
