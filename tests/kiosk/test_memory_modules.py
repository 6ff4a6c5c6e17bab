"""What the kiosk draws once does not leave its libraries in the kiosk (issue 21).

A step's SVG picture is drawn into a PNG by a child process (kiosk.widgets.step_picture):
resvg and the XML parser stay out of the kiosk, and the PNG is the very one
content.media draws. A QR code's matrix comes from qrcode without its Pillow drawers
(FreeType, HarfBuzz ...), and is the matrix qrcode makes. Each check runs in a fresh
interpreter, as the kiosk starts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fresh(code: str, *args: str) -> dict:
    """Run ``code`` in a new interpreter; it prints one JSON object."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


PICTURE = """
import json, sys
from pathlib import Path
from kiosk.widgets.step_picture import picture_path
root, cache = Path(sys.argv[1]), Path(sys.argv[2])
first = picture_path(root, "media/pin-pad.svg", cache)
again = picture_path(root, "media/pin-pad.svg", cache)
Path(first).unlink()  # the cache emptied by hand: drawn again, not remembered as gone
redrawn = picture_path(root, "media/pin-pad.svg", cache)
print(json.dumps({"path": first, "again": again, "redrawn": Path(redrawn).is_file(),
                  "loaded": sorted(m for m in ("resvg_py", "content.media", "xml.etree.ElementTree")
                                   if m in sys.modules)}))
"""


def test_a_picture_is_drawn_outside_the_kiosk_and_is_the_same_png(tmp_path):
    from content.media import rasterise

    root = tmp_path / "content"
    (root / "media").mkdir(parents=True)
    svg = root / "media" / "pin-pad.svg"
    shutil.copy(ROOT / "content" / "media" / "pin-pad.svg", svg)
    seen = fresh(PICTURE, str(root), str(tmp_path / "cache"))
    assert seen["loaded"] == []
    made = Path(seen["path"])
    assert seen["again"] == seen["path"] and made.parent == tmp_path / "cache"
    assert seen["redrawn"]
    assert made.read_bytes() == rasterise(svg)


QR = """
import json, sys
from kiosk.qr import matrix
rows = matrix(sys.argv[1])
drawing = sorted(m for m in ("PIL.ImageDraw", "PIL.ImageFont", "PIL._imagingft") if m in sys.modules)
import PIL.ImageDraw  # still importable by whoever needs it
print(json.dumps({"rows": rows, "loaded": drawing}))
"""


def test_a_qr_code_leaves_no_pillow_drawing_behind_and_is_the_same_code():
    import qrcode

    url = "https://www.city.example.lg.jp/juminhyo/online"
    seen = fresh(QR, url)
    assert seen["loaded"] == []
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    assert seen["rows"] == [list(row) for row in code.get_matrix()]


GUIDE_SCREENS = """
import json, sys
from kiosk.cli import configure_kivy
configure_kivy(screenshot=True)
import kiosk.screens.guide_list, kiosk.screens.guide_step, kiosk.screens.guide_walk
print(json.dumps({"loaded": sorted(m for m in ("kiosk.printing", "kiosk.booking_text")
                                   if m in sys.modules)}))
"""


def test_the_guide_screens_leave_the_step_sheet_printer_out_until_a_resident_prints(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("KIVY_HOME", str(tmp_path / "kivy"))
    seen = fresh(GUIDE_SCREENS)
    assert seen["loaded"] == []


def test_a_picture_drawn_before_is_shown_without_starting_a_child(tmp_path, monkeypatch):
    """A senior's step waits for no child process when the picture was drawn already (by
    this kiosk or an earlier run, into the same cache); a broken picture is tried once."""
    from kiosk.widgets import step_picture

    root = tmp_path / "content"
    (root / "media").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "media" / "pin-pad.svg", root / "media" / "pin-pad.svg")
    (root / "media" / "broken.svg").write_text("<svg", encoding="utf-8")
    cache = tmp_path / "cache"
    from content.media import kiosk_picture

    drawn = str(kiosk_picture(root, "media/pin-pad.svg", cache))  # as an earlier run did
    assert Path(drawn).is_file()
    children: list[str] = []
    real = step_picture._draw_apart
    monkeypatch.setattr(
        step_picture,
        "_draw_apart",
        lambda root, illustration, cache_dir: (
            children.append(illustration) or real(root, illustration, cache_dir)
        ),
    )
    assert step_picture.picture_path(root, "media/pin-pad.svg", cache) == drawn
    assert step_picture.picture_path(root, "media/broken.svg", cache) == ""
    assert step_picture.picture_path(root, "media/broken.svg", cache) == ""
    assert children == ["media/broken.svg"]


def test_a_kivy_without_the_patched_methods_starts_as_it_is(monkeypatch):
    # kiosk.memory patches two private methods of Kivy 2.3's SDL2 text provider; a Kivy
    # (a 2.3.x release) without them must start unpatched, not crash at the first frame
    import types

    from kiosk.memory import drop_text_surfaces, share_font_faces

    class LabelSDL2:  # the provider as such a Kivy might have it: neither method
        pass

    module = types.ModuleType("kivy.core.text.text_sdl2")
    module.LabelSDL2 = LabelSDL2
    monkeypatch.setitem(sys.modules, "kivy.core.text.text_sdl2", module)
    drop_text_surfaces()
    share_font_faces()
    assert not hasattr(LabelSDL2, "_render_end") and not hasattr(LabelSDL2, "_get_font_id")
    assert not hasattr(LabelSDL2, "_drops_surface") and not hasattr(LabelSDL2, "_shares_faces")
