"""The letterhead as documents print it."""

from aduan.papers.models import Letterhead
from aduan.papers.pdf import logo_data_uri

SNAPSHOT_FIELDS = ("government", "office", "address", "contact", "city")


def letterhead_snapshot(letterhead: Letterhead | None = None) -> dict:
    """The letterhead's printed fields as a dict (kept with each issued letter)."""
    letterhead = letterhead or Letterhead.current()
    return {name: getattr(letterhead, name) for name in SNAPSHOT_FIELDS}


def letterhead_context(snapshot: dict | None = None) -> dict:
    """What templates/papers/_letterhead.html needs: the printed fields (today's, or a
    letter's `snapshot`) and the logo as a data: URL."""
    letterhead = Letterhead.current()
    fields = dict(snapshot) if snapshot else letterhead_snapshot(letterhead)
    fields["logo_src"] = logo_data_uri(letterhead)
    return fields
