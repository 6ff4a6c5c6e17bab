"""Content versions (issue 18): drafts, proposals, publishing, rolling back, importing.

The YAML text of each version is stored as written; this module does not parse it (the
content package does, in the web layer, before it calls here): the core keeps the rules
about versions — who may publish, that no one's edit is lost, that every change is in the
audit trail — and nothing about what a guide holds.

No lost update: a form carries the number of the version it was opened from
(``based_on``). Saving after someone else saved stores the text anyway, marked
``conflict``, and says so; a conflicted version is never published as is, and a draft
cannot be published over a version published after it was started.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from languages import N_

from ..models import CONTENT_KINDS, ContentItem, ContentMedia, ContentVersion, utcnow
from . import audit
from .actor import Actor
from .errors import DomainError, InvalidInput, NotFound

#: the slug of the one settings item
SETTINGS_SLUG = "ward"
#: how a version came to be (ContentVersion.origin)
DRAFT, PROPOSAL, IMPORT, SEED, ROLLBACK = "draft", "proposal", "import", "seed", "rollback"


class EditConflict(DomainError):
    message = N_(
        "Someone else saved version %(theirs)s of this item after you opened version "
        "%(based_on)s. Your text was kept as version %(yours)s: compare the two, then save "
        "the text that should stay."
    )
    code = "edit_conflict"


class PublishRefused(DomainError):
    code = "publish_refused"


@dataclass(frozen=True)
class Document:
    """One item's text as a file holds it: guide/lesson/faq/settings, slug, YAML text."""

    kind: str
    slug: str
    body: str


@dataclass(frozen=True)
class Saved:
    """A saved version and, when someone else saved in between, the conflict to show."""

    version: ContentVersion
    conflict: EditConflict | None = None


@dataclass(frozen=True)
class ItemRow:
    """One line of the content list."""

    item: ContentItem
    head: ContentVersion
    published: ContentVersion | None
    #: versions written after the published one (drafts, proposals, conflicts)
    pending: int


@dataclass(frozen=True)
class Imported:
    created: int
    changed: int
    unchanged: int


# -- reading -------------------------------------------------------------------------------


def has_content(db: Session) -> bool:
    """True once the content lives in the database (seeded or imported)."""
    return db.scalar(select(ContentItem.id).limit(1)) is not None


def find_item(db: Session, kind: str, slug: str) -> ContentItem | None:
    return db.scalar(select(ContentItem).where(ContentItem.kind == kind, ContentItem.slug == slug))


def get_item(db: Session, kind: str, slug: str) -> ContentItem:
    item = find_item(db, kind, slug)
    if item is None:
        raise NotFound()
    return item


def versions(db: Session, item: ContentItem) -> list[ContentVersion]:
    """Every version of ``item``, newest first."""
    return list(
        db.scalars(
            select(ContentVersion)
            .where(ContentVersion.item_id == item.id)
            .order_by(ContentVersion.number.desc())
        )
    )


def version(db: Session, item: ContentItem, number: int) -> ContentVersion:
    found = db.scalar(
        select(ContentVersion).where(
            ContentVersion.item_id == item.id, ContentVersion.number == number
        )
    )
    if found is None:
        raise NotFound()
    return found


def head(db: Session, item: ContentItem) -> ContentVersion:
    """The newest version (a draft, or the published one)."""
    return versions(db, item)[0]


def published(db: Session, item: ContentItem) -> ContentVersion | None:
    return db.get(ContentVersion, item.published_id) if item.published_id else None


def list_items(db: Session, kind: str | None = None, search: str = "") -> list[ItemRow]:
    """Items by kind and slug with their newest and published versions; ``search`` keeps
    those whose slug or newest text contains it (case-insensitive)."""
    query = select(ContentItem).order_by(ContentItem.kind, ContentItem.slug)
    if kind:
        query = query.where(ContentItem.kind == kind)
    items = list(db.scalars(query))
    latest = dict(
        db.execute(
            select(ContentVersion.item_id, func.max(ContentVersion.number)).group_by(
                ContentVersion.item_id
            )
        ).all()
    )
    heads = {
        v.item_id: v
        for v in db.scalars(
            select(ContentVersion).where(
                ContentVersion.item_id.in_([i.id for i in items]),
            )
        )
        if latest.get(v.item_id) == v.number
    }
    live = {
        v.id: v
        for v in db.scalars(
            select(ContentVersion).where(
                ContentVersion.id.in_([i.published_id for i in items if i.published_id])
            )
        )
    }
    needle = search.strip().casefold()
    rows = []
    for item in items:
        if item.id not in heads:
            continue
        current = live.get(item.published_id) if item.published_id else None
        top = heads[item.id]
        if needle and needle not in item.slug.casefold() and needle not in top.body.casefold():
            continue
        pending = top.number - (current.number if current else 0)
        rows.append(ItemRow(item, top, current, pending))
    return rows


