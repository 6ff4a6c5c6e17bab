"""The kiosk's fonts: BIZ UD PGothic for Japanese and English, Noto CJK where it lacks glyphs.

BIZ UD PGothic (Debian's fonts-morisawa-bizud-gothic) is a universal-design face made
for legibility; it has no Hangul and not every simplified Chinese form, so Korean and
Chinese use Noto Sans CJK. When BIZ UD is missing, Noto CJK stands in for it.
"""

from __future__ import annotations

from pathlib import Path

BIZUD_DIR = Path("/usr/share/fonts/truetype/bizud-gothic")
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
BIZUD = (BIZUD_DIR / "BIZUDPGothic-Regular.ttf", BIZUD_DIR / "BIZUDPGothic-Bold.ttf")
NOTO = (NOTO_DIR / "NotoSansCJK-Regular.ttc", NOTO_DIR / "NotoSansCJK-Bold.ttc")
#: Noto Sans CJK cut down to the captions of the language buttons that need it (中文, 한국어
#: and the option marks), made by scripts/autonym_fonts.py: Home shows them at every visit,
#: and the whole font costs about 2.7 MiB at each size it is opened at, this one 0.2 MiB
AUTONYM_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
AUTONYM_FILES = (
    AUTONYM_DIR / "NotoSansCJK-Regular-autonyms.otf",
    AUTONYM_DIR / "NotoSansCJK-Bold-autonyms.otf",
)

#: font names registered with Kivy
JAPANESE_FONT = "KioskJapanese"
CJK_FONT = "KioskCJK"
#: a language button's own name (its autonym) where that is in CJK_FONT
AUTONYM_FONT = "KioskAutonyms"
#: the registered names whose face is Noto Sans CJK: its own line box is about 1.45 em
#: (BIZ UD Gothic's is 1.0), so the spacing asked for a label is not added on top of it
_TALL_LINES: set[str] = set()


def line_height(font_name: str, spacing: float) -> float:
    """The Label ``line_height`` that spaces lines ``spacing`` em apart (about) in this font.

    BIZ UD Gothic's line box is one em, so it is ``spacing`` itself; Noto Sans CJK's is
    already 1.45 em, more than any spacing the kiosk asks for: its own (1.0), never less,
    so no glyph is clipped.
    """
    return 1.0 if font_name in _TALL_LINES else spacing


def available(pair: tuple[Path, Path]) -> tuple[str, str] | None:
    """(regular, bold) as strings when the regular file exists; bold falls back to regular."""
    regular, bold = pair
    if not regular.is_file():
        return None
    return str(regular), str(bold if bold.is_file() else regular)


def font_for(language: str) -> str:
    """The registered font name that has every glyph of ``language``."""
    return CJK_FONT if language in ("zh-Hans", "ko") else JAPANESE_FONT


def autonym_font(language: str) -> str:
    """The registered font name for ``language``'s own name on its button."""
    font = font_for(language)
    return AUTONYM_FONT if font == CJK_FONT else font


def autonym_text() -> str:
    """Every character a language button shows in AUTONYM_FONT: the own names of the
    languages written in CJK_FONT, and the option marks with the space after them."""
    from kiosk.i18n import AUTONYMS
    from kiosk.widgets.big_button import CHOSEN, NOT_CHOSEN

    names = "".join(name for code, name in AUTONYMS.items() if font_for(code) == CJK_FONT)
    return "".join(sorted(set(names + CHOSEN + NOT_CHOSEN + " ")))


def register() -> dict[str, tuple[str, str]]:
    """Register the kiosk's fonts with Kivy and make BIZ UD the default of every Label."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    japanese = available(BIZUD) or available(NOTO)
    cjk = available(NOTO) or japanese
    if japanese is None or cjk is None:
        raise RuntimeError(
            "No Japanese font found: install fonts-morisawa-bizud-gothic or fonts-noto-cjk."
        )
    # the cut-down autonyms when shipped (a checkout without them: the whole CJK font)
    autonyms = available(AUTONYM_FILES) or cjk
    registered = {
        JAPANESE_FONT: japanese,
        CJK_FONT: cjk,
        AUTONYM_FONT: autonyms,
        DEFAULT_FONT: japanese,
    }
    for name, (regular, bold) in registered.items():
        LabelBase.register(name, fn_regular=regular, fn_bold=bold)
        if Path(regular).name.startswith("NotoSansCJK"):
            _TALL_LINES.add(name)
    return registered
