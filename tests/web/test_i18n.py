"""Indonesian is the default language: every UI/API string has a compiled translation."""

import gettext
import re
from pathlib import Path

import sigap

LOCALE = Path(sigap.__file__).parent / "locale" / "id" / "LC_MESSAGES"


def po_entries() -> list[tuple[str, str, bool]]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if not ids or not strs:
            continue
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', ids.group(1)))
        msgstr = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', strs.group(1)))
        if msgid:
            entries.append((msgid, msgstr, "#, fuzzy" in block))
    return entries


def test_every_message_is_translated_and_not_fuzzy():
    entries = po_entries()
    assert len(entries) > 100
    untranslated = [m for m, s, _f in entries if not s]
    fuzzy = [m for m, _s, f in entries if f]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for msgid, msgstr, _fuzzy in po_entries():
        key = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if "%" in key and "(n)s" in key:
            continue
        if catalog.gettext(key) == key and msgstr != msgid:
            stale.append(msgid)
    assert stale == [], "run `make messages` to recompile the catalog"
