"""one-time form tokens: a creating form sent twice creates once

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa
import classroom.models.base


revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "used_form_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("result_url", sa.String(length=500), nullable=False),
        sa.Column("used_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_used_form_token")),
    )
    with op.batch_alter_table("used_form_token", schema=None) as batch_op:
        batch_op.create_index("ix_used_form_token_used_at", ["used_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("used_form_token", schema=None) as batch_op:
        batch_op.drop_index("ix_used_form_token_used_at")
    op.drop_table("used_form_token")
