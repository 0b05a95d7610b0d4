from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aduan.accounts"
    verbose_name = "Pejabat / Officials"
