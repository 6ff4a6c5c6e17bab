"""web bookings (issue 19): a booking made by a family member on the public site keeps that
it was (booked_by_family) and, when given, the family member's phone as the contact

Revision ID: 0012
Revises: 0014
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("booked_by_family", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("contact_phone", sa.String(length=30), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "contact_phone_digits", sa.String(length=20), server_default="", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("contact_phone_digits")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("booked_by_family")
