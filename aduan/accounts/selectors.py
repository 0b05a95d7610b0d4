"""Who may do what: the one place that answers it for an official."""

from aduan.accounts.models import User


def official_roles(*, user: User) -> frozenset[str]:
    """The SOP roles the user holds; none for an anonymous or inactive user."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_aduan_roles", None)
    if cached is None:
        cached = frozenset(user.role_grants.values_list("role", flat=True))
        user._aduan_roles = cached
    return cached


SOP_ROLES = frozenset({"staff", "kasi", "kabid", "kadis"})
AUDITOR = "auditor"


def is_official(*, user: User) -> bool:
    """May see the officials' desk and complaints: holds any role, or is an admin."""
    return bool(official_roles(user=user)) or bool(
        user and user.is_authenticated and user.is_active and user.is_superuser
    )


def can_read_audit_log(*, user: User) -> bool:
    return AUDITOR in official_roles(user=user) or bool(
        user and user.is_authenticated and user.is_active and user.is_superuser
    )


def can_register_complaints(*, user: User) -> bool:
    """Officials who take complaints arriving by walk-in, phone, letter, email or WhatsApp."""
    return bool(official_roles(user=user) & SOP_ROLES)
