"""the waitlist position counted inside the booking's one statement, with a snapshot of
its own (PostgreSQL; issue 21): function waitlist_ahead(class_id, seq)

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06
"""

from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

# as classroom.models.registrations.WAITLIST_AHEAD_SQL is today: a migration keeps the
# text it ran with
WAITLIST_AHEAD_SQL = """\
CREATE OR REPLACE FUNCTION waitlist_ahead(class_id integer, seq integer) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
  SELECT count(*) FROM registration
  WHERE session_id = class_id AND status = 'waitlisted' AND waitlist_seq < seq
$$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(WAITLIST_AHEAD_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS waitlist_ahead(integer, integer)")
