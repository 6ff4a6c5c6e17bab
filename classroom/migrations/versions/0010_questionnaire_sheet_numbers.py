"""questionnaires: the number of the paper form (用紙番号), to correct or delete an entry

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sheet_number", sa.Integer(), nullable=True))
    # entries typed in before: numbered in the order they were entered, per class
    table = sa.table(
        "questionnaire_response",
        sa.column("id", sa.Integer),
        sa.column("session_id", sa.Integer),
        sa.column("sheet_number", sa.Integer),
    )
    bind = op.get_bind()
    numbers: dict[int, int] = {}
    rows = bind.execute(sa.select(table.c.id, table.c.session_id).order_by(table.c.id)).all()
    for row_id, session_id in rows:
        numbers[session_id] = numbers.get(session_id, 0) + 1
        bind.execute(
            table.update().where(table.c.id == row_id).values(sheet_number=numbers[session_id])
        )
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_questionnaire_response_session_id_sheet_number", ["session_id", "sheet_number"]
        )


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.drop_constraint(
            "uq_questionnaire_response_session_id_sheet_number", type_="unique"
        )
        batch_op.drop_column("sheet_number")
