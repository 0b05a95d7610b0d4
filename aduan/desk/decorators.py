"""The desk's door: who may open a page is asked of aduan.accounts.selectors, here only."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from aduan.accounts.selectors import can_read_audit_log, can_register_complaints, is_official

NOT_AN_OFFICIAL = _(
    "Akun Anda belum memiliki peran pada meja petugas. Minta administrator memberikan peran "
    "(Staf, Kepala Seksi, Kepala Bidang, Kepala Dinas atau auditor) kepada akun Anda."
)
NOT_AN_AUDITOR = _("Jejak audit hanya dapat dibuka oleh auditor.")
NOT_A_HANDLER = _(
    "Pencatatan pengaduan hanya dapat dilakukan oleh petugas yang memegang peran pada SOP "
    "(Staf, Kepala Seksi, Kepala Bidang atau Kepala Dinas)."
)


def forbidden(request, reason) -> object:
    """The 403 page: a plain sentence saying why, and what to do."""
    return render(request, "desk/forbidden.html", {"reason": reason}, status=403)


def desk_view(check: Callable = is_official, reason=NOT_AN_OFFICIAL):
    """Anonymous → the login page; logged in but `check(user=...)` false → 403 with `reason`.

    Desk pages carry personal data: none of them is cached.
    """

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_official(user=request.user):
                return forbidden(request, NOT_AN_OFFICIAL)
            if not check(user=request.user):
                return forbidden(request, reason)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


official_required = desk_view()
auditor_required = desk_view(can_read_audit_log, NOT_AN_AUDITOR)
registrar_required = desk_view(can_register_complaints, NOT_A_HANDLER)
