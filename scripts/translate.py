"""Set translations in the shared catalogs from a small YAML file, then compile.

Each entry names an English msgid (and the message context "kiosk" for the kiosk's own
strings) and its translations by catalog directory:

    - msgid: "Change password"
      ja: パスワードを変更
    - msgid: "Back"
      context: kiosk
      ja: もどる
      zh_Hans: 返回
      ko: 뒤로

Run `make i18n` first so the msgids are in the catalogs. Entries whose msgid is not in a
catalog are reported and skipped. Several people may translate at once: run it under
`flock locales/.lock` as the Makefile's `translate` target does.

Usage: python scripts/translate.py FILE.yaml [LOCALES_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LANGS = ("ja", "zh_Hans", "ko")


def apply(entries: list[dict], locales: Path) -> list[str]:
    missing: list[str] = []
    for lang in LANGS:
        path = locales / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        changed = False
        for entry in entries:
            text = entry.get(lang)
            if not text:
                continue
            message = catalog.get(entry["msgid"], context=entry.get("context"))
            if message is None:
                missing.append(f"{lang}: {entry['msgid']!r} ({entry.get('context') or '-'})")
                continue
            if message.string != text or "fuzzy" in message.flags:
                message.string = text
                message.flags.discard("fuzzy")
                changed = True
        if changed:
            with path.open("wb") as f:
                write_po(f, catalog, ignore_obsolete=True, width=76)
            with (path.with_suffix(".mo")).open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
    return missing


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    entries = yaml.safe_load(Path(argv[0]).read_text(encoding="utf-8")) or []
    locales = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "locales"
    missing = apply(entries, locales)
    for line in missing:
        print(f"not in the catalog (run make i18n first): {line}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
