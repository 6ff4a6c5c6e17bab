"""Paper to take home: the reservation slip and a guide's step sheet, as PDF for ``lp``.

Japanese sent to ``lp`` as plain text comes out as mojibake or not at all on most
printers, so the kiosk lays the page out itself (fpdf2, BIZ UD Gothic embedded, lines
broken between phrases as on screen by ``kiosk.layout``), sized for the paper in the
kiosk's config, and sends the PDF:

- ``a6``: 105 × 148 mm, the office's slip size (more pages if a step sheet needs them);
- ``a4``: 210 × 297 mm, the same content in larger type;
- ``roll80``: an 80 mm receipt roll (72 mm printed), one page as long as the content.

No Kivy here: the screens call ``slip_pdf``/``step_sheet_pdf`` and ``send`` from a worker.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kiosk import booking_text, fonts, layout, qr
from kiosk.i18n import N_, gettext_in

log = logging.getLogger(__name__)
# fpdf2 subsets the font with fontTools, which logs every table at DEBUG (Kivy logs DEBUG)
for _noisy in ("fontTools", "fpdf"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)


@dataclass(frozen=True)
class Paper:
    name: str
    #: page width and height in mm; height None for a roll (as long as the content)
    width: float
    height: float | None
    #: margin all round, mm
    margin: float
    #: body text, pt: large print (UX.md), scaled to the paper
    body: float
    #: what ``lp -o media=`` calls it
    media: str


PAPERS = {
    "a6": Paper("a6", 105, 148, 5, 10, "A6"),
    "a4": Paper("a4", 210, 297, 15, 18, "A4"),
    "roll80": Paper("roll80", 80, None, 4, 12, "Custom.80x297mm"),
}
#: what a kiosk without a printer says in its config
NO_PRINTER = ("", "none")

#: printed headings (English msgids, context "kiosk")
SLIP_TITLE = {
    "confirmed": N_("Smartphone class: reservation slip"),
    "waitlisted": N_("Smartphone class: waiting list"),
    "applied": N_("Smartphone class: lottery application"),
}
SLIP_HINT = N_(
    "Please show this slip at reception. If the QR code cannot be read, we type the code."
)
QUESTIONS = N_("Questions or cancellations:")
SHEET_BRING = N_("What to bring")
SHEET_STEPS = N_("Steps")
SHEET_HELP = N_("Where to ask for help")
SHEET_QR = N_("Scan this with your phone's camera to open the page.")

PT = 25.4 / 72  # mm per point


def paper(name: str) -> Paper:
    """The paper called ``name`` in the config (a6, a4, roll80); ValueError otherwise."""
    try:
        return PAPERS[str(name).strip().lower()]
    except KeyError:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}") from None


def has_printer(printer: str | None) -> bool:
    return (printer or "").strip().lower() not in NO_PRINTER


def contact(settings, language: str) -> tuple[str, str]:
    """The ward's name and the phone for questions, from the content's settings (ward.name;
    phones.digital_support, else ward.phone); "" for what the ward has not set."""
    if settings is None:
        return "", ""
    name = settings.value_in("ward.name", language) if settings.has_value("ward.name") else ""
    for path in ("phones.digital_support", "ward.phone"):
        if settings.has_value(path):
            return name, settings.value_in(path, language)
    return name, ""


# -- a small flow layout: blocks measured, then placed on pages --------------------------


class Sheet:
    """Blocks of text, QR codes and pictures laid out top to bottom on ``paper``."""

    def __init__(self, paper: Paper, language: str) -> None:
        from fpdf import FPDF

        self.paper, self.language = paper, language
        self.pdf = FPDF(unit="mm", format=(paper.width, paper.height or 297))
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(paper.margin, paper.margin, paper.margin)
        cjk = language in ("zh-Hans", "ko")
        pair = fonts.available(fonts.NOTO if cjk else fonts.BIZUD) or fonts.available(fonts.NOTO)
        if pair is None:
            raise OSError("no Japanese font installed (fonts-morisawa-bizud-gothic)")
        self.pdf.add_font("sheet", "", pair[0])
        self.pdf.add_font("sheet", "B", pair[1])
        self.width = paper.width - 2 * paper.margin
        #: (height mm, draw(x, y)) in order
        self.blocks: list[tuple[float, object]] = []

    def _lines(self, text: str, size: float, bold: bool, width: float) -> list[str]:
        self.pdf.set_font("sheet", "B" if bold else "", size)
        measure = self.pdf.get_string_width
        return layout.layout(text, self.language, width, measure).split("\n")

    def text(
        self,
        text: str,
        scale: float = 1.0,
        bold: bool = False,
        indent: float = 0,
        gap: float = 0.4,
        align: str = "L",
    ) -> None:
        """A paragraph (line breaks kept) at ``scale`` × the body size."""
        if not text:
            return
        size = self.paper.body * scale
        line = size * PT * 1.4
        lines = self._lines(text, size, bold, self.width - indent)
        after = size * PT * gap

        def draw(x: float, y: float) -> None:
            self.pdf.set_font("sheet", "B" if bold else "", size)
            for n, content in enumerate(lines):
                shift = 0.0
                if align == "C":
                    shift = (self.width - indent - self.pdf.get_string_width(content)) / 2
                self.pdf.text(x + indent + shift, y + size * PT * 1.05 + n * line, content)

        self.blocks.append((len(lines) * line + after, draw))

    def row(self, label: str, value: str, scale: float = 1.0, bold: bool = True) -> None:
        """A small label in a left column, its value in large type beside it."""
        column = max(self.width * 0.2, 18)
        gap = self.paper.body * PT * 0.8
        label_size, value_size = self.paper.body * 0.8, self.paper.body * scale
        labels = self._lines(label, label_size, False, column - 1)
        values = self._lines(value, value_size, bold, self.width - column - gap)
        value_line = value_size * PT * 1.35
        label_line = label_size * PT * 1.4
        height = max(len(values) * value_line, len(labels) * label_line) + value_size * PT * 0.45

        def draw(x: float, y: float) -> None:
            self.pdf.set_font("sheet", "", label_size)
            top = y + (value_size - label_size) * PT * 0.9
            for n, content in enumerate(labels):
                self.pdf.text(x, top + label_size * PT * 1.05 + n * label_line, content)
            self.pdf.set_font("sheet", "B" if bold else "", value_size)
            for n, content in enumerate(values):
                self.pdf.text(
                    x + column + gap, y + value_size * PT * 1.05 + n * value_line, content
                )

        self.blocks.append((height, draw))

    def qr_beside(self, data: str, size: float, lines: list[tuple[str, float, bool]]) -> None:
        """A QR code ``size`` mm wide on the left; text lines (text, scale, bold) beside it."""
        rows = qr.matrix(data)
        module = size / len(rows)
        gap = 3.0
        laid = [
            (self._lines(t, self.paper.body * k, b, self.width - size - gap), k, b)
            for t, k, b in lines
        ]
        text_height = sum(len(ls) * self.paper.body * k * PT * 1.4 for ls, k, _b in laid)

        def draw(x: float, y: float) -> None:
            self._squares(rows, x, y, module)
            top = y + module * 3  # beside the code's first dark row
            for content_lines, k, b in laid:
                size_pt = self.paper.body * k
                self.pdf.set_font("sheet", "B" if b else "", size_pt)
                for content in content_lines:
                    self.pdf.text(x + size + gap, top + size_pt * PT * 1.05, content)
                    top += size_pt * PT * 1.4

        self.blocks.append((max(size, text_height + module * 3) + 2, draw))

    def _squares(self, rows: list[list[bool]], left: float, top: float, module: float) -> None:
        """The dark modules as filled rectangles, one per run in a row (vector: crisp)."""
        self.pdf.set_fill_color(0, 0, 0)
        for r, cells in enumerate(rows):
            c = 0
            while c < len(cells):
                if not cells[c]:
                    c += 1
                    continue
                start = c
                while c < len(cells) and cells[c]:
                    c += 1
                self.pdf.rect(
                    left + start * module, top + r * module, (c - start) * module, module, style="F"
                )

    def rule(self) -> None:
        def draw(x: float, y: float) -> None:
            self.pdf.set_line_width(0.3)
            self.pdf.line(x, y + 1, x + self.width, y + 1)

        self.blocks.append((3.0, draw))

    def qr(self, data: str, size: float, caption: str = "") -> None:
        """A QR code ``size`` mm wide (quiet zone included), centred, drawn as vector squares."""
        rows = qr.matrix(data)
        module = size / len(rows)
        caption_lines = self._lines(caption, self.paper.body * 0.9, False, self.width)
        caption_height = (len(caption_lines) * self.paper.body * 0.9 * PT * 1.4) if caption else 0

        def draw(x: float, y: float) -> None:
            self._squares(rows, x + (self.width - size) / 2, y, module)
            if caption:
                self.pdf.set_font("sheet", "", self.paper.body * 0.9)
                for n, content in enumerate(caption_lines):
                    width = self.pdf.get_string_width(content)
                    self.pdf.text(
                        x + (self.width - width) / 2,
                        y + size + (n + 0.9) * self.paper.body * 0.9 * PT * 1.4,
                        content,
                    )

        self.blocks.append((size + caption_height + 2, draw))

    def picture(self, png: Path, width: float) -> None:
        """A step's picture, ``width`` mm wide at most, aspect kept."""
        from PIL import Image

        with Image.open(png) as image:
            image.load()
            w, h = image.size
            if image.mode in ("RGBA", "LA", "P"):  # transparent parts print as paper, not ink
                rgba = image.convert("RGBA")
                picture = Image.new("RGB", rgba.size, "white")
                picture.paste(rgba, mask=rgba.getchannel("A"))
            else:
                picture = image.convert("RGB")
        width = min(width, self.width)
        height = width * h / w

        def draw(x: float, y: float) -> None:
            self.pdf.image(picture, x=x + self.paper.body * PT * 1.6, y=y, w=width, h=height)

        self.blocks.append((height + 2, draw))

    def space(self, mm: float) -> None:
        self.blocks.append((mm, lambda x, y: None))

    def keep(self) -> int:
        """A mark: blocks from here to ``together`` are not split across pages."""
        return len(self.blocks)

    def together(self, mark: int) -> None:
        """Blocks since ``mark`` become one (a numbered step and its picture stay together)."""
        group = self.blocks[mark:]
        if len(group) < 2:
            return
        height = sum(h for h, _ in group)

        def draw(x: float, y: float) -> None:
            for h, part in group:
                part(x, y)
                y += h

        self.blocks[mark:] = [(height, draw)]

    def pdf_bytes(self) -> bytes:
        """The PDF: pages of the paper's size, or one roll page as long as the content."""
        margin = self.paper.margin
        if self.paper.height is None:
            total = sum(h for h, _ in self.blocks) + 2 * margin
            self.pdf.add_page(format=(self.paper.width, max(total, 80)))
            y = margin
            for h, draw in self.blocks:
                draw(margin, y)
                y += h
        else:
            bottom = self.paper.height - margin
            self.pdf.add_page()
            y = margin
            for h, draw in self.blocks:
                if y + h > bottom and y > margin:
                    self.pdf.add_page()
                    y = margin
                draw(margin, y)
                y += h
        return bytes(self.pdf.output())


