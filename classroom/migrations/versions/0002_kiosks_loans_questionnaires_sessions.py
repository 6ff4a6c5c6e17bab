"""kiosks, help requests, usage events, phone loans, questionnaires, staff sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa
import classroom.models.base


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("content_version", sa.String(length=40), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_kiosk_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk")),
        sa.UniqueConstraint("name", name=op.f("uq_kiosk_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_token_hash")),
    )
    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=80), nullable=False),
        sa.Column("screen", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("taken_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["staff_user.id"],
            name=op.f("fk_help_request_closed_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["kiosk_id"], ["kiosk.id"], name=op.f("fk_help_request_kiosk_id_kiosk")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"], ["staff_user.id"], name=op.f("fk_help_request_taken_by_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.create_index("ix_help_request_open", ["closed_at"], unique=False)
        batch_op.create_index(
            "uq_help_request_kiosk_client", ["kiosk_id", "client_id"], unique=True
        )

    op.create_table(
        "staff_session",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_session_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_staff_session")),
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.create_index("ix_staff_session_user", ["user_id"], unique=False)

    op.create_table(
        "usage_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "guide_viewed",
                "step_reached",
                "guide_finished",
                "handoff_shown",
                "language_chosen",
                "text_size_chosen",
                "speech_played",
                "faq_viewed",
                "booking_started",
                name="usage_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("guide_id", sa.String(length=60), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("text_size", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"], ["kiosk.id"], name=op.f("fk_usage_event_kiosk_id_kiosk")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_event")),
    )
    with op.batch_alter_table("usage_event", schema=None) as batch_op:
        batch_op.create_index("ix_usage_event_at", ["at"], unique=False)
        batch_op.create_index("uq_usage_event_kiosk_client", ["kiosk_id", "client_id"], unique=True)

    op.create_table(
        "phone_loan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("phone_label", sa.String(length=40), nullable=False),
        sa.Column("lent_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lent_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_at", classroom.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("length(phone_label) > 0", name=op.f("ck_phone_loan_label_not_empty")),
        sa.ForeignKeyConstraint(
            ["lent_by_id"], ["staff_user.id"], name=op.f("fk_phone_loan_lent_by_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_phone_loan_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["returned_by_id"],
            ["staff_user.id"],
            name=op.f("fk_phone_loan_returned_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_phone_loan_session_id_class_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_loan")),
    )
    with op.batch_alter_table("phone_loan", schema=None) as batch_op:
        batch_op.create_index(
            "uq_phone_loan_out_label",
            ["session_id", "phone_label"],
            unique=True,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.create_index(
            "uq_phone_loan_out_participant",
            ["session_id", "participant_id"],
            unique=True,
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )

    op.create_table(
        "questionnaire_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("entered_at", classroom.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "satisfaction BETWEEN 1 AND 5",
            name=op.f("ck_questionnaire_response_satisfaction_1_to_5"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["staff_user.id"],
            name=op.f("fk_questionnaire_response_entered_by_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_session.id"],
            name=op.f("fk_questionnaire_response_session_id_class_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_response")),
    )
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.create_index("ix_questionnaire_response_session", ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.drop_index("ix_questionnaire_response_session")

    op.drop_table("questionnaire_response")
    with op.batch_alter_table("phone_loan", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_phone_loan_out_participant",
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )
        batch_op.drop_index(
            "uq_phone_loan_out_label",
            sqlite_where=sa.text("returned_at IS NULL"),
            postgresql_where=sa.text("returned_at IS NULL"),
        )

    op.drop_table("phone_loan")
    with op.batch_alter_table("usage_event", schema=None) as batch_op:
        batch_op.drop_index("uq_usage_event_kiosk_client")
        batch_op.drop_index("ix_usage_event_at")

    op.drop_table("usage_event")
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_session_user")

    op.drop_table("staff_session")
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_index("uq_help_request_kiosk_client")
        batch_op.drop_index("ix_help_request_open")

    op.drop_table("help_request")
    op.drop_table("kiosk")
