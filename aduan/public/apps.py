from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "aduan.public"
    verbose_name = "Halaman warga / Citizen pages"
