from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API at /api/v1/, described by OpenAPI (django-ninja)."""

    name = "aduan.api"
    verbose_name = "API"
