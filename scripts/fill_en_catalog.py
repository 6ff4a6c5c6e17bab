"""English is the source language: fill every empty msgstr of the en catalog with its msgid."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(sys.argv[1] if len(sys.argv) > 1 else "locales/en/LC_MESSAGES/messages.po")
with path.open("rb") as f:
    catalog = read_po(f, locale="en")
filled = 0
for message in catalog:
    if not message.id:
        continue
    if message.pluralizable:
        if not all(message.string):
            message.string = (message.id[0], message.id[1])
            filled += 1
    elif not message.string:
        message.string = message.id
        filled += 1
    message.flags.discard("fuzzy")
with path.open("wb") as f:
    write_po(f, catalog, width=100, sort_output=True, omit_header=False)
print(f"{path}: {filled} entries filled")