def published_documents(db: Session) -> list[Document]:
    """What residents see: the published text of every item, by kind and slug."""
    rows = db.execute(
        select(ContentItem.kind, ContentItem.slug, ContentVersion.body)
        .join(ContentVersion, ContentVersion.id == ContentItem.published_id)
        .order_by(ContentItem.kind, ContentItem.slug)
    ).all()
    return [Document(kind, slug, body) for kind, slug, body in rows]


def published_stamp(db: Session) -> str:
    """Changes exactly when what residents see changes (a publish, a roll back, an import,
    an uploaded picture): 16 hex digits."""
    pairs = db.execute(
        select(ContentItem.id, ContentItem.published_id).order_by(ContentItem.id)
    ).all()
    media = db.execute(select(ContentMedia.id, ContentMedia.sha256).order_by(ContentMedia.id)).all()
    text = repr((list(map(tuple, pairs)), list(map(tuple, media))))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# -- writing -------------------------------------------------------------------------------


def _check_kind(kind: str, slug: str) -> None:
    if kind not in CONTENT_KINDS:
        raise InvalidInput.single("kind", N_("Unknown kind of content: %(kind)s."), kind=kind)
    if not slug or len(slug) > 80:
        raise InvalidInput.single("slug", N_("Give the item an id of 1 to 80 characters."))


def _locked_item(db: Session, kind: str, slug: str) -> ContentItem | None:
    """The item, its row locked until the transaction ends (PostgreSQL; SQLite writes one
    transaction at a time)."""
    return db.scalar(
        select(ContentItem)
        .where(ContentItem.kind == kind, ContentItem.slug == slug)
        .with_for_update()
    )


def _next_number(db: Session, item: ContentItem) -> int:
    top = db.scalar(
        select(func.max(ContentVersion.number)).where(ContentVersion.item_id == item.id)
    )
    return (top or 0) + 1


def _new_version(
    db: Session,
    actor: Actor,
    item: ContentItem,
    body: str,
    *,
    based_on: int | None,
    origin: str,
    note: str = "",
    conflict: bool = False,
) -> ContentVersion:
    created = ContentVersion(
        item_id=item.id,
        number=_next_number(db, item),
        body=body,
        based_on=based_on,
        origin=origin,
        note=note[:400],
        conflict=conflict,
        author_id=actor.user_id,
        author_kind=actor.kind,
        created_at=utcnow(),
    )
    db.add(created)
    db.flush()
    return created


def save_draft(
    db: Session,
    actor: Actor,
    kind: str,
    slug: str,
    body: str,
    *,
    based_on: int | None,
    note: str = "",
    proposal: bool = False,
) -> Saved:
    """Keep ``body`` as a new draft (or an instructor's proposal) of the item, creating
    the item when it is new. Nothing is lost: when another version was saved after
    ``based_on``, this text is kept too, marked as a conflict, and the conflict returned."""
    _check_kind(kind, slug)
    item = _locked_item(db, kind, slug)
    if item is None:
        item = ContentItem(kind=kind, slug=slug, created_at=utcnow())
        db.add(item)
        db.flush()
    latest = _next_number(db, item) - 1
    clash = latest > 0 and based_on != latest
    saved = _new_version(
        db,
        actor,
        item,
        body,
        based_on=based_on,
        origin=PROPOSAL if proposal else DRAFT,
        note=note,
        conflict=clash,
    )
    audit.record(
        db,
        actor,
        "content.propose" if proposal else "content.draft",
        subject_type="content_version",
        subject_id=saved.id,
        details={"item": f"{kind}/{slug}", "number": saved.number, "conflict": clash},
    )
    if not clash:
        return Saved(saved)
    return Saved(saved, EditConflict(theirs=latest, based_on=based_on or 0, yours=saved.number))


def publish(
    db: Session,
    actor: Actor,
    item: ContentItem,
    number: int,
    check: Callable[[ContentVersion], None] | None = None,
) -> ContentVersion:
    """Make version ``number`` what residents see. ``check`` (the web layer's validation)
    raises to refuse it. Refused: a conflicted version, and a draft started before the
    version now published (publishing it would undo that one)."""
    locked = _locked_item(db, item.kind, item.slug)
    assert locked is not None
    chosen = version(db, locked, number)
    current = published(db, locked)
    if current is not None and current.id == chosen.id:
        raise PublishRefused(N_("Version %(number)s is already published."), number=number)
    if chosen.conflict:
        raise PublishRefused(
            N_(
                "Version %(number)s was saved over someone else's edit. Open it, compare it "
                "with the newest version and save the text that should stay."
            ),
            number=number,
        )
    if current is not None and current.number > chosen.number:
        raise PublishRefused(
            N_(
                "Version %(published)s was published after version %(number)s was written; "
                "publishing it would undo that. Open the newest version and edit it instead."
            ),
            published=current.number,
            number=number,
        )
    if check is not None:
        check(chosen)
    return _go_live(db, actor, locked, chosen, "content.publish", replaces=current)


