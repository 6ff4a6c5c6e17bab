"""answered questions: how often each confident answer of /ask or a kiosk was given, by its
id and language only, for the kiosk's "questions others asked" buttons (issue 20)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answered_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_kind", sa.String(length=16), nullable=False),
        sa.Column("answer_id", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 1", name=op.f("ck_answered_question_count_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answered_question")),
        sa.UniqueConstraint(
            "answer_kind",
            "answer_id",
            "language",
            "day",
            name=op.f("uq_answered_question_answer_kind_answer_id_language_day"),
        ),
    )
    with op.batch_alter_table("answered_question", schema=None) as batch_op:
        batch_op.create_index("ix_answered_question_day", ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("answered_question", schema=None) as batch_op:
        batch_op.drop_index("ix_answered_question_day")
    op.drop_table("answered_question")
