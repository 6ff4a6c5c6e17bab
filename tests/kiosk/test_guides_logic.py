"""The guide walk's rules without a window: finder, pages, checklist, class filter, events."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from content import load_catalog
from kiosk import guide_flow
from kiosk.guide_flow import Checklist, GuideEvents, event_payload
from kiosk.services.outbox import Outbox


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def guide(gid, category, status="active"):
    return SimpleNamespace(
        id=gid, category=category, status=status, withdrawn=status == "withdrawn"
    )


def test_finder_groups_by_category_in_order_and_leaves_withdrawn_out():
    guides = [
        guide("pay", "payments"),
        guide("cert", "certificates"),
        guide("gone", "health", "withdrawn"),
        guide("cert2", "certificates"),
        guide("new", "other"),
    ]
    groups = guide_flow.finder_groups(guides)
    assert [name for name, _ in groups] == ["certificates", "payments", "other"]
    assert [g.id for g in groups[0][1]] == ["cert", "cert2"]
    assert all(not g.withdrawn for _, items in groups for g in items)


def test_the_real_catalog_finder_never_shows_a_withdrawn_guide(catalog):
    assert catalog.withdrawn_guides, "the sample content has a withdrawn guide to test with"
    shown = {g.id for _, items in guide_flow.finder_groups(catalog.guides.values()) for g in items}
    assert shown == {g.id for g in catalog.active_guides}
    assert not shown & {g.id for g in catalog.withdrawn_guides}
    for _, items in guide_flow.finder_groups(catalog.guides.values()):
        assert all(item.finder_question.get("ja") for item in items)


def test_groups_fill_pages_without_splitting_a_group():
    groups = [("a", [1, 2]), ("b", [3]), ("c", [4, 5, 6]), ("d", [7])]
    pages = guide_flow.paginate_groups(groups, budget=6)
    assert pages == [[("a", [1, 2]), ("b", [3])], [("c", [4, 5, 6])], [("d", [7])]]
    # a group larger than a page is cut, never dropped
    big = guide_flow.paginate_groups([("x", list(range(9)))], budget=5)
    assert [i for page in big for _, items in page for i in items] == list(range(9))
    assert guide_flow.paginate_groups([], budget=5) == [[]]


def test_chunks_balanced_and_overview_pages(catalog):
    assert guide_flow.chunks([1, 2, 3, 4, 5, 6], 4) == [[1, 2, 3, 4], [5, 6]]
    assert guide_flow.chunks([1, 2, 3, 4, 5, 6], 4, balanced=True) == [[1, 2, 3], [4, 5, 6]]
    assert guide_flow.chunks([], 3) == [[]]
    juminhyo = catalog.guide("juminhyo")
    pages = guide_flow.overview_pages(juminhyo, 6)
    assert [p.kind for p in pages] == ["summary", "bring", "warnings"]
    assert sum(len(p.items) for p in pages if p.kind == "warnings") == len(juminhyo.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本籍地以外でも取れます。窓口へどうぞ。", ["本籍地以外でも取れます。", "窓口へどうぞ。"]),
        (
            "Yes. Go at 8:30 a.m. to the desk. Bring ID.",
            ["Yes. ", "Go at 8:30 a.m. to the desk. ", "Bring ID."],
        ),
        ("네. 신분증을 가져오세요.", ["네. ", "신분증을 가져오세요."]),
        ("one sentence without an end", ["one sentence without an end"]),
    ],
)
def test_an_answer_is_cut_after_each_sentence_and_nothing_is_lost(text, expected):
    """A long FAQ answer is shown a few sentences a page (kiosk.screens.faq)."""
    assert guide_flow.sentences(text) == expected
    assert "".join(guide_flow.sentences(text)) == text


def test_checklist_toggles_each_item_and_knows_what_is_missing():
    checks = Checklist(["card", "pin", "nfc"])
    assert not checks.all_checked and checks.missing == ["card", "pin", "nfc"]
    assert checks.toggle("pin") is True
    assert checks.is_checked("pin") and checks.missing == ["card", "nfc"]
    assert checks.toggle("pin") is False and not checks.is_checked("pin")
    for item in ("card", "pin", "nfc"):
        checks.toggle(item)
    assert checks.all_checked
    with pytest.raises(KeyError):
        checks.toggle("not-an-item")
    checks.reset()
    assert checks.checked == set()


def test_stuck_leads_to_the_course_kinds_of_the_lessons(catalog):
    cashless = catalog.guide("counter-cashless")
    assert guide_flow.course_kinds(catalog, cashless) == ["one_point"]
    sessions = [{"id": 1, "course": {"kind": "intro"}}, {"id": 2, "course": {"kind": "one_point"}}]
    assert [s["id"] for s in guide_flow.sessions_teaching(sessions, ["one_point"])] == [2]
    # nothing matches, or nothing to match: the whole list rather than an empty one
    assert guide_flow.sessions_teaching(sessions[:1], ["one_point"]) == sessions[:1]
    assert guide_flow.sessions_teaching(sessions, []) == sessions


def course(kind, lesson_ids=None):
    return {"kind": kind} if lesson_ids is None else {"kind": kind, "lesson_ids": lesson_ids}


def test_stuck_leads_to_the_sessions_whose_course_teaches_the_guides_lessons(catalog):
    cashless = catalog.guide("counter-cashless")
    lessons = cashless.stuck.lessons
    assert "cashless-payment" in lessons
    kinds = guide_flow.course_kinds(catalog, cashless)
    sessions = [
        {"id": 1, "course": course("one_point", ["line-basics"])},
        {"id": 2, "course": course("one_point", ["cashless-payment", "qr-codes"])},
        {"id": 3, "course": course("intro", ["intro-01-power", "app-install"])},
        {"id": 4, "course": course("one_point", [])},
    ]
    # the lesson ids, not the kind: 1 and 4 are one_point courses too, 3 is an intro course
    assert [s["id"] for s in guide_flow.sessions_teaching(sessions, kinds, lessons)] == [2, 3]
    # lessons named, none of this guide's: the whole list rather than an empty one
    assert guide_flow.sessions_teaching([sessions[0], sessions[3]], kinds, lessons) == [
        sessions[0],
        sessions[3],
    ]
    assert guide_flow.sessions_teaching(sessions[:1], kinds, lessons) == sessions[:1]


def test_without_lesson_ids_stuck_falls_back_to_the_course_kind():
    lessons = ("cashless-payment",)
    older = [{"id": 1, "course": course("intro")}, {"id": 2, "course": course("one_point")}]
    assert [s["id"] for s in guide_flow.sessions_teaching(older, ["one_point"], lessons)] == [2]
    # a server that sends lesson_ids but maps no course to a lesson: the kind too
    unmapped = [
        {"id": 1, "course": course("intro", [])},
        {"id": 2, "course": course("one_point", [])},
    ]
    assert [s["id"] for s in guide_flow.sessions_teaching(unmapped, ["one_point"], lessons)] == [2]
    # odd values are no lesson ids; no lessons to match: the kind
    odd = [{"id": 1, "course": {"kind": "intro", "lesson_ids": None}}, {"id": 2, "course": None}]
    assert guide_flow.sessions_teaching(odd, ["one_point"], lessons) == odd
    named = [
        {"id": 1, "course": course("intro", ["cashless-payment"])},
        {"id": 2, "course": course("one_point", ["line-basics"])},
    ]
    assert [s["id"] for s in guide_flow.sessions_teaching(named, ["one_point"], ())] == [2]
    assert guide_flow.sessions_teaching(named, [], ()) == named


def test_volume_steps_stay_in_range():
    assert guide_flow.next_volume(0.8, 1) == 1.0
    assert guide_flow.next_volume(1.0, 1) == 1.0
    assert guide_flow.next_volume(0.4, -1) == 0.2
    assert guide_flow.next_volume(0.2, -1) == 0.2


def test_step_sheet_lists_the_steps_and_the_link(catalog):
    juminhyo = catalog.guide("juminhyo")
    sheet = guide_flow.step_sheet(juminhyo, "en", lambda m: m)
    assert juminhyo.title.get("en") in sheet and juminhyo.handoff.url in sheet
    assert f"{len(juminhyo.steps)}. " in sheet


class FakeOutbox:
    def __init__(self):
        self.entries = []

    def put(self, kind, payload, key=None):
        self.entries.append((kind, payload))


def test_a_walk_emits_its_events_and_nothing_personal(catalog, tmp_path):
    outbox = FakeOutbox()

    def record(kind, **fields):  # as KioskApp.record does it
        outbox.put(
            "event", event_payload(kind, "2026-11-26T01:00:00Z", "ja", "extra-large", **fields)
        )

    events = GuideEvents(record)
    walk = catalog.guide("juminhyo")
    events.viewed(walk.id)
    for index in range(len(walk.steps)):
        events.step(walk.id, index)
    events.speech(walk.id, 1)
    events.finished(walk.id)
    events.handoff(walk.id)
    events.faq("covid")
    kinds = [payload["kind"] for _kind, payload in outbox.entries]
    assert kinds == (
        ["guide_viewed"]
        + ["step_reached"] * len(walk.steps)
        + ["speech_played", "guide_finished", "handoff_shown", "faq_viewed"]
    )
    steps = [p["step"] for _k, p in outbox.entries if p["kind"] == "step_reached"]
    assert steps == list(range(1, len(walk.steps) + 1))
    for kind, payload in outbox.entries:
        assert kind == "event"
        assert set(payload) <= {"kind", "at", "guide_id", "step", "language", "text_size"}
        assert payload["text_size"] == "xlarge"  # the API's name for 特大
    # the real outbox keeps exactly these fields
    real = Outbox(tmp_path / "outbox")
    real.put("event", outbox.entries[1][1])
    assert real.pending("event") == 1


def test_an_unknown_event_kind_is_refused():
    with pytest.raises(ValueError):
        event_payload("resident_name", "2026-11-26T01:00:00Z", "ja", "large")
    assert "step" not in event_payload(
        "guide_viewed", "2026-11-26T01:00:00Z", "ja", "large", step=None
    )


def test_ruby_cells_keep_phrases_and_compounds_whole():
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    from kiosk.widgets.ruby_label import cells_by_phrase

    text = "「住民票の写しの交付申請」のページが開きます。"
    phrases = cells_by_phrase(text, "ja", {"住民票": "じゅうみんひょう"})
    assert "".join(base for phrase in phrases for base, _ruby in phrase) == text
    cells = [cell for phrase in phrases for cell in phrase]
    assert ("住民票", "じゅうみんひょう") in cells
    assert ("開", "ひら") in cells
    # kana and punctuation carry no reading; 。 never starts a phrase
    assert all(ruby is None for base, ruby in cells if not any("一" <= c <= "鿿" for c in base))
    assert not any(phrase[0][0].startswith("。") for phrase in phrases)
