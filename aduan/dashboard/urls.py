from django.urls import path

from aduan.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("rekap/", views.recap_page, name="recap"),
]
