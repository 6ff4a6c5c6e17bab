"""venues: the access line in other languages, beside the Japanese one

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain-string server default: existing venues get {} and SQLite adds the column
    # in place (ALTER TABLE ADD COLUMN), without copying the table
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("access_translations", sa.JSON(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    # not in a batch: copying the venue table on SQLite would drop the table that class
    # sessions refer to (foreign keys are on); SQLite 3.35+ drops a column in place
    op.drop_column("venue", "access_translations")
