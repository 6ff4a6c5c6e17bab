"""content edited on the staff site (issue 18): items, their numbered versions, uploaded
pictures, and the content editor permission of staff

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa

from classroom.models.base import UTCDateTime


revision = "0016"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("published_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('guide', 'lesson', 'faq', 'settings')",
            name=op.f("ck_content_item_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_item")),
        sa.UniqueConstraint("kind", "slug", name=op.f("uq_content_item_kind_slug")),
    )
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("conflict", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_content_version_number_positive")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["staff_user.id"], name=op.f("fk_content_version_author_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["content_item.id"], name=op.f("fk_content_version_item_id_content_item")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["staff_user.id"],
            name=op.f("fk_content_version_published_by_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
        sa.UniqueConstraint("item_id", "number", name=op.f("uq_content_version_item_id_number")),
    )
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.create_index("ix_content_version_created", ["created_at"], unique=False)
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_content_item_published", "content_version", ["published_id"], ["id"]
        )
    op.create_table(
        "content_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["staff_user.id"],
            name=op.f("fk_content_media_uploaded_by_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_media")),
        sa.UniqueConstraint("name", name=op.f("uq_content_media_name")),
    )
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_editor", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("content_editor")
    op.drop_table("content_media")
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_constraint("fk_content_item_published", type_="foreignkey")
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.drop_index("ix_content_version_created")
    op.drop_table("content_version")
    op.drop_table("content_item")
