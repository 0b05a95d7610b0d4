"""The official's API tokens on the desk (included by aduan.desk.urls under /meja/token/)."""

from django.urls import path

from aduan.api import views

urlpatterns = [
    path("", views.tokens, name="api_tokens"),
    path("<int:pk>/cabut/", views.token_revoke_view, name="api_token_revoke"),
]
