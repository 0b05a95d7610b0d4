from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Messages to citizens and officials by email, WhatsApp and SMS, through an outbox."""

    name = "aduan.notify"
    verbose_name = "Pesan keluar"
