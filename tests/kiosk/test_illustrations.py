"""Illustrated guide steps drawn under Xvfb in ja and en at both text sizes.

The picture sits in the room under the step's text: it must be drawn (a 720x540 PNG made
from the SVG, visible on the screenshot), over no label or button, while every shot still
passes the kiosk's UX checks (touch targets, no overflowing text, nothing overlapping).
A step without a picture draws none. PNGs go to test-artifacts/kiosk/steps-*.png.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.widgets.step_picture import MIN_HEIGHT, picture_path
from tests.kiosk.test_screenshots import ARTIFACTS, ROOT, png_size
from tests.kiosk.xvfb import run_module

CASES = ["ja:large", "ja:extra-large", "en:large", "en:extra-large"]
WITHOUT_PICTURE = "koseki-6"


def test_picture_path_renders_once_into_the_cache_and_prefers_the_bundled_png(tmp_path):
    root = tmp_path / "content"
    (root / "media").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "media" / "pin-pad.svg", root / "media" / "pin-pad.svg")
    made = Path(picture_path(root, "media/pin-pad.svg", tmp_path / "cache"))
    assert made.parent == tmp_path / "cache" and made.read_bytes().startswith(b"\x89PNG")
    assert picture_path(root, "media/pin-pad.svg", tmp_path / "cache") == str(made)
    bundled = root / "media" / "pin-pad.png"
    bundled.write_bytes(made.read_bytes())
    assert picture_path(root, "media/pin-pad.svg", tmp_path / "cache") == str(bundled)
    assert picture_path(root, None, tmp_path / "cache") == ""
    (root / "media" / "broken.svg").write_text("<svg", encoding="utf-8")
    assert picture_path(root, "media/broken.svg", tmp_path / "cache") == ""


def _ink(png: Path, box: list[float]) -> float:
    """Share of the pixels inside ``box`` (window coordinates, y up) that are not white."""
    from PIL import Image

    with Image.open(png) as image:
        left, bottom, width, height = (round(v) for v in box)
        top = image.height - bottom - height
        crop = image.convert("L").crop((left, top, left + width, top + height))
        return sum(crop.histogram()[:200]) / (width * height)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_illustrated_steps_show_their_picture_without_breaking_the_screen(tmp_path):
    result = run_module(
        "tests.kiosk.shoot_illustrations", str(tmp_path), *CASES, home=tmp_path, timeout=240
    )
    assert result.returncode == 0, result.stderr[-4000:]
    seen = json.loads((tmp_path / "pictures.json").read_text(encoding="utf-8"))
    assert len(seen) == 7 * len(CASES)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    drawn_per_case: dict[str, int] = {}
    for name, picture in seen.items():
        png = tmp_path / name
        assert png_size(png) == (1920, 1080), name
        shutil.copyfile(png, ARTIFACTS / name)
        case = next(c for c in CASES if name.endswith("-{}-{}.png".format(*c.split(":"))))
        if WITHOUT_PICTURE in name:
            assert picture["source"] == "" and picture["drawn"] is None, name
            continue
        assert picture["texture"] == [720, 540], name
        if picture["drawn"] is None:  # no room left under a long text: nothing half-shown
            assert picture["box"][3] < MIN_HEIGHT, name
            continue
        drawn_per_case[case] = drawn_per_case.get(case, 0) + 1
        left, bottom, width, height = picture["drawn"]
        box_left, box_bottom, box_width, box_height = picture["box"]
        assert height >= MIN_HEIGHT and abs(width / height - 4 / 3) < 0.02, name
        assert box_left <= left and left + width <= box_left + box_width + 1, name
        assert box_bottom <= bottom and bottom + height <= box_bottom + box_height + 1, name
        assert _ink(png, picture["drawn"]) > 0.03, f"{name}: the picture's box is blank"
    # every illustrated step shows its picture at 大 and, in Japanese, at 特大 too; English
    # at 特大 has the longest texts, which may leave no room (checked above: then nothing)
    assert drawn_per_case.get("ja:large") == drawn_per_case.get("en:large") == 6
    assert drawn_per_case.get("ja:extra-large") == 6
