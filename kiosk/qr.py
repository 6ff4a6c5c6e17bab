"""A QR code as a matrix of dark modules, quiet zone included (no Kivy)."""

from __future__ import annotations

import qrcode

#: the quiet zone the QR standard asks for, in modules
QUIET_ZONE = 4


def matrix(data: str) -> list[list[bool]]:
    """Rows of modules, True for dark, with a ``QUIET_ZONE`` of light modules all round."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def luminance_bytes(rows: list[list[bool]]) -> bytes:
    """One byte per module, bottom row first (as an OpenGL texture is filled)."""
    return b"".join(bytes(0 if dark else 255 for dark in row) for row in reversed(rows))
