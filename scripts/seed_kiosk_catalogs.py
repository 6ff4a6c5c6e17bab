"""Copy the kiosk's SEED translations into the shared catalogs' "kiosk" entries.

``kiosk.i18n.SEED`` held the kiosk's translations before the catalogs had its strings.
For ja, zh-Hans and ko this writes each SEED translation into the msgstr of the entry
with the message context "kiosk" and the same msgid, only where that msgstr is empty
(a translator's word in the catalog always wins) and clears the fuzzy flag of an entry it
fills. The catalogs are then the source, and SEED can shrink. ja-easy is in the ja
catalog's "kiosk-easy" entries (docs/translations.md). ``make i18n`` runs this before
compiling.

Usage: python scripts/seed_kiosk_catalogs.py [LOCALES_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po, write_po  # noqa: E402

from kiosk.i18n import CONTEXT, SEED  # noqa: E402

#: SEED's language code -> the catalog's directory under locales/
CATALOGS = {"ja": "ja", "zh-Hans": "zh_Hans", "ko": "ko"}


def seed(locales: Path) -> dict[str, tuple[int, int]]:
    """Fill the catalogs; returns {catalog: (filled, kiosk entries still empty)}."""
    result = {}
    for code, directory in CATALOGS.items():
        path = locales / directory / "LC_MESSAGES" / "messages.po"
        if not path.is_file():
            continue
        with path.open("rb") as f:
            catalog = read_po(f, locale=directory)
        seeded = SEED.get(code, {})
        filled = empty = 0
        for message in catalog:
            if message.context != CONTEXT or not message.id or message.pluralizable:
                continue
            if not message.string and seeded.get(message.id):
                message.string = seeded[message.id]
                message.flags.discard("fuzzy")
                filled += 1
            if not message.string:
                empty += 1
        if filled:
            with path.open("wb") as f:
                write_po(f, catalog, width=76, omit_header=False)  # as pybabel update writes
        result[directory] = (filled, empty)
    return result


def main(argv: list[str]) -> int:
    locales = Path(argv[1]) if len(argv) > 1 else ROOT / "locales"
    for directory, (filled, empty) in seed(locales).items():
        print(f"{directory}: {filled} kiosk entries filled from SEED, {empty} still empty")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
