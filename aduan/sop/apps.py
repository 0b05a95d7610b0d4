from django.apps import AppConfig


class SopConfig(AppConfig):
    name = "aduan.sop"
    verbose_name = "SOP"
