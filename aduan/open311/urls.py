from django.urls import path

from aduan.open311 import views

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("services.<str:fmt>", views.services, name="services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("requests.<str:fmt>", views.requests_, name="requests"),
    path("requests/<str:code>.<str:fmt>", views.request_detail, name="request"),
]
