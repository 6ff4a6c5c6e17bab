"""the year report's figures kept per person and per class, with the triggers that note
what a change makes stale (issue 21)

Tables report_stale, report_kept, report_person_year and report_session_key; triggers on attendance,
class_session and participant on both engines. Every person and class with a mark is
noted stale here: the report counts them from attendance until the first refresh (the
staff site's report page, or `tsunagu report`) keeps their figures.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# as classroom.models.report_figures.STALE_TRIGGERS is today: a migration keeps the text
# it ran with
STALE_TRIGGERS = {
    "sqlite": (
        """CREATE TRIGGER IF NOT EXISTS report_stale_attendance_insert AFTER INSERT ON attendance
BEGIN
  INSERT INTO report_stale (participant_id, session_id) VALUES (NEW.participant_id, NEW.session_id);
END""",
        """CREATE TRIGGER IF NOT EXISTS report_stale_attendance_update
AFTER UPDATE OF session_id, participant_id, status, walk_in ON attendance
BEGIN
  INSERT INTO report_stale (participant_id, session_id)
  VALUES (OLD.participant_id, OLD.session_id), (NEW.participant_id, NEW.session_id);
END""",
        """CREATE TRIGGER IF NOT EXISTS report_stale_attendance_delete AFTER DELETE ON attendance
BEGIN
  INSERT INTO report_stale (participant_id, session_id) VALUES (OLD.participant_id, OLD.session_id);
END""",
        """CREATE TRIGGER IF NOT EXISTS report_stale_session_update
AFTER UPDATE OF state, starts_at, course_id, venue_id ON class_session
WHEN OLD.state IS NOT NEW.state OR OLD.starts_at IS NOT NEW.starts_at
  OR OLD.course_id IS NOT NEW.course_id OR OLD.venue_id IS NOT NEW.venue_id
BEGIN
  INSERT INTO report_stale (participant_id, session_id)
  SELECT participant_id, session_id FROM attendance WHERE session_id = OLD.id;
  INSERT INTO report_stale (session_id) VALUES (OLD.id);
END""",
        """CREATE TRIGGER IF NOT EXISTS report_stale_session_delete BEFORE DELETE ON class_session
BEGIN
  INSERT INTO report_stale (participant_id, session_id)
  SELECT participant_id, session_id FROM attendance WHERE session_id = OLD.id;
  INSERT INTO report_stale (session_id) VALUES (OLD.id);
END""",
        """CREATE TRIGGER IF NOT EXISTS report_stale_participant_update
AFTER UPDATE OF birth_year, device ON participant
WHEN OLD.birth_year IS NOT NEW.birth_year OR OLD.device IS NOT NEW.device
BEGIN
  INSERT INTO report_stale (participant_id, session_id)
  SELECT participant_id, session_id FROM attendance WHERE participant_id = OLD.id;
  INSERT INTO report_stale (participant_id) VALUES (OLD.id);
END""",
        """CREATE TRIGGER IF NOT EXISTS report_stale_participant_delete BEFORE DELETE ON participant
BEGIN
  INSERT INTO report_stale (participant_id, session_id)
  SELECT participant_id, session_id FROM attendance WHERE participant_id = OLD.id;
  INSERT INTO report_stale (participant_id) VALUES (OLD.id);
END""",
    ),
    "postgresql": (
        """CREATE OR REPLACE FUNCTION report_stale_attendance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO report_stale (participant_id, session_id) VALUES (OLD.participant_id, OLD.session_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO report_stale (participant_id, session_id) VALUES (NEW.participant_id, NEW.session_id);
  END IF;
  RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS report_stale_attendance ON attendance",
        """CREATE TRIGGER report_stale_attendance
AFTER INSERT OR DELETE OR UPDATE OF session_id, participant_id, status, walk_in ON attendance
FOR EACH ROW EXECUTE FUNCTION report_stale_attendance()""",
        """CREATE OR REPLACE FUNCTION report_stale_session() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.state IS DISTINCT FROM NEW.state
     OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
     OR OLD.course_id IS DISTINCT FROM NEW.course_id
     OR OLD.venue_id IS DISTINCT FROM NEW.venue_id THEN
    INSERT INTO report_stale (participant_id, session_id)
    SELECT participant_id, session_id FROM attendance WHERE session_id = OLD.id;
    INSERT INTO report_stale (session_id) VALUES (OLD.id);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        "DROP TRIGGER IF EXISTS report_stale_session ON class_session",
        """CREATE TRIGGER report_stale_session
BEFORE DELETE OR UPDATE OF state, starts_at, course_id, venue_id ON class_session
FOR EACH ROW EXECUTE FUNCTION report_stale_session()""",
        """CREATE OR REPLACE FUNCTION report_stale_participant() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.birth_year IS DISTINCT FROM NEW.birth_year
     OR OLD.device IS DISTINCT FROM NEW.device THEN
    INSERT INTO report_stale (participant_id, session_id)
    SELECT participant_id, session_id FROM attendance WHERE participant_id = OLD.id;
    INSERT INTO report_stale (participant_id) VALUES (OLD.id);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        "DROP TRIGGER IF EXISTS report_stale_participant ON participant",
        """CREATE TRIGGER report_stale_participant
BEFORE DELETE OR UPDATE OF birth_year, device ON participant
FOR EACH ROW EXECUTE FUNCTION report_stale_participant()""",
    ),
}
DROPPED = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS report_stale_attendance_insert",
        "DROP TRIGGER IF EXISTS report_stale_attendance_update",
        "DROP TRIGGER IF EXISTS report_stale_attendance_delete",
        "DROP TRIGGER IF EXISTS report_stale_session_update",
        "DROP TRIGGER IF EXISTS report_stale_session_delete",
        "DROP TRIGGER IF EXISTS report_stale_participant_update",
        "DROP TRIGGER IF EXISTS report_stale_participant_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS report_stale_attendance ON attendance",
        "DROP TRIGGER IF EXISTS report_stale_session ON class_session",
        "DROP TRIGGER IF EXISTS report_stale_participant ON participant",
        "DROP FUNCTION IF EXISTS report_stale_attendance()",
        "DROP FUNCTION IF EXISTS report_stale_session()",
        "DROP FUNCTION IF EXISTS report_stale_participant()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "report_stale",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_stale")),
    )
    op.create_table(
        "report_kept",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_kept")),
    )
    op.create_table(
        "report_person_year",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("attendances", sa.Integer(), nullable=False),
        sa.Column("walk_ins", sa.Integer(), nullable=False),
        sa.Column("first_year", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint(
            "fiscal_year", "breakdown", "key", "participant_id", name=op.f("pk_report_person_year")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_report_person_year_participant", "report_person_year", ["participant_id"])
    op.create_table(
        "report_session_key",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "session_id", "breakdown", "key", name=op.f("pk_report_session_key")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_report_session_key_year", "report_session_key", ["fiscal_year", "breakdown", "key"]
    )
    for statement in STALE_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    # everyone already marked, and every class, is counted by the first refresh
    op.execute(
        "INSERT INTO report_stale (participant_id, session_id)"
        " SELECT participant_id, session_id FROM attendance"
    )


def downgrade() -> None:
    for statement in DROPPED[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table("report_session_key")
    op.drop_table("report_person_year")
    op.drop_table("report_stale")
    op.drop_table("report_kept")
