"""The seeded office: its officials and sections, and pools of citizens' personal data.

The officials who already hold an SOP role definitively (the demo's Budi, Wati, Agus and
Hadi, say) take part; sample officials are added until the office has 20 Staff, 3 Kasi (one
per section), a Kabid and a Kadis. Categories without a section are shared among the three
sections, so a Kasi's dashboard counts theirs. Nothing that exists is changed otherwise.
"""

import hashlib
import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from aduan.accounts.models import RoleGrant, Unit, User
from aduan.complaints.models import Category
from aduan.core.seeding.texts import FIRST_NAMES, LAST_NAMES
from aduan.lib.crypto import data_encrypt

OFFICE = {"staff": 20, "kasi": 3, "kabid": 1, "kadis": 1}
SECTIONS = (
    ("seksi-identitas", "Seksi Identitas Penduduk"),
    ("seksi-pindah-datang", "Seksi Pindah Datang dan Pendataan Penduduk"),
    ("seksi-pencatatan-sipil", "Seksi Pencatatan Sipil"),
)
POSITIONS = {
    "staff": "Staf Pelayanan Pengaduan",
    "kasi": "Kepala Seksi",
    "kabid": "Kepala Bidang Pelayanan",
    "kadis": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
}
USERNAME = "sampel.{role}{n:02d}"
POOL = 2000  # distinct encrypted phone numbers, e-mail addresses and NIKs


class SeedRefused(Exception):
    """The database cannot be seeded as it is; the message says why."""


@dataclass
class Office:
    people: dict[str, list[User]]  # role -> officials who decide its steps
    kasi_of: dict[int, User]  # category id -> the Kasi of its section
    categories: list[Category]
    labels: dict[int, str]  # official id -> str(official), as the audit log names them


def office_ready(*, rng: random.Random) -> Office:
    """The officials and sections, created where missing."""
    sections = [
        Unit.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in SECTIONS
    ]
    people: dict[str, list[User]] = {}
    taken: set[int] = set()  # one person decides at one level only
    password = make_password(None)
    if settings.DEMO:  # the sample officials sign in as the demo's do
        from aduan.core.demo import DEMO_PASSWORD

        password = make_password(DEMO_PASSWORD)
    for role, wanted in OFFICE.items():
        holders = [
            u
            for u in User.objects.filter(
                is_active=True, role_grants__role=role, role_grants__kind=RoleGrant.Kind.DEFINITIVE
            )
            .distinct()
            .order_by("pk")
            if u.pk not in taken
        ]
        n = 0
        while len(holders) < wanted:
            n += 1
            username = USERNAME.format(role=role, n=n)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(
                    username=username,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    position=POSITIONS[role],
                    nip="" if role == "staff" else _nip(rng),
                    password=password,
                )
            elif user.pk in taken or any(h.pk == user.pk for h in holders):
                continue
            unit = sections[len(holders) % 3] if role == "kasi" else None
            RoleGrant.objects.get_or_create(
                user=user, role=role, kind=RoleGrant.Kind.DEFINITIVE, defaults={"unit": unit}
            )
            holders.append(user)
        people[role] = holders
        taken |= {u.pk for u in holders}
    categories = list(Category.objects.filter(is_active=True).order_by("position", "pk"))
    if not categories:
        raise SeedRefused("There is no active category: add one in the admin (Kategori).")
    for n, category in enumerate(c for c in categories if c.unit_id is None):
        category.unit = sections[n % 3]
        Category.objects.filter(pk=category.pk, unit__isnull=True).update(unit=category.unit)
    # Each section's Kasi decides its categories; a Kasi whose grant names no unit heads a
    # section that has none (in the office's order), any other category goes round.
    grants = RoleGrant.objects.filter(
        role="kasi", kind=RoleGrant.Kind.DEFINITIVE, user__in=people["kasi"]
    ).order_by("user_id")
    kasi_by_unit = {g.unit_id: g.user for g in grants.select_related("user") if g.unit_id}
    spare = [g.user for g in grants.select_related("user") if not g.unit_id]
    for section in sections:
        if section.pk not in kasi_by_unit and spare:
            kasi_by_unit[section.pk] = spare.pop(0)
    kasi_of = {
        c.pk: kasi_by_unit.get(c.unit_id) or people["kasi"][i % len(people["kasi"])]
        for i, c in enumerate(categories)
    }
    labels = {u.pk: str(u) for users in people.values() for u in users}
    return Office(people=people, kasi_of=kasi_of, categories=categories, labels=labels)


def _nip(rng: random.Random) -> str:
    born = f"{rng.randrange(1965, 1990)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    appointed = f"{rng.randrange(1990, 2015)}{rng.randrange(1, 13):02d}"
    return f"{born}{appointed}{rng.randrange(1, 3)}{rng.randrange(1, 999):03d}"


@dataclass
class PersonalData:
    """Encrypted values to draw from: encrypting each row's own value would cost more
    than everything else the seeder does for it (about 25 µs a value)."""

    phones: list[str]
    emails: list[str]
    niks: list[str]


def personal_data_pool(*, rng: random.Random, size: int = POOL) -> PersonalData:
    phones, emails, niks = [], [], []
    for n in range(size):
        first, last = rng.choice(FIRST_NAMES).lower(), rng.choice(LAST_NAMES).lower()
        phones.append(data_encrypt(f"+628{rng.randrange(11, 99)}{rng.randrange(10**7, 10**8)}"))
        emails.append(data_encrypt(f"{first}.{last}{n}@contoh.id"))
        niks.append(data_encrypt(f"3576{rng.randrange(10**11, 10**12)}"))
    return PersonalData(phones=phones, emails=emails, niks=niks)


def open311_key():
    """The sample Open311 client whose requests the seeded Open311 complaints are (its key
    is random and never shown: nobody can use it)."""
    from aduan.open311.models import Open311Key

    key = Open311Key.objects.filter(Q(name="Aplikasi sampel") & Q(revoked_at__isnull=True)).first()
    if key is None:
        secret = secrets.token_urlsafe(32)
        key = Open311Key.objects.create(
            name="Aplikasi sampel",
            key_hash=hashlib.sha256(secret.encode()).hexdigest(),
            prefix=secret[:8].replace("-", "x"),
            created_at=timezone.now(),
        )
    return key