# -- the two sheets ---------------------------------------------------------------------


def slip_pdf(
    session: dict,
    result: dict,
    language: str,
    paper_name: str = "a6",
    device: str = "",
    ward: str = "",
    phone: str = "",
) -> bytes:
    """The reservation slip: what the office's slip holds, in ``language``.

    A confirmed seat gets the QR of its opaque ``qr_token`` and "show this at reception";
    a waiting-list place or a lottery application says there is no seat yet and has no QR.
    """
    tr = gettext_in
    sheet = Sheet(paper(paper_name), language)
    status = str(result.get("status") or "")
    if ward:
        sheet.text(ward, 0.8, gap=0.1)
    sheet.text(tr(SLIP_TITLE.get(status, SLIP_TITLE["confirmed"]), language), 1.2, bold=True)
    sheet.rule()
    if status != "confirmed":  # no seat yet: say so before anything else
        sheet.text(booking_text.status_heading(result, language), 1.2, bold=True, gap=0.2)
        joiner = "" if language in ("ja", "zh-Hans") else " "
        sheet.text(joiner.join(booking_text.result_lines(result, language)), 0.95, gap=0.3)
    rows = booking_text.details(session, result, language, device)
    code = rows.pop() if result.get("code") else None
    for kind, (label, value) in zip(booking_text.DETAIL_KINDS, rows, strict=False):
        scale = {"date": 1.3, "time": 1.3, "bring": 0.9}.get(kind, 1.1)
        sheet.row(label, value, scale, bold=kind != "bring")
    sheet.space(1.5)
    if code is not None and status == "confirmed" and result.get("qr_token"):
        size = min(sheet.width * 0.36, 42)
        if sheet.width - size >= 55:  # room beside the code: A6, A4
            beside = [
                (code[0], 0.85, False),
                (code[1], 1.5, True),
                (tr(SLIP_HINT, language), 0.85, False),
            ]
            if phone:  # the phone goes beside the code too: the slip stays one card
                beside += [(tr(QUESTIONS, language), 0.85, False), (phone, 1.2, True)]
                phone = ""
            sheet.qr_beside(str(result["qr_token"]), size, beside)
        else:  # a receipt roll: the code under its QR
            sheet.qr(str(result["qr_token"]), sheet.width * 0.6, tr(SLIP_HINT, language))
            sheet.row(*code, 1.4)
    elif code is not None:
        sheet.row(*code, 1.2)
    if phone:
        mark = sheet.keep()
        sheet.rule()
        sheet.row(tr(QUESTIONS, language), phone, 1.2)
        sheet.together(mark)
    return sheet.pdf_bytes()


