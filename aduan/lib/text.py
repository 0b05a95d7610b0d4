"""Text typed by people, made safe to store: no NUL or other control characters."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Strip the ends and drop control characters (PostgreSQL refuses NUL in text)."""
    return _CONTROL.sub("", value or "").strip()
