from django.urls import path

from aduan.public import views

app_name = "public"
urlpatterns = [
    # The citizen's pages: complaint form, check answers, confirmation, tracking.
    path("lapor/", views.complaint_form, name="form"),
    path("lapor/periksa/", views.complaint_check, name="check"),
    path("lapor/terkirim/", views.complaint_done, name="done"),
    path("lacak/", views.track_form, name="track_form"),
    path("lacak/<str:code>/", views.track_detail, name="track"),
    path("lacak/<str:code>/<str:secret>/", views.track_link, name="track_link"),
]
