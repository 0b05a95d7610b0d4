from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "aduan.notices"
    verbose_name = "Pemberitahuan / Notices"
