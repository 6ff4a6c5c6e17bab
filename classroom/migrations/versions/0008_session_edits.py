"""class edits: a version per class, the seats of a lottery's draw, "class moved" calls

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_REASONS = ("promoted", "session_cancelled", "lottery_won", "lottery_waitlisted", "reminder")
_MOVED = ("session_moved",)


def _reasons(values) -> str:
    return "reason IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _call_reasons(values) -> None:
    """Replace call_task's CHECK on its reasons. SQLite copies the table for it (nothing
    refers to call_task); its partial unique index is made again after the copy."""
    op.drop_index("uq_call_task_open", table_name="call_task")
    with op.batch_alter_table("call_task", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_call_task_call_reason"), type_="check")
        batch_op.create_check_constraint(op.f("ck_call_task_call_reason"), _reasons(values))
    op.create_index(
        "uq_call_task_open",
        "call_task",
        ["registration_id", "reason"],
        unique=True,
        sqlite_where=sa.text("informed_at IS NULL"),
        postgresql_where=sa.text("informed_at IS NULL"),
    )


def upgrade() -> None:
    # plain-string server defaults and nullable columns: SQLite adds them in place
    # (ALTER TABLE ADD COLUMN) without copying class_session, which others refer to
    op.add_column(
        "class_session", sa.Column("version", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("lottery_draw", sa.Column("seats", sa.Integer(), nullable=True))
    _call_reasons(_REASONS + _MOVED)


def downgrade() -> None:
    op.execute("DELETE FROM call_task WHERE reason = 'session_moved'")
    _call_reasons(_REASONS)
    op.drop_column("lottery_draw", "seats")
    op.drop_column("class_session", "version")
