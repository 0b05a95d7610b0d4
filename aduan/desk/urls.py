from django.contrib.auth import views as auth_views
from django.urls import include, path

from aduan.accounts import views as account_views
from aduan.desk import complaint_views, report_views, views

app_name = "desk"
urlpatterns = [
    # The officials' desk: login, inbox, complaint page, decisions, offline registration.
    path("masuk/", account_views.login, name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The code after the password, enrolment, Keamanan akun (aduan.accounts).
    path("", include("aduan.accounts.urls")),
    path("", views.inbox, name="inbox"),
    path("semua/", views.complaint_list, name="complaints"),
    path("pengaduan/baru/", views.complaint_new, name="complaint_new"),
    path("pengaduan/<int:pk>/", complaint_views.complaint_detail, name="complaint"),
    path("pengaduan/<int:pk>/konsep/", complaint_views.complaint_draft, name="draft"),
    path("pengaduan/<int:pk>/keputusan/", complaint_views.complaint_decide, name="decide"),
    path(
        "pengaduan/<int:pk>/keterangan/",
        complaint_views.complaint_info_request,
        name="info_request",
    ),
    path("pengaduan/<int:pk>/data-pribadi/", complaint_views.complaint_reveal, name="reveal"),
    path("lampiran/<int:pk>/", complaint_views.attachment, name="attachment"),
    path("audit/", views.audit_log, name="audit"),
    path("token/", include("aduan.api.desk_urls")),
    path("laporan/mutu-baku/", report_views.compliance_report_page, name="report_compliance"),
]
