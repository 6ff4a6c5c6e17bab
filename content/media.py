"""Step illustrations: what makes an SVG acceptable, and its PNG for the kiosk.

The pictures are our own flat line drawings in ``content/media/``, one SVG each, drawn
without words so that one picture serves every language. The web site serves the SVG
as it is. Kivy cannot draw SVG reliably (its ``Svg`` instruction mangles curves), so the
kiosk shows a PNG: the bundle carries one rasterised next to each SVG (``x.svg`` →
``x.png``), and a kiosk running from the content folder itself renders it on first use
into a cache. resvg renders the same SVG to the same bytes every time, so bundles stay
deterministic.
"""

from __future__ import annotations

import logging
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .raster_cache import RASTER_WIDTH, cached_png

log = logging.getLogger(__name__)

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
#: elements that would make a picture do more than be looked at
FORBIDDEN = ("script", "foreignObject")


@dataclass(frozen=True)
class SvgProblem:
    """What is wrong with an SVG file, and the line of the file where it is (1-based)."""

    line: int
    #: xml | unreadable | root | viewbox | forbidden | href
    kind: str
    #: the parser's message, or the element found
    detail: str = ""


def svg_problem(path: Path) -> SvgProblem | None:
    """Why ``path`` is not a usable illustration, or None when it is.

    Usable means: XML that parses, an ``<svg>`` root in the SVG namespace with a
    ``viewBox`` (so it scales to any box), no script, no external reference. The
    ``kind`` says which rule failed; ``content.validate`` words the message.
    """
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        return SvgProblem(line, "xml", _plain(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return SvgProblem(1, "unreadable", exc.__class__.__name__)
    if root.tag != f"{SVG_NAMESPACE}svg":
        return SvgProblem(1, "root", root.tag.rpartition("}")[2])
    if not root.get("viewBox", "").strip():
        return SvgProblem(_line_of(path, "<svg"), "viewbox")
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if name in FORBIDDEN:
            return SvgProblem(_line_of(path, f"<{name}"), "forbidden", name)
        for key, value in element.attrib.items():
            if key.endswith("href") and not value.startswith("#"):
                return SvgProblem(_line_of(path, value), "href", value)
    return None


def svg_title(path: Path) -> str:
    """The text of the SVG's ``<title>`` (its description in English), "" when it has none."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError, UnicodeDecodeError):
        return ""
    title = root.find(f"{SVG_NAMESPACE}title")
    return (title.text or "").strip() if title is not None else ""


def _plain(exc: ET.ParseError) -> str:
    """The parser's message without its ': line N, column M' tail (we say the line)."""
    return str(exc).split(":")[0]


def _line_of(path: Path, needle: str) -> int:
    """The first line of ``path`` containing ``needle`` (1 when none does)."""
    for number, line in enumerate(
        path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1
    ):
        if needle in line:
            return number
    return 1


#: where pictures uploaded on the staff site live (PNG, or JPEG; never SVG): issue 18
UPLOADS = "media/uploads/"
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")
#: the first bytes of a PNG and of a JPEG file
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def raster_picture(path: Path) -> bool:
    """True when ``path`` is a PNG or JPEG file as its first bytes say (uploads are checked
    and re-encoded with Pillow when they arrive; this catches a file put there by hand)."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return any(head.startswith(signature) for signature in _SIGNATURES)


def raster_name(illustration: str) -> str:
    """The bundle path of the kiosk's PNG for an illustration: media/x.svg → media/x.png."""
    return str(Path(illustration).with_suffix(".png").as_posix())


def rasterise(svg: Path, width: int = RASTER_WIDTH) -> bytes:
    """The SVG drawn as a PNG ``width`` pixels wide, transparent around the drawing.

    Raises ValueError when the file cannot be drawn. Fonts are not loaded: our pictures
    have no words, and skipping the font scan keeps this fast and machine-independent.
    """
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_path=str(svg), width=width, skip_system_fonts=True))


def kiosk_picture(root: Path, illustration: str, cache_dir: Path) -> Path | None:
    """The PNG the kiosk shows for ``illustration`` (a path like media/x.svg under ``root``;
    an uploaded media/uploads/x.png is its own).

    A bundle carries the PNG beside the SVG; otherwise it is rendered once into
    ``cache_dir`` (named by the SVG's hash, so an edited picture is rendered again).
    None when the picture cannot be had: the step is then shown without it.
    """
    svg = root / illustration
    if svg.suffix.lower() in RASTER_SUFFIXES:  # an uploaded picture: shown as it is
        return svg if svg.is_file() else None
    bundled = root / raster_name(illustration)
    if bundled.is_file():
        return bundled
    try:
        target = cached_png(svg, cache_dir)
        if not target.is_file():
            _write_atomically(target, rasterise(svg))
        return target
    except (OSError, ValueError, ImportError) as exc:
        log.warning("illustration %s cannot be drawn: %s", illustration, exc)
        return None


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
