from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aduan.core"
    verbose_name = "Aduan"
