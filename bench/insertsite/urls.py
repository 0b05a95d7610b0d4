from django.urls import include, path

from bench.insertsite.views import insert_one

urlpatterns = [
    path("bench/insert/", insert_one, name="bench_insert"),
    path("", include("aduan.urls")),
]
