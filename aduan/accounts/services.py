"""Appointing officials to roles: every appointment, change and removal is audited.

The admin calls these (accounts.admin); the audit event is written in the same
transaction as the change it records.
"""

from django.db import transaction

from aduan.accounts.models import RoleGrant
from aduan.audit.services import audit_record

# What an event records of a grant, and compares to say what a change changed.
GRANT_FIELDS = ("role", "kind", "unit_id", "starts_on", "ends_on", "note")


def _grant_data(grant: RoleGrant) -> dict:
    return {
        "user": grant.user_id,
        "user_label": str(grant.user),
        **{name: getattr(grant, name) for name in GRANT_FIELDS},
    }


def role_grant_save(*, grant: RoleGrant, actor) -> RoleGrant:
    """Save a new or changed grant and record "role_grant.created" or "role_grant.changed"
    (with each changed field's old and new value). Saving with no change records nothing."""
    with transaction.atomic():
        before = None
        if grant.pk is not None:
            before = RoleGrant.objects.select_for_update().filter(pk=grant.pk).first()
        grant.save()
        data = _grant_data(grant)
        if before is None:
            action = "role_grant.created"
        else:
            changed = {
                name: [getattr(before, name), getattr(grant, name)]
                for name in GRANT_FIELDS
                if getattr(before, name) != getattr(grant, name)
            }
            if not changed:
                return grant
            action, data["changed"] = "role_grant.changed", changed
        audit_record(action=action, actor=actor, target=grant, data=data)
    return grant


def role_grant_delete(*, grant: RoleGrant, actor) -> None:
    """Remove a grant and record "role_grant.deleted" with what it was."""
    with transaction.atomic():
        audit_record(
            action="role_grant.deleted", actor=actor, target=grant, data=_grant_data(grant)
        )
        grant.delete()
