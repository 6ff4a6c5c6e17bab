"""Content versions on both engines (issue 18): drafts never reach residents, no edit is
lost when two editors save the same item, publishing and rolling back keep every version,
an import changes only what differs, and every change is in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from classroom.models import AuditEvent, ContentVersion, Role, User
from classroom.services import content_store as store
from classroom.services.actor import Actor
from classroom.services.errors import NotFound
from content.documents import same

GUIDE_V1 = "id: juminhyo\ntitle:\n  ja: 住民票の写し\n"
GUIDE_V2 = "id: juminhyo\ntitle:\n  ja: 住民票の写しをとる\n"
GUIDE_V3 = "id: juminhyo\ntitle:\n  ja: 住民票の写しを受け取る\n"


@pytest.fixture
def editors(database):
    with database.write() as db:
        people = [
            User(login=f"editor{n}", role=Role.COORDINATOR, content_editor=True) for n in (1, 2)
        ]
        db.add_all(people)
        db.flush()
        return [Actor.for_user(person) for person in people]


def seeded(database) -> None:
    with database.write() as db:
        store.seed_if_empty(db, [store.Document("guide", "juminhyo", GUIDE_V1)], same)


def test_the_seed_loads_an_empty_database_once(database):
    with database.write() as db:
        first = store.seed_if_empty(db, [store.Document("guide", "juminhyo", GUIDE_V1)], same)
        again = store.seed_if_empty(db, [store.Document("guide", "juminhyo", GUIDE_V2)], same)
    assert (first.created, again) == (1, None)
    with database.read() as db:
        assert [d.body for d in store.published_documents(db)] == [GUIDE_V1]


def test_a_draft_does_not_reach_residents_until_it_is_published(database, editors):
    seeded(database)
    with database.write() as db:
        saved = store.save_draft(db, editors[0], "guide", "juminhyo", GUIDE_V2, based_on=1)
        stamp = store.published_stamp(db)
    assert saved.conflict is None and saved.version.number == 2
    with database.read() as db:
        assert [d.body for d in store.published_documents(db)] == [GUIDE_V1]
    with database.write() as db:
        item = store.get_item(db, "guide", "juminhyo")
        store.publish(db, editors[0], item, 2)
    with database.read() as db:
        assert [d.body for d in store.published_documents(db)] == [GUIDE_V2]
        assert store.published_stamp(db) != stamp
        actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["content.seed", "content.draft", "content.publish"]


def test_the_second_of_two_editors_is_told_and_both_texts_are_kept(database, editors):
    seeded(database)
    with database.write() as db:
        first = store.save_draft(db, editors[0], "guide", "juminhyo", GUIDE_V2, based_on=1)
    with database.write() as db:
        second = store.save_draft(db, editors[1], "guide", "juminhyo", GUIDE_V3, based_on=1)
    assert first.conflict is None
    assert second.conflict is not None and second.version.conflict
    assert "version 2" in str(second.conflict) and "version 3" in str(second.conflict)
    with database.read() as db:
        item = store.get_item(db, "guide", "juminhyo")
        bodies = [v.body for v in store.versions(db, item)]
    assert bodies == [GUIDE_V3, GUIDE_V2, GUIDE_V1]
    # the conflicted text is never published as is
    with database.write() as db, pytest.raises(store.PublishRefused):
        store.publish(db, editors[1], store.get_item(db, "guide", "juminhyo"), 3)


def test_an_older_draft_cannot_undo_a_newer_publication(database, editors):
    seeded(database)
    with database.write() as db:
        store.save_draft(db, editors[0], "guide", "juminhyo", GUIDE_V2, based_on=1)
        store.save_draft(db, editors[1], "guide", "juminhyo", GUIDE_V3, based_on=2)
        item = store.get_item(db, "guide", "juminhyo")
        store.publish(db, editors[1], item, 3)
    with database.write() as db, pytest.raises(store.PublishRefused, match="undo"):
        store.publish(db, editors[0], store.get_item(db, "guide", "juminhyo"), 2)


def test_rolling_back_publishes_the_earlier_text_as_a_new_version(database, editors):
    seeded(database)
    with database.write() as db:
        store.save_draft(db, editors[0], "guide", "juminhyo", GUIDE_V2, based_on=1)
        store.publish(db, editors[0], store.get_item(db, "guide", "juminhyo"), 2)
    with database.write() as db:
        restored = store.roll_back(db, editors[1], store.get_item(db, "guide", "juminhyo"), 1)
    assert (restored.number, restored.body, restored.origin) == (3, GUIDE_V1, "rollback")
    with database.read() as db:
        assert [d.body for d in store.published_documents(db)] == [GUIDE_V1]
        assert db.scalar(
            select(AuditEvent.details).where(AuditEvent.action == "content.rollback")
        ) == {
            "item": "guide/juminhyo",
            "number": 3,
            "from": 1,
            "replaces": 2,
        }
    with database.write() as db, pytest.raises(store.PublishRefused):
        store.roll_back(db, editors[1], store.get_item(db, "guide", "juminhyo"), 1)


def test_an_import_changes_only_what_differs(database):
    seeded(database)
    docs = [
        # the same guide written with a comment and other spacing: the same content
        store.Document(
            "guide", "juminhyo", "# checked again\nid: juminhyo\ntitle: {ja: 住民票の写し}\n"
        ),
        store.Document("faq", "covid", "id: covid\n"),
    ]
    with database.write() as db:
        result = store.import_documents(db, Actor.cli(), docs, same)
    assert (result.created, result.changed, result.unchanged) == (1, 0, 1)
    with database.write() as db:
        again = store.import_documents(
            db, Actor.cli(), [store.Document("faq", "covid", "id: covid\nx: 1\n")], same
        )
    assert (again.created, again.changed, again.unchanged) == (0, 1, 0)
    with database.read() as db:
        numbers = db.scalars(select(ContentVersion.number).order_by(ContentVersion.id)).all()
    assert numbers == [1, 1, 2]


def test_unknown_items_and_versions_are_not_found(database, editors):
    seeded(database)
    with database.read() as db:
        with pytest.raises(NotFound):
            store.get_item(db, "guide", "no-such-guide")
        with pytest.raises(NotFound):
            store.version(db, store.get_item(db, "guide", "juminhyo"), 9)
