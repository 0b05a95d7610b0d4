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


def holds_sop_role(*, user: User) -> bool:
    """Handles complaints under the SOP: Staff, Kasi, Kabid or Kadis (not only an auditor)."""
    return bool(official_roles(user=user) & SOP_ROLES)


def can_view_personal_data(*, user: User, complaint) -> bool:
    """May reveal the complainant's name, NIK, phone and e-mail (each reveal is audited).

    A confidential complaint's identity is for the officials who handle complaints under
    the SOP only; otherwise any official may reveal it.
    """
    if complaint.is_confidential:
        return holds_sop_role(user=user)
    return is_official(user=user)


def can_open_attachment(*, user: User, attachment) -> bool:
    """Attachments may show the complainant (a KTP-el scan): the same rule as personal data."""
    return can_view_personal_data(user=user, complaint=attachment.complaint)