def step_sheet_pdf(
    guide, language: str, paper_name: str = "a4", pictures=None, phone: str = ""
) -> bytes:
    """A guide's take-home sheet: title, what to bring, numbered steps with their pictures,
    the counter and its phone number, and the hand-off QR.

    ``pictures(illustration) -> Path | None`` gives a step picture's PNG (the kiosk's own).
    """
    tr = gettext_in
    sheet = Sheet(paper(paper_name), language)
    sheet.text(guide.title.get(language), 1.5, bold=True)
    sheet.rule()
    if guide.bring:
        sheet.text(tr(SHEET_BRING, language), 1.15, bold=True)
        for item in guide.bring:
            sheet.text(f"・{item.get(language)}", 1.0, indent=2)
        sheet.space(2)
    sheet.text(tr(SHEET_STEPS, language), 1.15, bold=True)
    picture_width = min(sheet.width * 0.45, 45)
    for number, step in enumerate(guide.steps, start=1):
        mark = sheet.keep()
        sheet.text(f"{number}. {step.text.get(language)}", 1.0, gap=0.5)
        png = pictures(step.illustration) if pictures and step.illustration else None
        if png:
            sheet.picture(Path(png), picture_width)
        sheet.together(mark)
    sheet.space(2)
    sheet.rule()
    sheet.text(tr(SHEET_HELP, language), 1.15, bold=True)
    sheet.text(guide.stuck.counter.get(language), 1.0)
    if phone:
        sheet.text(f"☎ {phone}", 1.4, bold=True)
    sheet.space(2)
    sheet.text(guide.handoff.label.get(language), 1.0, bold=True)
    sheet.qr(guide.handoff.url, min(sheet.width * 0.55, 50), tr(SHEET_QR, language))
    return sheet.pdf_bytes()


