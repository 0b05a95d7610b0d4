from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "aduan.sla"
    verbose_name = "Kalender kerja"
