"""Fill translation catalogs: vi from a JSON table of new texts, en with the source text.

Usage: python tools/po_fill.py [vi-additions.json]
Run after `make messages`; untranslated Vietnamese messages are listed (the i18n test fails
until they are filled).
"""

import json
import sys

from babel.messages.pofile import read_po, write_po


def fill(path: str, table: dict[str, str], identity: bool) -> list[str]:
    with open(path, "rb") as f:
        catalog = read_po(f)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if identity:
            message.string = message.id
        elif (message.id[0] if message.pluralizable else message.id) in table:
            # Vietnamese has one plural form: the table's text is it.
            text = table[message.id[0] if message.pluralizable else message.id]
            message.string = (text,) if message.pluralizable else text
        elif not (all(message.string) if message.pluralizable else message.string):
            missing.append(message.id)
        message.flags.discard("fuzzy")
    with open(path, "wb") as f:
        write_po(f, catalog, width=100)
    return missing


if __name__ == "__main__":
    additions = {}
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as f:
            additions = json.load(f)
    print("missing vi:", fill("audit/translations/vi/LC_MESSAGES/messages.po", additions, False))
    fill("audit/translations/en/LC_MESSAGES/messages.po", {}, True)
