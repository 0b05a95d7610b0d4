"""Who may do what: the one place that answers it for an official."""

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from aduan.accounts.models import ACTING_PREFIX, RoleGrant, User

if TYPE_CHECKING:
    from aduan.sop.definition import SopDefinition

# When one person holds a role twice on a day, the grant that counts: their own post first.
_PRECEDENCE = {RoleGrant.Kind.DEFINITIVE: 0, RoleGrant.Kind.PLT: 1, RoleGrant.Kind.PLH: 2}


def office_today() -> dt.date:
    """Today's date at the office (settings.TIME_ZONE), whatever time zone is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def _grants_on(user: User, on: dt.date) -> dict[str, str]:
    """Role -> kind of the user's grants in force on `on` (one query)."""
    kinds: dict[str, str] = {}
    for role, kind in user.role_grants.filter(RoleGrant.in_force_q(on)).values_list("role", "kind"):
        if role not in kinds or _PRECEDENCE[kind] < _PRECEDENCE[kinds[role]]:
            kinds[role] = kind
    return kinds


def _grants_today(user: User) -> dict[str, str]:
    """Role -> kind in force today; cached on the user object for the day it was read."""
    if not user or not user.is_authenticated or not user.is_active:
        return {}
    today = office_today()
    cached = getattr(user, "_aduan_roles", None)
    if cached is None or cached[0] != today:
        cached = (today, _grants_on(user, today))
        user._aduan_roles = cached
    return cached[1]


def official_roles(*, user: User) -> frozenset[str]:
    """The roles the user holds today, definitively or acting (Plt./Plh.) within the
    appointment's dates; none for an anonymous or inactive user."""
    return frozenset(_grants_today(user))


def acting_kind(*, user: User, role: str, on: dt.date | None = None) -> str:
    """How the user holds `role` on `on` (default today): "plt" or "plh" when acting; ""
    when they hold it definitively (their own post wins over an appointment) or not at all.

    For today this is the same answer as official_roles (an inactive user holds nothing);
    for another date it reads the appointments of that day.
    """
    if on is None or on == office_today():
        kinds = _grants_today(user)
    else:
        kinds = _grants_on(user, on) if user and user.pk else {}
    kind = kinds.get(role, "")
    return "" if kind == RoleGrant.Kind.DEFINITIVE else kind


def acting_title(*, kind: str, role_name: str) -> str:
    """A role's name as an official signs it: "Plt. Kepala Dinas", or the name alone."""
    prefix = ACTING_PREFIX.get(kind)
    return f"{prefix} {role_name}" if prefix else role_name


def official_signature(
    *, user: User, role: str, definition: "SopDefinition", on: dt.date | None = None
) -> str:
    """The title `user` signs under for `role` on `on` (default today), for printed
    documents: "Plt. Kepala Dinas", "Plh. Kepala Bidang" or "Kepala Dinas". Role names
    come from the SOP `definition` the document belongs to."""
    return acting_title(
        kind=acting_kind(user=user, role=role, on=on), role_name=definition.role(role).name
    )


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


def can_see_official_performance(*, user: User) -> bool:
    """May see the compliance report per official: the verifiers and the head of office
    (Kasi, Kabid, Kadis, definitive or acting), auditors and admins; not Staff."""
    return bool(official_roles(user=user) & {"kasi", "kabid", "kadis", AUDITOR}) or bool(
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
    """Attachments may show the complainant (a KTP-el scan): the same rule as personal data.
    A file held for the virus scan or found infected is opened by nobody."""
    if attachment.scan_state not in ("none", "clean"):
        return False
    return can_view_personal_data(user=user, complaint=attachment.complaint)


def officials_holding(*, roles, on: dt.date | None = None) -> dict[str, set[int]]:
    """The active officials holding each of `roles` on `on` (default today at the office),
    definitively or acting (Plt./Plh.) within the appointment's dates: role -> user ids.
    One query, for all the roles at once (the SLA sweep asks it once per pass)."""
    on = on or office_today()
    holders: dict[str, set[int]] = {role: set() for role in roles}
    for role, user_id in RoleGrant.objects.filter(
        RoleGrant.in_force_q(on), role__in=list(holders), user__is_active=True
    ).values_list("role", "user_id"):
        holders[role].add(user_id)
    return holders


def can_download_record_bundle(*, user: User, bundle) -> bool:
    """A ZIP of complete records (papers.RecordBundle) is for the official who asked for
    it, and for auditors and admins."""
    if not is_official(user=user):
        return False
    return bundle.requested_by_id == user.pk or can_read_audit_log(user=user)


# The dashboard (aduan.dashboard): who sees it, and how much of the office.
DASHBOARD_OFFICE, DASHBOARD_UNIT, DASHBOARD_OWN = "office", "unit", "own"


def may_see_dashboard(*, user: User) -> bool:
    """The dashboard is for the officials who handle complaints (Staff, Kasi, Kabid,
    Kadis, definitive or acting), auditors and admins."""
    return bool(official_roles(user=user) & (SOP_ROLES | {AUDITOR})) or bool(
        user and user.is_authenticated and user.is_active and user.is_superuser
    )


def dashboard_unit(*, user: User):
    """The unit (seksi) of the user's Kasi grant in force today, or None (one query)."""
    if "kasi" not in official_roles(user=user):
        return None
    from aduan.accounts.models import Unit

    grants = RoleGrant.objects.filter(
        RoleGrant.in_force_q(office_today()), user=user, role="kasi", unit__isnull=False
    ).values_list("unit_id", "kind")
    best = min(grants, key=lambda grant: _PRECEDENCE[grant[1]], default=None)
    return Unit.objects.filter(pk=best[0]).first() if best else None


def dashboard_scope(*, user: User) -> tuple[str, str]:
    """How much of the office the user's dashboard shows, and what the page calls it:

    - "office" (Seluruh kantor): Kadis and Kabid (definitive or acting), auditors, admins;
    - "unit" (the seksi's name): a Kasi whose grant names a unit: its categories'
      complaints (dashboard_unit says which);
    - "own" (Pekerjaan Anda): Staff, and a Kasi whose grant names no unit: their own work.
    """
    from django.utils.translation import gettext as _

    roles = official_roles(user=user)
    if roles & {"kadis", "kabid", AUDITOR} or (
        user and user.is_authenticated and user.is_active and user.is_superuser
    ):
        return DASHBOARD_OFFICE, _("Seluruh kantor")
    unit = dashboard_unit(user=user)
    if unit is not None:
        return DASHBOARD_UNIT, unit.name
    return DASHBOARD_OWN, _("Pekerjaan Anda")


def may_print_recap(*, user: User) -> bool:
    """The monthly recap lists open complaints office-wide: for those whose dashboard
    shows the whole office (Kadis, Kabid, auditors, admins)."""
    return may_see_dashboard(user=user) and dashboard_scope(user=user)[0] == DASHBOARD_OFFICE


def must_use_second_factor(*, user: User) -> bool:
    """Administrators sign in with an authenticator code as well as the password:
    superusers, and staff accounts holding any permission in the Django admin (a staff flag
    with no permission opens nothing there). For other officials it is their choice."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(user.is_staff and user.get_all_permissions())
