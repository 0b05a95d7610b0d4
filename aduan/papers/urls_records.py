from django.urls import path

from aduan.papers import record_views

app_name = "records"
urlpatterns = [
    path("", record_views.bundle_list, name="bundles"),
    path("<int:pk>.zip", record_views.bundle_download, name="bundle_download"),
    path("pengaduan/<int:pk>.pdf", record_views.complaint_pdf, name="complaint_pdf"),
]
