from django.apps import AppConfig


class InsertSiteConfig(AppConfig):
    name = "bench.insertsite"
    label = "insertsite"
    default_auto_field = "django.db.models.BigAutoField"
