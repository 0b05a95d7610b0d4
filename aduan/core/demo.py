"""Demo data for `make run`: the four SOP officials, an admin and a dozen complaints
spread over every step of the SOP, so a newcomer sees a living office."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F

from aduan.accounts.models import RoleGrant, Unit, User

DEMO_PASSWORD = "aduan-demo"

# username, first name, last name, role ('' for the admin)
DEMO_USERS = [
    ("staff", "Budi", "Santoso", "staff"),
    ("kasi", "Wati", "Rahayu", "kasi"),
    ("kabid", "Agus", "Prasetyo", "kabid"),
    ("kadis", "Hadi", "Wibowo", "kadis"),
    ("admin", "Admin", "Aduan", ""),
]

# Sample civil-servant numbers, printed under the signatures of demo letters.
DEMO_NIP = {"kadis": "197003121995031002", "kabid": "197508172000121001"}

POSITIONS = {
    "staff": "Staf Pelayanan Pengaduan",
    "kasi": "Kepala Seksi Pengelolaan Informasi Administrasi Kependudukan",
    "kabid": "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
    "kadis": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    "": "Administrator sistem",
}

ANSWER = (
    "Terima kasih atas pengaduan Bapak/Ibu. Setelah kami periksa, {fix} "
    "Apabila masih ada kendala, silakan hubungi loket pengaduan Disdukcapil Kota Mojokerto."
)

# category, subject, description, complainant, phone/email, how far it has gone, hours ago
SAMPLES = [
    (
        "ktp-el",
        "KTP-el belum jadi setelah tiga minggu",
        "Saya merekam KTP-el tiga minggu lalu, tetapi sampai sekarang belum bisa diambil.",
        "Sari Wulandari",
        "+6281234567890",
        "draft",
        1,
    ),
    (
        "akta-kelahiran",
        "Nama ayah salah ketik di akta kelahiran",
        "Pada akta kelahiran anak saya nama ayah tertulis 'Suyanto', yang benar 'Suryanto'.",
        "Dimas Saputra",
        "dimas.saputra@contoh.id",
        "info",
        3,
    ),
    (
        "kualitas-layanan",
        "Antrean layanan terlalu lama",
        "Hari Senin saya mengantre lebih dari tiga jam untuk mengurus KK.",
        "",
        "+6285712345678",
        "draft",
        26,
    ),
    (
        "kk",
        "Anggota keluarga belum tercantum di KK baru",
        "Anak kedua saya belum tercantum di KK yang baru dicetak.",
        "Rina Kusuma",
        "+6281311122233",
        "verify_kasi",
        2,
    ),
    (
        "pindah-datang",
        "Surat pindah dari Sidoarjo belum diproses",
        "Saya sudah menyerahkan SKPWNI dari Sidoarjo dua minggu lalu.",
        "Yusuf Hidayat",
        "+6287855566677",
        "returned_by_kasi",
        5,
    ),
    (
        "ikd",
        "Aktivasi IKD gagal terus",
        "Aplikasi IKD selalu gagal saat verifikasi wajah.",
        "Maya Lestari",
        "maya.lestari@contoh.id",
        "verify_kabid",
        4,
    ),
    (
        "akta-kematian",
        "Akta kematian ayah belum terbit",
        "Berkas akta kematian sudah lengkap sejak sepuluh hari lalu.",
        "Hendra Gunawan",
        "+6281233344455",
        "returned_by_kabid",
        8,
    ),
    (
        "kia",
        "KIA anak belum bisa dicetak",
        "Petugas mengatakan blangko KIA habis.",
        "Fitri Handayani",
        "+6282144455566",
        "approve_kadis",
        6,
    ),
    (
        "legalisir",
        "Legalisir akta perkawinan ditolak",
        "Legalisir fotokopi akta perkawinan saya ditolak tanpa penjelasan.",
        "Agung Nugroho",
        "agung.n@contoh.id",
        "answer",
        7,
    ),
    (
        "ktp-el",
        "Data KTP-el berbeda dengan KK",
        "Tanggal lahir di KTP-el berbeda dengan yang di KK.",
        "Sri Wahyuni",
        "+6281399988877",
        "answered",
        50,
    ),
    (
        "lainnya",
        "Pengurusan sertifikat tanah",
        "Saya ingin menanyakan pengurusan sertifikat tanah warisan.",
        "Bambang Sutrisno",
        "+6281255566644",
        "referred",
        75,
    ),
    (
        "kualitas-layanan",
        "Petugas loket bersikap tidak ramah",
        "Petugas loket 3 membentak ibu saya yang sudah lanjut usia.",
        "",
        "+6285699988811",
        "confidential",
        1,
    ),
]


def _officials() -> dict[str, User]:
    unit, _ = Unit.objects.get_or_create(
        code="pipd", defaults={"name": "Bidang Pengelolaan Informasi Administrasi Kependudukan"}
    )
    officials = {}
    for username, first, last, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                nip=DEMO_NIP.get(role, ""),
                position=POSITIONS[role],
                is_staff=(username == "admin"),
                is_superuser=(username == "admin"),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role:
            RoleGrant.objects.get_or_create(
                user=user, role=role, kind=RoleGrant.Kind.DEFINITIVE, defaults={"unit": unit}
            )
        officials[role or "admin"] = user
    return officials


def _carry(complaint, stage: str, who: dict[str, User]) -> None:
    """Move a demo complaint through the SOP as officials would, with the real services."""
    from aduan.desk.services import desk_decide, draft_save, info_request

    def open_step():
        return complaint.steps.get(decided_at__isnull=True)

    def decide(role, decision="approve", note=""):
        outcome = desk_decide(step_id=open_step().pk, actor=who[role], decision=decision, note=note)
        assert outcome.ok, outcome.message

    def draft(role, fix, kind="answer"):
        outcome = draft_save(
            complaint_id=complaint.pk, actor=who[role], kind=kind, body=ANSWER.format(fix=fix)
        )
        assert outcome.ok, outcome.message

    if stage == "info":
        info_request(
            complaint_id=complaint.pk,
            actor=who["staff"],
            body="Mohon kirimkan foto halaman akta kelahiran yang salah ketik.",
        )
        return
    if stage in ("draft", "confidential"):
        return
    if stage == "referred":
        draft(
            "staff",
            "urusan sertifikat tanah menjadi kewenangan Kantor Pertanahan "
            "(BPN) Kota Mojokerto; silakan mengajukan ke sana.",
            kind="referral",
        )
    else:
        draft("staff", "berkas Bapak/Ibu sudah kami tindak lanjuti dan dapat diambil di loket 2.")
    decide("staff")
    if stage == "verify_kasi":
        return
    if stage == "returned_by_kasi":
        decide("kasi", "return", "Sebutkan nomor registrasi berkas dan jadwal pengambilan.")
        return
    decide("kasi")
    if stage == "verify_kabid":
        return
    if stage == "returned_by_kabid":
        decide("kabid", "return", "Tambahkan dasar hukum: Permendagri 108 Tahun 2019.")
        return
    decide("kabid")
    if stage == "approve_kadis":
        return
    decide("kadis")
    if stage == "answer":
        return
    decide("staff")  # answered / referred: the answer is sent


def _age(complaint, hours: int) -> None:
    """Move a demo complaint's whole history back in time, keeping its order."""
    from aduan.complaints.models import Complaint, ComplaintStep, Draft, Message

    shift = dt.timedelta(hours=hours)
    Complaint.objects.filter(pk=complaint.pk).update(received_at=F("received_at") - shift)
    Complaint.objects.filter(pk=complaint.pk, closed_at__isnull=False).update(
        closed_at=F("closed_at") - shift
    )
    Complaint.objects.filter(pk=complaint.pk, awaiting_reply_since__isnull=False).update(
        awaiting_reply_since=F("awaiting_reply_since") - shift
    )
    steps = ComplaintStep.objects.filter(complaint=complaint)
    steps.update(started_at=F("started_at") - shift)
    steps.filter(decided_at__isnull=False).update(decided_at=F("decided_at") - shift)
    Draft.objects.filter(complaint=complaint).update(created_at=F("created_at") - shift)
    Message.objects.filter(complaint=complaint).update(created_at=F("created_at") - shift)
    _age_letter(complaint, shift)
    # Due times and legal deadlines follow the moved history (working time, not wall time).
    from aduan.sla.calendar import calendar_for_today
    from aduan.sla.deadlines import complaint_deadlines
    from aduan.sla.due import step_due_times

    calendar = calendar_for_today()
    complaint.refresh_from_db()
    definition = complaint.sop_version.definition
    Complaint.objects.filter(pk=complaint.pk).update(
        **complaint_deadlines(
            received_at=complaint.received_at, definition=definition, calendar=calendar
        )
    )
    for step in steps:
        minutes = definition.step(step.step).minutes
        ComplaintStep.objects.filter(pk=step.pk).update(
            **step_due_times(started_at=step.started_at, minutes=minutes, calendar=calendar)
        )


