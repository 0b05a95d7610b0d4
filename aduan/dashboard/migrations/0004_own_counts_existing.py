"""The officials' own counts of everything that happened before they existed."""

from django.db import migrations


def count(apps, schema_editor):
    from aduan.dashboard.tallies import tallies_rebuild

    tallies_rebuild(apps)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_own_counts")]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
