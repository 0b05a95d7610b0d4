from django.db import migrations


def letterhead_create(apps, schema_editor):
    # The one letterhead, with its defaults: Letterhead.current() then reads one row.
    apps.get_model("papers", "Letterhead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("papers", "0001_initial")]

    operations = [migrations.RunPython(letterhead_create, migrations.RunPython.noop)]
