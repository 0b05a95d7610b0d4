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