def _age_letter(complaint, shift: dt.timedelta) -> None:
    """The answer letter is dated with the answer it was issued with (it is rendered after
    the demo's transaction commits, so the PDF prints the moved date)."""
    from django.utils import timezone

    from aduan.papers.letters import content_hash
    from aduan.papers.models import AnswerLetter

    letter = AnswerLetter.objects.filter(complaint=complaint).first()
    if letter is None:
        return
    issued_at = letter.issued_at - shift
    dated = timezone.localdate(issued_at, timezone=timezone.get_default_timezone())
    AnswerLetter.objects.filter(pk=letter.pk).update(
        issued_at=issued_at,
        dated=dated,
        content_sha256=content_hash(
            number=letter.number, dated=dated, subject=letter.subject, body=letter.body
        ),
    )


def _letterhead() -> None:
    """A sample address on the demo's letters, saying where the real one is set."""
    from aduan.papers.models import Letterhead

    Letterhead.objects.filter(pk=Letterhead.current().pk, address="").update(
        address="Jl. Contoh No. 1, Kota Mojokerto (alamat contoh: ubah di Admin → Kop surat)",
        contact="Telepon (0321) 000000 · Surel disdukcapil@contoh.go.id",
    )


def demo_load() -> list[str]:
    """Create what is missing; never changes what exists. Returns what it created."""
    if not settings.DEMO:
        raise RuntimeError("demo data is only loaded in demo mode (ADUAN_DEMO=1)")
    from aduan.complaints.models import Category, Complaint
    from aduan.complaints.services import complaint_register

    created = []
    with transaction.atomic():
        before = User.objects.count()
        who = _officials()
        if User.objects.count() > before:
            created.append(f"{User.objects.count() - before} officials")
        _letterhead()
        if not Complaint.objects.exists():
            for code, subject, description, name, contact, stage, hours in SAMPLES:
                complaint = complaint_register(
                    category=Category.objects.get(code=code),
                    subject=subject,
                    description=description,
                    name=name,
                    is_anonymous=not name,
                    phone=contact if contact.startswith("+") else "",
                    email="" if contact.startswith("+") else contact,
                    is_confidential=(stage == "confidential"),
                )
                _carry(complaint, stage, who)
                _age(complaint, hours)
            created.append(f"{len(SAMPLES)} sample complaints")
    return created
