from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ComplaintsConfig(AppConfig):
    name = "aduan.complaints"
    verbose_name = "Pengaduan / Complaints"

    def ready(self):
        from aduan.complaints.intake import counted_view_drop, counted_view_make

        # SQLite's view that counts a filing with its INSERT (aduan.complaints.intake):
        # out of the way of every migration, made anew after it.
        pre_migrate.connect(counted_view_drop, sender=self)
        post_migrate.connect(counted_view_make, sender=self)
