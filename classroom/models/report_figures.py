"""The year report's figures kept per person and per class as attendance is written (issue 21).

A fiscal year's breakdowns (people and attendances by course, venue, month, age band and
kind of phone; the people new that year; the classes with someone of an age band or
phone) are read from rows kept here instead of being counted again from every attended
row. Triggers on attendance, class_session and participant, on both engines, note in
`report_stale` every person and class whose rows a change may have made wrong — whoever
writes: the services, an import, a bulk load. The report counts those people and classes
from attendance again in the same statement and takes the kept rows for everyone else, so
it is right at any moment; `classroom.services.report_figures.refresh` recounts the noted
ones into the kept rows (done before the staff site or the command line shows a report).

No personal data here: ids, keys and counts.
"""

from __future__ import annotations

from sqlalchemy import DDL, Boolean, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ReportStale(Base):
    """A person or a class whose kept rows a change may have made wrong (either or both)."""

    __tablename__ = "report_stale"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(Integer)
    session_id: Mapped[int | None] = mapped_column(Integer)


class ReportPersonYear(Base):
    """One person's attendances in a fiscal year under one breakdown's key.

    breakdown: "course" (key: the course's id), "venue" (the venue's id), "month" (202604),
    "age_band" (its index in report_keys.AGE_BANDS; their number for an unknown birth year) or
    "device" (the person's kind of phone: one row per person and year, whose `first_year`
    tells whether the person attended a held class for the first time ever that year)."""

    __tablename__ = "report_person_year"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    breakdown: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    participant_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attendances: Mapped[int] = mapped_column(Integer)
    walk_ins: Mapped[int] = mapped_column(Integer)
    first_year: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_report_person_year_participant", "participant_id"),
        # SQLite: the rows stored in key order, so a year's groups are read in one pass
        {"sqlite_with_rowid": False},
    )


class ReportSessionKey(Base):
    """A held class had someone of this age band, or with this kind of phone, attending."""

    __tablename__ = "report_session_key"

    session_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    breakdown: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_report_session_key_year", "fiscal_year", "breakdown", "key"),
        {"sqlite_with_rowid": False},
    )


class ReportKept(Base):
    """The ward's time zone the kept rows were counted in (one row, once refreshed): their
    fiscal years, months and age bands follow it. A refresh in another zone counts everyone
    again; the report reads the kept rows only when they are in its zone."""

    __tablename__ = "report_kept"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))


#: the triggers that note stale people and classes, as (engine, statements). Made with the
#: tables, and by migration 0018 in a ward's database (which keeps its own copy of the text)
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

for _dialect, _statements in STALE_TRIGGERS.items():
    for _statement in _statements:
        # (again harmlessly: IF NOT EXISTS; dropped first on PostgreSQL) once every table exists (the triggers name attendance, class_session, participant)
        event.listen(Base.metadata, "after_create", DDL(_statement).execute_if(dialect=_dialect))
