"""Issue 14's proof on the kiosk: every shipped guide renders in ja, やさしい日本語, en,
zh-Hans and ko — its own title in that language, no missing-language page, the floors
held — drawn by the real app under Xvfb; the PNGs are kept in
test-artifacts/kiosk/guides-languages/ to be looked at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from content import load_catalog
from languages import LANGUAGES
from tests.kiosk.test_screenshots import ARTIFACTS, ROOT, png_size

pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (apt install xvfb)"
)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    out = tmp_path_factory.mktemp("guides-languages")
    env = {
        **os.environ,
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_HOME": str(out / ".kivy"),
    }
    run = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1920x1080x24",
            sys.executable,
            "-m",
            "tests.kiosk.guides_languages_driver",
            str(out),
            "1920x1080",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = out / "guides-languages.json"
    assert report.is_file(), run.stderr[-4000:]
    kept = ARTIFACTS / "guides-languages"
    kept.mkdir(parents=True, exist_ok=True)
    for png in out.glob("guide-*.png"):
        shutil.copyfile(png, kept / png.name)
    return json.loads(report.read_text()), out


def test_every_guide_is_drawn_in_every_language_with_its_own_title(drawn):
    results, out = drawn
    guides = [g for g in load_catalog().guides.values() if not g.withdrawn]
    assert len(results) == len(guides) * len(LANGUAGES) * 2
    for guide in guides:
        for language in LANGUAGES:
            overview = results[f"guide-{guide.id}-{language}-overview"]
            assert overview["title"] == guide.title.get(language), (guide.id, language)
            assert guide.title.has(language), (guide.id, language)
            assert not overview["notice"], f"{guide.id} opens on a missing-{language} page"
            shot = out / f"guide-{guide.id}-{language}-overview.png"
            assert png_size(shot) == (1920, 1080), shot


def test_every_guide_screen_holds_the_floors_in_every_language(drawn):
    results, _out = drawn
    broken = {case: found["problems"] for case, found in results.items() if found["problems"]}
    assert not broken, json.dumps(broken, ensure_ascii=False, indent=1)[:4000]
