"""Make the kiosk's autonym fonts: Noto Sans CJK cut down to the language buttons' captions.

Home shows 中文 and 한국어 on their buttons at every visit, in Noto Sans CJK (BIZ UD Gothic
has no Hangul). Opening Noto Sans CJK costs the kiosk about 2.7 MiB at each size it is
drawn at (FreeType reads the CFF tables of 65,535 glyphs); the same face cut down to these
few characters costs about 0.2 MiB, and draws the same pixels (docs/proof.md, issue 21 in
session 13). The full font is opened only when a resident chooses Chinese or Korean.

Run after changing a language's own name (kiosk/i18n.py AUTONYMS) or the option marks
(kiosk/widgets/big_button.py); tests/kiosk/test_autonym_fonts.py fails until then:

    .venv/bin/python scripts/autonym_fonts.py

It reads Debian's fonts-noto-cjk (the first face of each collection, Noto Sans CJK JP,
as Kivy opens it) and writes kiosk/assets/fonts/NotoSansCJK-{Regular,Bold}-autonyms.otf;
the same input gives the same bytes. The fonts are under the SIL Open Font License 1.1
(kiosk/assets/fonts/OFL.txt), as Noto Sans CJK is.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> int:
    # the option marks come from a Kivy widget's module: no Kivy log lines here
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from kiosk import fonts

    text = fonts.autonym_text()
    fonts.AUTONYM_DIR.mkdir(parents=True, exist_ok=True)
    for source, target in zip(fonts.NOTO, fonts.AUTONYM_FILES, strict=True):
        if not source.is_file():
            print(f"{source} がありません（apt install fonts-noto-cjk）", file=sys.stderr)
            return 1
        font = TTFont(source, fontNumber=0, recalcTimestamp=False)
        options = subset.Options()
        options.layout_features = ["*"]  # the same shaping as the whole font
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.recalc_timestamp = False
        cutter = subset.Subsetter(options)
        cutter.populate(text=text)
        cutter.subset(font)
        font.save(target)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} バイト（{text!r}）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
