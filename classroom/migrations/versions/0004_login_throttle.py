"""login throttling: counters per (login, address) and per address

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa
import classroom.models.base


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column(
            "last_failure_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("locked_until", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ticket", sa.String(length=32), nullable=False),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_login_throttle_failures_not_negative")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_throttle_last_failure_at", ["last_failure_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index("ix_login_throttle_last_failure_at")
    op.drop_table("login_throttle")
