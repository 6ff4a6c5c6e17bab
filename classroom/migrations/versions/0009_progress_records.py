"""progress records: which "I can ..." items each participant has shown in a class

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa
import classroom.models.base


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=160), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["staff_user.id"],
            name=op.f("fk_progress_record_marked_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_progress_record_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_progress_record_session_id_class_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_record")),
        sa.UniqueConstraint(
            "participant_id", "item_id", name=op.f("uq_progress_record_participant_id_item_id")
        ),
    )
    with op.batch_alter_table("progress_record", schema=None) as batch_op:
        batch_op.create_index("ix_progress_record_session", ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("progress_record", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_record_session")
    op.drop_table("progress_record")