def roll_back(
    db: Session,
    actor: Actor,
    item: ContentItem,
    number: int,
    check: Callable[[ContentVersion], None] | None = None,
) -> ContentVersion:
    """Publish the text of an earlier version again, as a new version (history stays)."""
    locked = _locked_item(db, item.kind, item.slug)
    assert locked is not None
    earlier = version(db, locked, number)
    current = published(db, locked)
    if current is not None and current.body == earlier.body:
        raise PublishRefused(
            N_("Version %(number)s has the same text as the published version."), number=number
        )
    latest = _next_number(db, locked) - 1
    if check is not None:
        check(earlier)
    restored = _new_version(
        db,
        actor,
        locked,
        earlier.body,
        based_on=latest,
        origin=ROLLBACK,
        note=f"← {number}",
    )
    return _go_live(
        db, actor, locked, restored, "content.rollback", replaces=current, earlier=number
    )


def _go_live(
    db: Session,
    actor: Actor,
    item: ContentItem,
    chosen: ContentVersion,
    action: str,
    replaces: ContentVersion | None = None,
    earlier: int | None = None,
) -> ContentVersion:
    """Make ``chosen`` what residents see and say so in the audit trail."""
    chosen.published_at = utcnow()
    chosen.published_by_id = actor.user_id
    item.published_id = chosen.id
    details = {"item": f"{item.kind}/{item.slug}", "number": chosen.number}
    if earlier is not None:
        details["from"] = earlier
    if action != f"content.{SEED}" and action != f"content.{IMPORT}":
        details["replaces"] = replaces.number if replaces else None
    audit.record(
        db,
        actor,
        action,
        subject_type="content_version",
        subject_id=chosen.id,
        details=details,
    )
    db.flush()
    return chosen


def import_documents(
    db: Session,
    actor: Actor,
    documents: Iterable[Document],
    same: Callable[[str, str], bool],
    origin: str = IMPORT,
) -> Imported:
    """Publish each document as a new version of its item; an item whose published text
    is the ``same`` (by meaning: the caller compares the parsed YAML) is left alone."""
    created = changed = unchanged = 0
    for doc in documents:
        _check_kind(doc.kind, doc.slug)
        item = _locked_item(db, doc.kind, doc.slug)
        if item is None:
            item = ContentItem(kind=doc.kind, slug=doc.slug, created_at=utcnow())
            db.add(item)
            db.flush()
            created += 1
        else:
            current = published(db, item)
            if current is not None and same(current.body, doc.body):
                unchanged += 1
                continue
            changed += 1
        latest = _next_number(db, item) - 1
        made = _new_version(db, actor, item, doc.body, based_on=latest or None, origin=origin)
        _go_live(db, actor, item, made, f"content.{origin}")
    db.flush()
    return Imported(created, changed, unchanged)


def seed_if_empty(
    db: Session, documents: Sequence[Document], same: Callable[[str, str], bool]
) -> Imported | None:
    """Load the shipped content into an empty database (``tsunagu db upgrade``); None when
    the database already holds content."""
    if has_content(db):
        return None
    return import_documents(db, Actor.system(), documents, same, origin=SEED)


# -- pictures ------------------------------------------------------------------------------


def add_media(
    db: Session,
    actor: Actor,
    *,
    name: str,
    mime: str,
    data: bytes,
    width: int,
    height: int,
    title: str = "",
) -> ContentMedia:
    """Keep an uploaded picture (already checked and re-encoded by the caller); the same
    bytes uploaded twice give the picture already kept."""
    digest = hashlib.sha256(data).hexdigest()
    existing = db.scalar(select(ContentMedia).where(ContentMedia.sha256 == digest))
    if existing is not None:
        return existing
    media = ContentMedia(
        name=name,
        mime=mime,
        data=data,
        sha256=digest,
        width=width,
        height=height,
        title=title[:200],
        uploaded_by_id=actor.user_id,
        created_at=utcnow(),
    )
    db.add(media)
    db.flush()
    audit.record(
        db,
        actor,
        "content.media_upload",
        subject_type="content_media",
        subject_id=media.id,
        details={"name": name, "bytes": len(data)},
    )
    return media


def media_list(db: Session) -> list[ContentMedia]:
    return list(db.scalars(select(ContentMedia).order_by(ContentMedia.created_at.desc())))


def media_files(db: Session) -> dict[str, bytes]:
    """Uploaded pictures by their path under media/."""
    return dict(db.execute(select(ContentMedia.name, ContentMedia.data)).all())
