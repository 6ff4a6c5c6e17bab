"""Between visits the kiosk holds less (kiosk.memory), and a resident sees no difference:
a screen left behind lets go of its text textures and draws the same pixels when shown
again; no label keeps a second copy of its pixels; a font is opened once per whole size."""

from __future__ import annotations

import json

import pytest

from tests.kiosk.xvfb import needs_xvfb, run_module

pytestmark = needs_xvfb


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    out = tmp_path_factory.mktemp("memory-walk") / "seen.json"
    result = run_module("tests.kiosk.walk_memory", str(out), home=out.parent)
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    seen = json.loads(out.read_text())
    assert "error" not in seen, seen["error"]
    return seen, out.parent


def test_a_step_left_behind_lets_go_of_its_texts_and_draws_them_again(walk):
    seen, _ = walk
    assert seen["labels"] > 5 and seen["drawn_before"] == seen["labels"]
    assert seen["screen_shown_at_rest"] == "home"
    assert seen["drawn_at_rest"] == 0
    assert seen["drawn_when_shown"] == seen["labels"] == seen["drawn_again"]


def test_the_step_shown_again_looks_exactly_as_before(walk):
    from PIL import Image, ImageChops

    _, folder = walk
    before = Image.open(folder / "step-before.png").convert("RGB")
    again = Image.open(folder / "step-again.png").convert("RGB")
    assert before.size == again.size == (1920, 1080)
    assert ImageChops.difference(before, again).getbbox() is None
    # and it is a step with its text, not two blank screens alike
    assert len(before.getcolors(1 << 20)) > 50


def test_no_label_keeps_a_second_copy_of_its_pixels(walk):
    seen, _ = walk
    assert seen["surfaces_kept"] == 0


def test_labels_drawn_at_the_same_whole_size_share_one_open_font(walk):
    """Kivy opens a face at the whole size (40.0 and 40 alike): one face each, not two."""
    seen, _ = walk
    assert seen["fractional_sizes"] > 0  # sizes reached by arithmetic are on these screens
    faces = {}
    for font_id in seen["font_ids"]:
        size, _, rest = font_id.partition("|")
        faces.setdefault((int(float(size)), rest), []).append(font_id)
    assert len(faces) == len(seen["font_ids"]), [ids for ids in faces.values() if len(ids) > 1]


def test_the_guide_list_shown_again_keeps_its_buttons_and_follows_the_language(walk):
    """Shown on the way to every guide, the list is not built again each time (its
    widgets scattered the kiosk's memory); a language switch still retitles it."""
    seen, _ = walk
    assert seen["guide_buttons"] > 1
    assert seen["guide_buttons_kept"]
    assert seen["captions_in_english"] == seen["titles_in_english"]
    assert all(caption.isascii() for caption in seen["captions_in_english"])
