"""Content edited on the staff site (issue 18): guides, lessons, FAQ topics and the ward's
settings, each kept as numbered versions of its YAML text; uploaded pictures.

The shipped YAML under content/ is the seed and the export format; the database holds
every version. A version is never changed once written: saving a draft, publishing,
rolling back and importing each add one. What residents see is the version an item's
``published_id`` points at; a draft never reaches them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

#: what an item may be: a content section's kind, or the ward settings (one item, "ward")
CONTENT_KINDS = ("guide", "lesson", "faq", "settings")


class ContentItem(Base):
    """One guide, lesson, FAQ topic or the ward settings, identified by kind and slug
    (the file name without .yaml: ``guide``/``juminhyo``)."""

    __tablename__ = "content_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(80))
    #: the version residents see; None while the item only has drafts
    published_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_version.id", use_alter=True, name="fk_content_item_published")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("kind", "slug"),
        CheckConstraint("kind IN ('guide', 'lesson', 'faq', 'settings')", name="kind_known"),
    )


class ContentVersion(Base):
    """One version of an item's YAML text. Append-only."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id"))
    #: 1, 2, 3 ... per item, in the order they were written
    number: Mapped[int] = mapped_column(Integer)
    #: the YAML text, exactly as imported or as the editor wrote it
    body: Mapped[str] = mapped_column(Text)
    #: the number of the version this one was edited from (None for the first)
    based_on: Mapped[int | None] = mapped_column(Integer)
    #: saved while someone else's version had been saved after ``based_on``: kept, never
    #: published as is (an editor compares and saves a merged version)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: "draft", "proposal" (an instructor's suggestion), "publish" (published at once:
    #: import, roll back), "seed" (the shipped content on an empty database)
    origin: Mapped[str] = mapped_column(String(16), default="draft")
    #: what the author says they changed
    note: Mapped[str] = mapped_column(String(400), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    #: "user", "cli", "system"
    author_kind: Mapped[str] = mapped_column(String(40), default="user")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: set when this version went live (it may have been replaced since)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    __table_args__ = (
        UniqueConstraint("item_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        Index("ix_content_version_created", "created_at"),
    )


class ContentMedia(Base):
    """A picture an editor uploaded (PNG or JPEG, re-encoded, metadata stripped); shipped
    pictures stay in content/media and are not stored here."""

    __tablename__ = "content_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the path steps refer to, under media/: "uploads/<name>.png"
    name: Mapped[str] = mapped_column(String(160), unique=True)
    mime: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    #: what the picture shows, for a screen reader and the picture list
    title: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
