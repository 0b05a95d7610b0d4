"""PostgreSQL: rate counts are not written to the WAL (an UNLOGGED table).

A count commits without waiting for the disk, so the row of a busy client address (an
Open311 partner's server, many phones behind one carrier address) is not held through a
flush for every hit. After a crash PostgreSQL empties the table: the counts start again,
which a rate limit can afford. SQLite has no such tables; nothing changes there.
"""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE public_ratecounter SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE public_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("public", "0002_rate_counter")]

    operations = [migrations.RunPython(unlogged, logged)]
