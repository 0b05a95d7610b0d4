"""The citizen's personal data: the privacy notice (/privasi/) and "Minta data saya", the
copy of everything held about them for a complaint, from its tracking page."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from aduan.lib.ratelimit import rate_allowed, too_many
from aduan.papers.models import Letterhead
from aduan.public.data_export import personal_data_export_for_citizen, retention_label
from aduan.public.views import tracked


@require_GET
def privacy(request):
    """What is collected, why, who sees it, how long it is kept, and the citizen's rights."""
    return render(
        request,
        "public/privacy.html",
        {
            "letterhead": Letterhead.current(),
            "kept_for": retention_label(),
            "retention_days": settings.RETENTION_DAYS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_data(request, code):
    """GET: what the copy holds and a button; POST: the copy, as a JSON download (audited as
    personal_data.exported). Only for the browser that opened the complaint with its secret."""
    complaint, response = tracked(request, code, "public:my_data")
    if response is not None:
        return response
    if request.method == "GET":
        return render(request, "public/my_data.html", {"complaint": complaint})
    if not rate_allowed(request, scope="post", rate=settings.POST_RATE):
        return too_many(request, settings.POST_RATE)
    export = personal_data_export_for_citizen(complaint=complaint)
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="data-saya-{complaint.tracking_code}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
