"""CSV that Japanese Excel opens by double-click, and CSV read back from the ward's sheets.

Writing: UTF-8 with a BOM by default (Excel reads BOM-less UTF-8 as Shift_JIS), or
cp932 on request; every cell that a spreadsheet would run as a formula is defused.
Reading: UTF-8 with or without a BOM, else cp932.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from languages import N_

from .errors import DomainError

ENCODINGS = ("utf-8-sig", "cp932")
#: a cell starting with one of these is run as a formula by Excel / LibreOffice
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class NotEncodable(DomainError):
    message = N_(
        "The character %(char)s (%(codepoint)s) in row %(row)s cannot be written in "
        "Shift_JIS (cp932). Choose UTF-8 instead, or change the text."
    )


class NotDecodable(DomainError):
    message = N_(
        "The file is neither UTF-8 nor Shift_JIS (cp932) text. Save it as CSV and try again."
    )


def defuse(value) -> str:
    """The cell as text; a leading = + - @ tab or CR gets a ' so it stays text (CWE-1236)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if isinstance(value, int | float):
        return text  # a negative number is a number, not a formula
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(rows: Iterable[Sequence]) -> str:
    """Rows as CSV text with CRLF line ends, every cell defused, fields quoted when needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([defuse(cell) for cell in row])
    return out.getvalue()


def encode_csv(rows: Iterable[Sequence], encoding: str = "utf-8-sig") -> bytes:
    """CSV bytes for Excel: UTF-8 with BOM, or cp932 (NotEncodable names the first bad character)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r}")
    text = csv_text(rows)
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    try:
        return text.encode("cp932")
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        row = exc.object.count("\n", 0, exc.start) + 1
        raise NotEncodable(char=char, codepoint=f"U+{ord(char):04X}", row=row) from None


def decode_csv(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (BOM or not), else cp932."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise NotDecodable() from None


def read_rows(data: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded CSV as dicts keyed by the header row (stripped)."""
    reader = csv.DictReader(io.StringIO(decode_csv(data), newline=""))
    if reader.fieldnames:
        reader.fieldnames = [(name or "").strip() for name in reader.fieldnames]
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
