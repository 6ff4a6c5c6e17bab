"""covering indexes the year report's plans read without the table (issue 21)

Three indexes become wider, each keeping the columns it had first, so what read them
before still can:

- attendance (participant_id) -> (participant_id, session_id, status): whether someone
  attended before the period, and whether a seat's holder came, index-only;
- registration (session_id, status) -> (session_id, status, participant_id): a held
  session's confirmed seats and whether their holders came, index-only;
- usage_event (at) -> (at, kind, kiosk_id, guide_id, language): the kiosk use of the
  period grouped from the index alone (SQLite; PostgreSQL reads it as a bitmap).

Revision ID: 0015
Revises: 0016
Create Date: 2026-12-06
"""

from alembic import op


revision = "0015"
down_revision = "0016"
branch_labels = None
depends_on = None

#: (table, old name, old columns, new name, new columns)
WIDENED = (
    (
        "attendance",
        "ix_attendance_participant",
        ["participant_id"],
        "ix_attendance_participant_session_status",
        ["participant_id", "session_id", "status"],
    ),
    (
        "registration",
        "ix_registration_session_status",
        ["session_id", "status"],
        "ix_registration_session_status_participant",
        ["session_id", "status", "participant_id"],
    ),
    (
        "usage_event",
        "ix_usage_event_at",
        ["at"],
        "ix_usage_event_at_kind",
        ["at", "kind", "kiosk_id", "guide_id", "language"],
    ),
)


def upgrade() -> None:
    for table, old, _old_columns, new, columns in WIDENED:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, old_columns, new, _columns in WIDENED:
        op.create_index(old, table, old_columns)
        op.drop_index(new, table_name=table)
