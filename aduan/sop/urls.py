from django.urls import path

from aduan.sop import views

app_name = "sop"
urlpatterns = [
    path("", views.sop_detail, name="detail"),
    path("flow.svg", views.sop_flow_svg, name="flow_svg"),
]
