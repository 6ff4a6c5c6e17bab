"""A QR code as a matrix of dark modules, quiet zone included (no Kivy)."""

from __future__ import annotations

import sys

#: the quiet zone the QR standard asks for, in modules
QUIET_ZONE = 4


def _qrcode():
    """The qrcode package, imported without the Pillow drawing it loads for image output.

    qrcode's package imports its Pillow module drawers on import (PIL.ImageDraw, which
    brings ImageFont with FreeType, HarfBuzz, Brotli and libpng: about 2 MiB that would
    stay in the kiosk, issue 21); the kiosk asks it for the matrix only and draws that
    itself. qrcode skips those drawers when Pillow's drawing cannot be imported, which is
    what it is told while it is imported; PIL.ImageDraw imports as before afterwards.
    """
    if "qrcode" in sys.modules:
        return sys.modules["qrcode"]
    hide = "PIL.ImageDraw" not in sys.modules
    if hide:
        sys.modules["PIL.ImageDraw"] = None  # an import of it raises ImportError
    try:
        import qrcode
    finally:
        if hide and sys.modules.get("PIL.ImageDraw", "") is None:
            del sys.modules["PIL.ImageDraw"]
    return qrcode


def matrix(data: str) -> list[list[bool]]:
    """Rows of modules, True for dark, with a ``QUIET_ZONE`` of light modules all round."""
    qrcode = _qrcode()
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def luminance_bytes(rows: list[list[bool]]) -> bytes:
    """One byte per module, bottom row first (as an OpenGL texture is filled)."""
    return b"".join(bytes(0 if dark else 255 for dark in row) for row in reversed(rows))
