"""The guide and FAQ screens drawn under Xvfb in ja and en at both text sizes.

Each shot passes the in-app UX checks (touch targets at least 96 px high, no label
overflowing its box, nothing outside the window); the PNGs are kept in
test-artifacts/kiosk/guides-*.png to be looked at.
"""

from __future__ import annotations

import shutil

from tests.kiosk.test_screenshots import ARTIFACTS, png_size
from tests.kiosk.xvfb import needs_xvfb, run_module

pytestmark = needs_xvfb
CASES = ["ja:large", "ja:extra-large", "en:large", "en:extra-large"]
NAMES = [
    "finder",
    "overview",
    "overview-warnings",
    "step-furigana",
    "checklist",
    "handoff",
    "handoff-printer",
    "faq-topics",
    "faq-answer",
]


def test_guide_screens_are_drawn_and_pass_the_checks(tmp_path):
    result = run_module(
        "tests.kiosk.shoot_guides", str(tmp_path), *CASES, home=tmp_path, timeout=240
    )
    assert result.returncode == 0, result.stderr[-4000:]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        language, size = case.split(":")
        for name in NAMES:
            drawn = tmp_path / f"guides-{name}-{language}-{size}.png"
            assert png_size(drawn) == (1920, 1080), drawn
            shutil.copyfile(drawn, ARTIFACTS / drawn.name)
