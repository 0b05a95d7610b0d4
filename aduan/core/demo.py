"""Demo data for `make run`: the four SOP officials, an admin and a few complaints."""

from django.conf import settings
from django.db import transaction

from aduan.accounts.models import RoleGrant, User

DEMO_PASSWORD = "aduan-demo"

# username, first name, last name, SOP role ('' for the admin)
DEMO_USERS = [
    ("staff", "Budi", "Santoso", "staff"),
    ("kasi", "Wati", "Rahayu", "kasi"),
    ("kabid", "Agus", "Prasetyo", "kabid"),
    ("kadis", "Hadi", "Wibowo", "kadis"),
    ("admin", "Admin", "Aduan", ""),
]

POSITIONS = {
    "staff": "Staf Pelayanan Pengaduan",
    "kasi": "Kepala Seksi Pengelolaan Informasi Administrasi Kependudukan",
    "kabid": "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
    "kadis": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    "": "Administrator sistem",
}

SAMPLE_COMPLAINTS = [
    ("ktp-el", "KTP-el belum jadi setelah tiga minggu",
     "Saya merekam KTP-el di kantor Disdukcapil tiga minggu lalu, tetapi sampai sekarang "
     "belum bisa diambil. Mohon informasi kapan KTP-el saya selesai dicetak."),
    ("akta-kelahiran", "Nama ayah salah ketik di akta kelahiran",
     "Pada akta kelahiran anak saya, nama ayah tertulis 'Suyanto' padahal yang benar "
     "'Suryanto'. Bagaimana prosedur pembetulannya?"),
    ("kualitas-layanan", "Antrean layanan terlalu lama",
     "Hari Senin saya mengantre lebih dari tiga jam untuk mengurus KK."),
]


def demo_load() -> list[str]:
    """Create what is missing; never changes what exists. Returns what it created."""
    if not settings.DEMO:
        raise RuntimeError("demo data is only loaded in demo mode (ADUAN_DEMO=1)")
    from aduan.complaints.models import Category, Complaint
    from aduan.complaints.services import complaint_register

    created = []
    with transaction.atomic():
        for username, first, last, role in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first, last_name=last,
                            position=POSITIONS[role], is_staff=True,
                            is_superuser=(username == "admin"))
                user.set_password(DEMO_PASSWORD)
                user.save()
                created.append(f"official {username}")
            if role:
                RoleGrant.objects.get_or_create(user=user, role=role)
        if not Complaint.objects.exists():
            for code, subject, description in SAMPLE_COMPLAINTS:
                complaint_register(
                    category=Category.objects.get(code=code), subject=subject,
                    description=description, name="Sari Wulandari", phone="+6281234567890",
                )
                created.append(f"complaint {subject!r}")
    return created
