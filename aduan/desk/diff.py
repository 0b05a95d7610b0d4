"""The differences between two versions of a draft, as escaped HTML with <ins> and <del>."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    """Words and the whitespace between them, so that line breaks survive the diff."""
    return _TOKEN.findall(text)


def text_diff_html(old: str, new: str) -> SafeString:
    """`new` with what was inserted in <ins> and what was deleted from `old` in <del>.

    Every piece of text is HTML-escaped before it is wrapped; the result is safe to show.
    The first version (old == "") is all insertion.
    """
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(b[b1:b2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
