"""The citizen's link from a message (aduan.notify.links)."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aduan.notify.links import tracking_code_from_link
from aduan.public.views import _remember


@never_cache
@require_GET
def track_token(request, token: str):
    code = tracking_code_from_link(token)
    if code is None:
        return render(request, "notify/link_expired.html", status=410)
    _remember(request, code)
    return redirect("public:track", code=code)
