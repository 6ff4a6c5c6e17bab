"""indexes the year report's and the staff lists' plans use (issue 21)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # whether someone attended before: the report's new participants, one probe per person
    op.create_index("ix_attendance_participant", "attendance", ["participant_id"])


def downgrade() -> None:
    op.drop_index("ix_attendance_participant", table_name="attendance")
