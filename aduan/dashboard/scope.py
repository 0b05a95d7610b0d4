"""Whose complaints a dashboard counts: the office, a section's categories, or an official's
own work (aduan.accounts.selectors.dashboard_scope decides which), with the category filter.
"""

from dataclasses import dataclass

from django.db.models import Q

from aduan.accounts.selectors import (
    DASHBOARD_OWN,
    DASHBOARD_UNIT,
    SOP_ROLES,
    dashboard_scope,
    dashboard_unit,
    official_roles,
)
from aduan.complaints.models import Category


@dataclass(frozen=True)
class Scope:
    kind: str  # "office", "unit" or "own"
    label: str
    # The categories counted; None for all of them. An empty set counts nothing.
    category_ids: frozenset[int] | None
    user_id: int | None = None  # "own": the official whose work is counted
    roles: frozenset[str] = frozenset()  # "own": the SOP roles whose open steps are theirs

    def categories_q(self, prefix: str = "") -> Q:
        if self.category_ids is None:
            return Q()
        return Q(**{f"{prefix}category_id__in": sorted(self.category_ids)})

    @property
    def is_own(self) -> bool:
        return self.kind == DASHBOARD_OWN

    def counts(self, office_model, own_model):
        """The running counts to read: the office's, or the official's own (theirs only)."""
        if self.is_own:
            return own_model.objects.filter(official_id=self.user_id, **self._categories())
        return office_model.objects.filter(**self._categories())

    def _categories(self) -> dict:
        return {} if self.category_ids is None else {"category_id__in": sorted(self.category_ids)}


def scope_for(*, user, category: str | None) -> tuple[Scope, str | None]:
    """The scope of `user`'s dashboard filtered on the category code `category`, and the
    code as applied (None when no filter; an unknown code counts nothing, no error)."""
    kind, label = dashboard_scope(user=user)
    ids = None
    if kind == DASHBOARD_UNIT:
        unit = dashboard_unit(user=user)
        ids = frozenset(Category.objects.filter(unit=unit).values_list("pk", flat=True))
    if category:
        chosen = frozenset(Category.objects.filter(code=category).values_list("pk", flat=True))
        ids = chosen if ids is None else ids & chosen
    roles = official_roles(user=user) & SOP_ROLES if kind == DASHBOARD_OWN else frozenset()
    return (
        Scope(kind=kind, label=label, category_ids=ids, user_id=user.pk, roles=roles),
        category or None,
    )


def filter_categories(*, user) -> list[tuple[str, str]] | None:
    """The categories the dashboard's filter offers (code, name): a section head's, those
    of their section; everyone else, all of them (None)."""
    kind, _label = dashboard_scope(user=user)
    if kind != DASHBOARD_UNIT:
        return None
    return list(
        Category.objects.filter(unit=dashboard_unit(user=user))
        .order_by("position", "name")
        .values_list("code", "name")
    )
