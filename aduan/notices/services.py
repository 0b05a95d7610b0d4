"""Writing notices: the sweep makes them (aduan.sla.sweep); officials mark them read."""

from django.utils import timezone

from aduan.notices.models import Notice


def notices_mark_read(*, user, notice_id: int | None = None) -> int:
    """Mark the official's unread notices read (or only `notice_id`); returns how many."""
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_id is not None:
        unread = unread.filter(pk=notice_id)
    return unread.update(read_at=timezone.now())
