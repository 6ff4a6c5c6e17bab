"""A resident a kiosk (or the web form) makes is stored as the office's form stores one
with consent: both are written by the same two prebuilt INSERTs (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from classroom.models import AuditEvent, Participant, Source
from classroom.services import residents
from classroom.services.actor import Actor

NOW = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
SAME = ("family_name", "given_name", "birth_year", "device", "needs", "note", "source")
SAME += ("consent_at", "consent_method", "created_at", "last_activity_at", "erased_at")


def test_a_kiosk_resident_is_stored_as_the_form_stores_one(database):
    actor = Actor.kiosk("lib-1")
    fields = dict(birth_year=1948, device="android", actor=actor, now=NOW)
    with database.write() as db:
        made = residents.find_or_create_for_kiosk(
            db, reading="やまだ はなこ", phone="090-1111-2222", **fields
        )
        assert made.id is not None and made.reading == "やまだ はなこ"
        form = residents.create_participant(
            db,
            reading="やまだ たろう",
            phone="090-1111-3333",
            source=Source.KIOSK,
            consent=True,
            **fields,
        )
        made_id, form_id = made.id, form.id
    with database.read() as db:
        kiosk_row, form_row = db.get(Participant, made_id), db.get(Participant, form_id)
        assert {f: getattr(kiosk_row, f) for f in SAME} == {f: getattr(form_row, f) for f in SAME}
        assert kiosk_row.phone_digits == "09011112222"
        assert kiosk_row.reading_key == residents.reading_key("やまだ はなこ")
        trail = {
            e.subject_id: (e.action, e.participant_id, e.subject_type, e.actor_kind)
            for e in db.scalars(select(AuditEvent))
        }
        assert trail[made_id] == ("participant.create", made_id, "participant", actor.kind)
        assert trail[form_id] == ("participant.create", form_id, "participant", actor.kind)
    # the same reading and phone again: found, not made twice
    with database.write() as db:
        again = residents.find_or_create_for_kiosk(
            db, reading="ヤマダ ハナコ", phone="09011112222", **fields
        )
        assert again.id == made_id
