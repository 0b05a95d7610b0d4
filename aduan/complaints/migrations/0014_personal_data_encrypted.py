"""NIK, phone and e-mail encrypted at rest (aduan.lib.crypto): the columns become text, the
rows already stored are encrypted with the newest data key, then the fields are the
encrypted kind. Going back decrypts them (the keys must still be configured)."""

from django.db import migrations, models

import aduan.lib.crypto

FIELDS = ("nik", "phone", "email")
BATCH = 500


def _rewrite(apps, change) -> None:
    """Apply `change` to every non-empty value, a batch of rows at a time (by id)."""
    Complaint = apps.get_model("complaints", "Complaint")
    last = 0
    while True:
        rows = list(
            Complaint.objects.filter(pk__gt=last).order_by("pk").only("pk", *FIELDS)[:BATCH]
        )
        if not rows:
            return
        changed = []
        for row in rows:
            new = {f: change(getattr(row, f)) for f in FIELDS if getattr(row, f)}
            new = {f: v for f, v in new.items() if v != getattr(row, f)}
            if new:
                for field, value in new.items():
                    setattr(row, field, value)
                changed.append(row)
        if changed:
            Complaint.objects.bulk_update(changed, FIELDS)
        last = rows[-1].pk


def encrypt_stored(apps, schema_editor):
    from aduan.lib.crypto import data_encrypt, is_encrypted

    # Run twice (a failed deploy), a value already encrypted is left as it is.
    _rewrite(apps, lambda value: value if is_encrypted(value) else data_encrypt(value))


def decrypt_stored(apps, schema_editor):
    from aduan.lib.crypto import data_decrypt, is_encrypted

    _rewrite(apps, lambda value: data_decrypt(value) if is_encrypted(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0013_attachment_scan_state"),
    ]

    operations = [
        migrations.AlterField(
            model_name="complaint",
            name="nik",
            field=models.TextField(blank=True, verbose_name="NIK"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="phone",
            field=models.TextField(blank=True, verbose_name="telepon"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="email",
            field=models.TextField(blank=True, verbose_name="surel"),
        ),
        migrations.RunPython(encrypt_stored, decrypt_stored, elidable=False),
        migrations.AlterField(
            model_name="complaint",
            name="nik",
            field=aduan.lib.crypto.EncryptedTextField(blank=True, verbose_name="NIK"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="phone",
            field=aduan.lib.crypto.EncryptedTextField(blank=True, verbose_name="telepon"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="email",
            field=aduan.lib.crypto.EncryptedTextField(blank=True, verbose_name="surel"),
        ),
    ]
