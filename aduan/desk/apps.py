from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "aduan.desk"
    verbose_name = "Meja pejabat / Officials' desk"
