"""/api/v1/: ninja's routes, each answering a wrong method with the API's error shape, and
every other address under /api/v1/ a 404 in that shape."""

from functools import wraps

from django.urls import URLPattern, path, re_path
from django.views.generic import RedirectView

from aduan.api.api import api
from aduan.api.errors import method_not_allowed, not_found


def _shaped_405(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return method_not_allowed(response)
        return response

    return wrapper


patterns, _app, namespace = api.urls
for pattern in patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = _shaped_405(pattern.callback)

app_name = namespace  # "api": reverse("api:complaint_status", ...)
urlpatterns = [
    *[p for p in patterns if p.name != "api-root"],
    # /api/v1/ itself: the browsable docs (ninja's own root answers an HTML 404).
    path("", RedirectView.as_view(pattern_name="api:openapi-view"), name="api-root"),
    re_path(r"^.*$", not_found, name="not_found"),
]
