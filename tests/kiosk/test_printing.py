"""Paper to take home, without the kiosk window: the step sheet and the slip as PDF.

Checked as a reader would: the words (pdftotext), the pictures (pdfimages), the QR code
(zxing-cpp on the page drawn by pdftoppm), the page size, and what ``lp`` is given.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

zxingcpp = pytest.importorskip("zxingcpp")
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")

from PIL import Image  # noqa: E402

from content.loader import load_catalog  # noqa: E402
from kiosk import printing  # noqa: E402
from kiosk.config import ConfigError, KioskConfig  # noqa: E402
from kiosk.widgets.step_picture import picture_path  # noqa: E402


def read(pdf: Path, tmp_path: Path) -> tuple[str, list[str], int]:
    """(text, QR codes read, pictures embedded) of a PDF."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")], check=True)
    codes = []
    for page in sorted(tmp_path.glob("page*.png")):
        codes += [r.text for r in zxingcpp.read_barcodes(Image.open(page))]
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    return text, codes, max(0, len(images.stdout.splitlines()) - 2)


@pytest.mark.parametrize("paper", ["a4", "a6", "roll80"])
def test_the_step_sheet_has_title_bring_numbered_steps_pictures_phone_and_qr(tmp_path, paper):
    catalog = load_catalog()
    guide = catalog.guide("juminhyo")
    phone = printing.contact(catalog.settings, "ja")[1]
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(
        printing.step_sheet_pdf(
            guide,
            "ja",
            paper,
            phone=phone,
            pictures=lambda name: picture_path(catalog.root, name, tmp_path / "pictures") or None,
        )
    )
    text, codes, images = read(pdf, tmp_path)
    flat = "".join(text.split())
    assert "".join(guide.title.get("ja").split()) in flat
    assert "持ち物" in flat and "".join(guide.bring[0].get("ja").split()) in flat
    for number in range(1, len(guide.steps) + 1):
        assert f"{number}." in flat
    assert "".join(guide.steps[0].text.get("ja").split())[:12] in flat
    assert phone and phone in flat
    assert codes == [guide.handoff.url]
    assert images == sum(1 for s in guide.steps if s.illustration)


def test_lp_gets_the_pdf_for_the_queue_and_paper_and_the_file_is_gone_after(tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.mkdir()
    lp = tmp_path / "lp"
    lp.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {spool}/args\nfor f; do :; done\n'
        f'cp "$f" {spool}/job.pdf\nstat -c %a "$f" > {spool}/mode\n'
    )
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    printing.send(b"%PDF-1.4 test", "counter-2", "roll80", tmp_path / "data")
    args = (spool / "args").read_text().split()
    assert args[:2] == ["-d", "counter-2"] and "media=Custom.80x297mm" in args
    assert (spool / "job.pdf").read_bytes() == b"%PDF-1.4 test"
    assert (spool / "mode").read_text().strip() == "600"
    assert list((tmp_path / "data").iterdir()) == []


def test_a_failing_lp_is_an_oserror_the_screen_reports(tmp_path, monkeypatch):
    lp = tmp_path / "lp"
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(OSError):
        printing.send(b"%PDF", "nowhere", "a6", tmp_path / "data")


def test_the_config_names_the_paper_and_refuses_others():
    assert KioskConfig(printer="slips", paper="A4").paper == "a4"
    assert KioskConfig().printer == "none" and not printing.has_printer(KioskConfig().printer)
    with pytest.raises(ConfigError):
        KioskConfig(paper="letter")
