from django.urls import path

from aduan.public import data_views, feedback_views, views

app_name = "public"
urlpatterns = [
    # The citizen's pages: complaint form, check answers, confirmation, tracking.
    path("lapor/", views.complaint_form, name="form"),
    path("lapor/periksa/", views.complaint_check, name="check"),
    path("lapor/terkirim/", views.complaint_done, name="done"),
    path("lacak/", views.track_form, name="track_form"),
    path("privasi/", data_views.privacy, name="privacy"),
    path("lacak/<str:code>/", views.track_detail, name="track"),
    # Before track_link, whose <secret> would take "surat" and the others otherwise.
    path("lacak/<str:code>/surat/", views.track_letter, name="track_letter"),
    path("lacak/<str:code>/nilai/", feedback_views.track_rate, name="track_rate"),
    path("lacak/<str:code>/buka-kembali/", feedback_views.track_reopen, name="track_reopen"),
    path("lacak/<str:code>/data-saya/", data_views.my_data, name="my_data"),
    path("lacak/<str:code>/<str:secret>/", views.track_link, name="track_link"),
]
