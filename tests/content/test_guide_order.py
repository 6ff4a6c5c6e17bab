"""Guides in the order a resident does them (issue 12).

The kiosk shows a guide's hand-off QR code at the step flagged ``handoff: true``; that
step must be the one that tells the resident to scan the screen's code, in every guide
that has such a step. What the phone will ask for (the card, a PIN) is said before the
step that uses it: in the checklist, which comes before step 1, and in an earlier step.
"""

from __future__ import annotations

import re

import pytest

from content import load_catalog

CATALOG = load_catalog()
GUIDES = sorted(CATALOG.guides.values(), key=lambda g: g.id)
#: a step that tells the resident to scan the kiosk screen's QR code
SCANS_THE_SCREEN = re.compile(r"画面のQRコードを読み取")
#: a step that uses the card or a PIN, and the words that get it ready beforehand
USES = {
    "card": (re.compile(r"カードを.*(当て|かざ|タッチ)"), re.compile(r"マイナンバーカード")),
    "pin": (re.compile(r"暗証番号を入れ"), re.compile(r"暗証番号")),
}


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.id)
def test_the_hand_off_is_at_the_step_that_says_to_scan_it(guide):
    scan_steps = [i for i, s in enumerate(guide.steps) if SCANS_THE_SCREEN.search(s.text.get("ja"))]
    handoff_steps = [i for i, s in enumerate(guide.steps) if s.handoff]
    assert handoff_steps == scan_steps[:1], (
        f"{guide.id}: the QR code shows at step(s) {[i + 1 for i in handoff_steps]}, "
        f"the step saying to scan it is {[i + 1 for i in scan_steps]}"
    )
    assert len(handoff_steps) <= 1


def test_the_procedures_done_on_the_phone_start_with_the_scan():
    for guide_id in ("juminhyo", "koseki", "seijinshiki", "vaccine-voucher"):
        assert CATALOG.guide(guide_id).steps[0].handoff, guide_id


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.id)
def test_what_a_step_needs_is_said_before_it(guide):
    checklist = " ".join(item.text.get("ja") for item in guide.checklist)
    for index, step in enumerate(guide.steps):
        text = step.text.get("ja")
        for need, (uses, ready) in USES.items():
            if not uses.search(text):
                continue
            if guide.id == "counter-cashless":
                continue  # the counter's own terminal: the staff say when
            earlier = " ".join(s.text.get("ja") for s in guide.steps[:index])
            assert ready.search(checklist), f"{guide.id} step {index + 1}: no check for {need}"
            assert ready.search(earlier) and "用意" in earlier, (
                f"{guide.id} step {index + 1} uses the {need} but no earlier step says to "
                "have it ready"
            )


def test_the_sample_mark_shows_only_with_the_sample_settings():
    from content.model import Settings

    values = {"ward": {"name": {"ja": "つなぐ区（サンプル）", "en": "Tsunagu Ward (sample)"}}}
    demo = Settings({**values, "sample": True})
    own = Settings({**values, "sample": False})
    assert demo.resolve("{ward.name}に住む人", "ja") == "つなぐ区（サンプル）に住む人"
    assert own.resolve("{ward.name}に住む人", "ja") == "つなぐ区に住む人"
    assert own.resolve("{ward.name}", "en") == "Tsunagu Ward"
