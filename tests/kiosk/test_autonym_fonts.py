"""中文 and 한국어 on Home's language buttons come from Noto Sans CJK cut down to them
(kiosk/assets/fonts, scripts/autonym_fonts.py): a tenth of the memory of the whole font at
each size, and the same pixels. A language's own name changed without running the script
fails here, before a resident sees an empty box on its button."""

from __future__ import annotations

import json

import pytest

from kiosk import fonts
from tests.kiosk.xvfb import needs_xvfb, run_module


@pytest.mark.parametrize("shipped", fonts.AUTONYM_FILES, ids=lambda p: p.name)
def test_every_character_of_the_language_buttons_is_in_the_cut_down_font(shipped):
    from fontTools.ttLib import TTFont

    assert shipped.is_file(), f"{shipped} is missing: run scripts/autonym_fonts.py"
    covered = TTFont(shipped).getBestCmap()
    missing = [c for c in fonts.autonym_text() if ord(c) not in covered]
    assert not missing, f"not in {shipped.name}: {missing}; run scripts/autonym_fonts.py"
    # 中文, 한국어 and the marks, not a whole font shipped by mistake
    assert 5 <= len(fonts.autonym_text()) <= 20 and shipped.stat().st_size < 64_000


def test_only_the_names_in_the_cjk_font_use_it():
    assert fonts.autonym_font("ko") == fonts.autonym_font("zh-Hans") == fonts.AUTONYM_FONT
    assert fonts.autonym_font("ja") == fonts.autonym_font("en") == fonts.JAPANESE_FONT


@needs_xvfb
@pytest.mark.skipif(not fonts.NOTO[0].is_file(), reason="fonts-noto-cjk is not installed")
def test_the_buttons_draw_the_same_pixels_as_with_the_whole_font(tmp_path):
    out = tmp_path / "drawn.json"
    result = run_module("tests.kiosk.draw_autonyms", str(out), home=tmp_path)
    assert result.returncode == 0 and out.is_file(), result.stderr[-3000:]
    drawn = json.loads(out.read_text())
    assert drawn["registered"] == [str(p) for p in fonts.AUTONYM_FILES]
    assert drawn["compared"] == 2 * 6 * 6  # 2 weights, 6 sizes, 6 captions
    assert drawn["differ"] == []
