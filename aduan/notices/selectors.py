"""What the desk reads of an official's notices."""

from django.db.models import F, QuerySet

from aduan.notices.models import Notice


def notice_unread_count(*, user) -> int:
    """The number on the bell: one query (an index on the unread notices of a recipient)."""
    if not user or not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notices_for(*, user) -> QuerySet[Notice]:
    """The official's notices, unread first, newest first; paginate it."""
    return (
        Notice.objects.filter(recipient=user)
        .select_related("complaint")
        .only(
            "kind",
            "text",
            "created_at",
            "read_at",
            "complaint__agenda_year",
            "complaint__agenda_seq",
            "complaint__subject",
        )
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )
