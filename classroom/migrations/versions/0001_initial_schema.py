"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

import classroom.models.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("title_translations", sa.JSON(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "intro", "one_point", name="course_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column(
            "device_track",
            sa.Enum(
                "iphone",
                "android",
                "senior",
                "any",
                name="device_track",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("lesson_ids", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_course_title_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
        sa.UniqueConstraint("code", name=op.f("uq_course_code")),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_name", sa.String(length=60), nullable=False),
        sa.Column("given_name", sa.String(length=60), nullable=False),
        sa.Column("reading", sa.String(length=120), nullable=False),
        sa.Column("reading_key", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("phone_digits", sa.String(length=20), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column(
            "device",
            sa.Enum(
                "iphone",
                "android",
                "senior",
                "none",
                "unknown",
                name="device",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("consent_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("consent_method", sa.String(length=20), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "phone",
                "counter",
                "kiosk",
                "web",
                "walk_in",
                "import",
                name="participant_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "last_activity_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("erased_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
            name=op.f("ck_participant_birth_year_plausible"),
        ),
        sa.CheckConstraint(
            "erased_at IS NOT NULL OR length(reading) > 0 OR length(family_name) > 0",
            name=op.f("ck_participant_has_a_name"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index("ix_participant_phone_digits", ["phone_digits"], unique=False)
        batch_op.create_index("ix_participant_reading_key", ["reading_key"], unique=False)

    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "coordinator",
                "instructor",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(login) > 0", name=op.f("ck_staff_user_login_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("login", name=op.f("uq_staff_user_login")),
    )
    op.create_table(
        "venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_translations", sa.JSON(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "library",
                "community_centre",
                "ward_office",
                "other",
                name="venue_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("access", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("loaner_phones", sa.Integer(), nullable=False),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_venue_capacity_positive")),
        sa.CheckConstraint("loaner_phones >= 0", name=op.f("ck_venue_loaner_phones_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue")),
        sa.UniqueConstraint("name", name=op.f("uq_venue_name")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_kind", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff_user.id"], name=op.f("fk_audit_event_actor_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_audit_event_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_event_participant", ["participant_id"], unique=False)

    op.create_table(
        "class_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("waitlist_seq", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "scheduled",
                "cancelled",
                "held",
                name="session_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "booking_mode",
            sa.Enum(
                "first_come",
                "lottery",
                name="booking_mode",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "application_deadline", classroom.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("held_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "booking_mode <> 'lottery' OR application_deadline IS NOT NULL",
            name=op.f("ck_class_session_lottery_has_deadline"),
        ),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_class_session_capacity_positive")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_class_session_ends_after_start")),
        sa.CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity",
            name=op.f("ck_class_session_seats_within_capacity"),
        ),
        sa.CheckConstraint(
            "waitlist_seq >= 0", name=op.f("ck_class_session_waitlist_seq_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_class_session_course_id_course")
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venue.id"], name=op.f("fk_class_session_venue_id_venue")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_session")),
    )
    with op.batch_alter_table("class_session", schema=None) as batch_op:
        batch_op.create_index("ix_class_session_starts_at", ["starts_at"], unique=False)

    op.create_table(
        "lottery_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("drawn_order", sa.JSON(), nullable=False),
        sa.Column("drawn_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["drawn_by_id"], ["staff_user.id"], name=op.f("fk_lottery_draw_drawn_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_lottery_draw_session_id_class_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lottery_draw")),
        sa.UniqueConstraint("session_id", name=op.f("uq_lottery_draw_session_id")),
    )
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "confirmed",
                "waitlisted",
                "cancelled",
                name="registration_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("waitlist_seq", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "phone",
                "counter",
                "kiosk",
                "web",
                "walk_in",
                "import",
                name="registration_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_via", sa.String(length=60), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("qr_token", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=True),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (waitlist_seq IS NOT NULL)",
            name=op.f("ck_registration_waitlist_seq_iff_waitlisted"),
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["staff_user.id"],
            name=op.f("fk_registration_cancelled_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["staff_user.id"],
            name=op.f("fk_registration_entered_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_registration_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_registration_session_id_class_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("code", name=op.f("uq_registration_code")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_registration_idempotency_key")),
        sa.UniqueConstraint("qr_token", name=op.f("uq_registration_qr_token")),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index("ix_registration_participant", ["participant_id"], unique=False)
        batch_op.create_index(
            "ix_registration_session_status", ["session_id", "status"], unique=False
        )
        batch_op.create_index(
            "uq_registration_active_participant",
            ["session_id", "participant_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('applied', 'confirmed', 'waitlisted')"),
            postgresql_where=sa.text("status IN ('applied', 'confirmed', 'waitlisted')"),
        )

    op.create_table(
        "session_instructor",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_session_instructor_session_id_class_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name=op.f("fk_session_instructor_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "user_id", name=op.f("pk_session_instructor")),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "late",
                "absent",
                "excused",
                name="attendance_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "scan",
                "code",
                "roster",
                "walk_in",
                "import",
                name="check_in_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "walk_in = (registration_id IS NULL)",
            name=op.f("ck_attendance_walk_in_iff_unregistered"),
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["staff_user.id"], name=op.f("fk_attendance_marked_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_attendance_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_attendance_registration_id_registration"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_attendance_session_id_class_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint(
            "session_id", "participant_id", name=op.f("uq_attendance_session_id_participant_id")
        ),
    )
    op.create_table(
        "call_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "promoted",
                "session_cancelled",
                "lottery_won",
                "lottery_waitlisted",
                "reminder",
                name="call_reason",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("informed_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("informed_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["informed_by_id"],
            ["staff_user.id"],
            name=op.f("fk_call_task_informed_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_call_task_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_call_task_registration_id_registration"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["class_session.id"], name=op.f("fk_call_task_session_id_class_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_task")),
    )
    with op.batch_alter_table("call_task", schema=None) as batch_op:
        batch_op.create_index("ix_call_task_open", ["informed_at"], unique=False)
        batch_op.create_index(
            "uq_call_task_open",
            ["registration_id", "reason"],
            unique=True,
            sqlite_where=sa.text("informed_at IS NULL"),
            postgresql_where=sa.text("informed_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("call_task", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_call_task_open",
            sqlite_where=sa.text("informed_at IS NULL"),
            postgresql_where=sa.text("informed_at IS NULL"),
        )
        batch_op.drop_index("ix_call_task_open")

    op.drop_table("call_task")
    op.drop_table("attendance")
    op.drop_table("session_instructor")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_registration_active_participant",
            sqlite_where=sa.text("status IN ('applied', 'confirmed', 'waitlisted')"),
            postgresql_where=sa.text("status IN ('applied', 'confirmed', 'waitlisted')"),
        )
        batch_op.drop_index("ix_registration_session_status")
        batch_op.drop_index("ix_registration_participant")

    op.drop_table("registration")
    op.drop_table("lottery_draw")
    with op.batch_alter_table("class_session", schema=None) as batch_op:
        batch_op.drop_index("ix_class_session_starts_at")

    op.drop_table("class_session")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_participant")
        batch_op.drop_index("ix_audit_event_at")

    op.drop_table("audit_event")
    op.drop_table("venue")
    op.drop_table("staff_user")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_reading_key")
        batch_op.drop_index("ix_participant_phone_digits")

    op.drop_table("participant")
    op.drop_table("course")
