"""The default complaint categories: the office's civil-registration services.

An admin edits the list afterwards; this runs once, on a new database.
"""

from django.db import migrations

DEFAULT_CATEGORIES = [
    ("ktp-el", "KTP-el", "Electronic ID card (KTP-el)"),
    ("kk", "Kartu Keluarga (KK)", "Family card (KK)"),
    ("kia", "Kartu Identitas Anak (KIA)", "Child ID card (KIA)"),
    ("akta-kelahiran", "Akta kelahiran", "Birth certificate"),
    ("akta-kematian", "Akta kematian", "Death certificate"),
    ("akta-perkawinan-perceraian", "Akta perkawinan / perceraian",
     "Marriage / divorce certificate"),
    ("pindah-datang", "Pindah datang", "Moving in / out"),
    ("ikd", "Identitas Kependudukan Digital (IKD)", "Digital ID (IKD)"),
    ("legalisir", "Legalisir dokumen", "Document legalisation"),
    ("kualitas-layanan", "Kualitas layanan", "Service quality"),
    ("lainnya", "Lainnya", "Other"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for position, (code, name, name_en) in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
