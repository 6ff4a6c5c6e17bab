"""The shipped step pictures: every illustrated step's SVG exists, parses and is fit for
seniors in any language; the bundle carries the kiosk's PNG of each, byte for byte stable."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from content.bundle import bundle_files
from content.loader import CONTENT_DIR, load_catalog
from content.media import RASTER_WIDTH, raster_name, rasterise, svg_problem, svg_title
from content.speech import AudioCache

pytestmark = pytest.mark.skipif(
    not (CONTENT_DIR / "media").is_dir(), reason="the real content is not in this checkout"
)
SVG = "{http://www.w3.org/2000/svg}"


def illustrated_steps() -> list[tuple[str, int, str]]:
    catalog = load_catalog()
    return [
        (guide.id, n, step.illustration)
        for guide in catalog.guides.values()
        for n, step in enumerate(guide.steps, start=1)
        if step.illustration
    ]


def test_every_active_guide_has_at_least_two_illustrated_steps() -> None:
    catalog = load_catalog()
    for guide in catalog.active_guides:
        assert sum(1 for s in guide.steps if s.illustration) >= 2, guide.id


@pytest.mark.parametrize("guide_id, step, illustration", illustrated_steps())
def test_each_illustrated_step_has_a_usable_svg(
    guide_id: str, step: int, illustration: str
) -> None:
    path = CONTENT_DIR / illustration
    assert path.is_file(), f"{guide_id} step {step}: {illustration}"
    assert svg_problem(path) is None
    assert svg_title(path)


@pytest.mark.parametrize(
    "path", sorted((CONTENT_DIR / "media").glob("*.svg")), ids=lambda p: p.name
)
def test_each_picture_is_small_wordless_4_by_3_and_draws(path: Path) -> None:
    assert path.stat().st_size < 6 * 1024
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 320 240"
    assert root.find(f".//{SVG}text") is None, "words in a picture serve one language only"
    png = rasterise(path)
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (RASTER_WIDTH, RASTER_WIDTH * 3 // 4)
        alpha = image.getchannel("A")
        # something is drawn, and it is not a filled rectangle: at least 5% ink, some air
        drawn = sum(alpha.histogram()[128:]) / (image.width * image.height)
        assert 0.05 < drawn < 0.9


def test_every_picture_is_used_by_a_step() -> None:
    used = {illustration for _g, _n, illustration in illustrated_steps()}
    shipped = {f"media/{p.name}" for p in (CONTENT_DIR / "media").glob("*.svg")}
    assert shipped == used


def test_the_bundle_carries_each_svg_with_its_png_and_the_same_bytes_twice(tmp_path: Path) -> None:
    catalog = load_catalog()
    cache = AudioCache.open(tmp_path / "no-audio")
    first, _missing = bundle_files(catalog, cache)
    second, _missing = bundle_files(catalog, cache)
    svgs = sorted(name for name in first if name.startswith("media/") and name.endswith(".svg"))
    assert len(svgs) >= 10
    for name in svgs:
        assert first[raster_name(name)].startswith(b"\x89PNG"), name
        assert first[raster_name(name)] == second[raster_name(name)], name
    assert first.keys() == second.keys()
    # what a kiosk unpacks finds the PNG beside the SVG
    from content.bundle import write_zip

    write_zip(tmp_path / "b.zip", first)
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert archive.getinfo(raster_name(svgs[0])).compress_type == zipfile.ZIP_STORED
