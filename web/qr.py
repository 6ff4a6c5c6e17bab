"""QR codes drawn on the server as inline SVG: no file, no outside service."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import qrcode
import qrcode.image.svg
from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"


def qr_svg(url: str, title: str, css_class: str = "qr") -> Markup:
    """`url` as an inline SVG QR code (quiet zone kept), titled for screen readers."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(image.to_string(encoding="unicode"))
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("class", css_class)
    root.set("role", "img")
    root.set("aria-labelledby", "qr-title")
    label = ET.Element(f"{{{SVG_NS}}}title", {"id": "qr-title"})
    label.text = title
    root.insert(0, label)
    return Markup(ET.tostring(root, encoding="unicode"))