# -- sending -----------------------------------------------------------------------------


def send(pdf: bytes, printer: str, paper_name: str, directory: Path) -> None:
    """Hand the PDF to CUPS: ``lp -d PRINTER -o media=... FILE``; OSError when it fails.

    The file is written 0600 in ``directory`` (the kiosk's data dir) and removed after.
    """
    lp = shutil.which("lp")
    if lp is None:
        raise OSError("lp not found (install cups-client)")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"print-{id(pdf):x}.pdf"
    fd = _open_private(target)
    try:
        with open(fd, "wb", closefd=True) as f:
            f.write(pdf)
        command = [
            lp,
            "-d",
            printer,
            "-o",
            f"media={paper(paper_name).media}",
            "-o",
            "fit-to-page",
            str(target),
        ]
        done = subprocess.run(command, capture_output=True, timeout=30, check=False)
        if done.returncode != 0:
            raise OSError(f"lp exited with {done.returncode}")
    finally:
        target.unlink(missing_ok=True)


def _open_private(path: Path) -> int:
    import os

    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)


def pdf_pages_png(pdf: bytes) -> list[bytes]:  # pragma: no cover - for looking at, in tests
    """The pages as PNG (pdftoppm), for tests and for looking at."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", str(source), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
        )
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p*.png"))]


__all__ = ["PAPERS", "Paper", "has_printer", "paper", "send", "slip_pdf", "step_sheet_pdf"]
