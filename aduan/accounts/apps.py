from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aduan.accounts"
    verbose_name = "Pejabat / Officials"

    def ready(self):
        from aduan.accounts import signals  # noqa: F401  (connects the receivers)
