"""The staff manuals (docs/manual/*.md) stay true to the site: `scripts/manuals.py --out DIR`
walks the demo ward in Chromium on its own frozen clock, takes every screenshot a manual
shows, opens every page a manual names as that manual's role, and prints one PDF per role.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANUALS = ROOT / "docs" / "manual"
COMMITTED = ROOT / "docs" / "img" / "manual"
ROLES = ("coordinator", "instructor", "kiosk-install")
TITLES = {
    "coordinator": "コーディネーター向け手引き",
    "instructor": "講師向け手引き",
    "kiosk-install": "キオスク設置手引き",
}
#: the window each role's screenshots are taken in
SIZES = {"coordinator": (1366, 768), "instructor": (1024, 768)}
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

if not Path("/usr/bin/chromium").exists() or not shutil.which("pdftotext"):
    pytest.skip("needs /usr/bin/chromium and poppler-utils", allow_module_level=True)


def images(role: str) -> list[str]:
    """What the manual shows, relative to img/manual/."""
    text = (MANUALS / f"{role}.md").read_text(encoding="utf-8")
    return [src.split("img/manual/", 1)[1] for src in IMAGE.findall(text)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("manuals")
    run = subprocess.run(
        # the kiosk's own screens are tested in tests/kiosk, the editor's walk in
        # tests/browser/test_editor_publish_walk.py; here the committed ones serve
        [
            sys.executable,
            str(ROOT / "scripts" / "manuals.py"),
            "--out",
            str(out),
            "--no-kiosk",
            "--no-content",
        ],
        capture_output=True,
        text=True,
        timeout=220,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


@pytest.mark.parametrize("role", ROLES)
def test_every_screenshot_a_manual_shows_is_committed_and_retaken(built, role):
    from PIL import Image

    shown = images(role)
    assert len(shown) >= 5, f"{role}.md shows only {len(shown)} screenshots"
    for name in shown:
        assert (COMMITTED / name).is_file(), f"{role}.md shows {name}: not committed"
        taken = built / "img" / "manual" / name
        assert taken.is_file(), f"{role}.md shows {name}: the command did not take it"
        if role in SIZES:  # the manual's promise: a desk's screen, an instructor's tablet
            assert Image.open(taken).size == SIZES[role], name
    # and nothing committed that no manual shows
    kept = {f"{role}/{p.name}" for p in (COMMITTED / role).glob("*.png")}
    assert kept <= set(shown), f"not shown by {role}.md: {sorted(kept - set(shown))}"


@pytest.mark.parametrize("role", ROLES)
def test_each_manual_prints_as_a_pdf_with_japanese_text(built, role):
    pdf = built / "manual" / f"{role}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert pages >= 3
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TITLES[role] in text
    assert "うまくいかないとき" in text and "English." in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "BIZUD" in fonts or "NotoSansCJK" in fonts, fonts  # Japanese glyphs, no tofu


def test_every_page_a_manual_names_opens_for_its_role(built):
    statuses = json.loads((built / "manual" / "pages.json").read_text(encoding="utf-8"))
    assert set(statuses) == set(ROLES)
    for role, pages in statuses.items():
        assert pages, f"{role}.md names no page"
        wrong = {path: status for path, status in pages.items() if status != 200}
        assert not wrong, f"{role}.md: {wrong}"
    assert "/teach/" in statuses["instructor"] and "/office/calls" in statuses["coordinator"]
