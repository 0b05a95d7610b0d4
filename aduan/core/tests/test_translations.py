"""The interface is Bahasa Indonesia with a complete English translation."""

import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path) -> dict[str, str]:
    def unquote(chunk: str) -> str:
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', chunk)
        return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()

    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if re.search(r"^#, .*fuzzy", block, re.M):
            entries[f"<fuzzy in {block[:60]!r}>"] = ""
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if match and unquote(match.group(1)):
            entries[unquote(match.group(1))] = unquote(match.group(2))
    return entries


def test_every_interface_text_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in po_entries(PO).items() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(PO.with_suffix(".mo"), "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = {
        msgid: msgstr
        for msgid, msgstr in po_entries(PO).items()
        if catalogue.gettext(msgid) != msgstr
    }
    assert stale == {}, "run `make messages` to recompile locale/en/LC_MESSAGES/django.mo"
