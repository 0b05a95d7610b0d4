"""The world the security tests attack: two citizens' complaints and every kind of visitor.

Citizen Ratna (A) filed a complaint, with a photo and a PDF, that has been answered (so it
has an answer letter); citizen Bambang (B) filed one still waiting at the first step.
Citizens have no accounts: each holds their tracking code and secret, and their browser
opened the complaint with them (the session remembers it). The officials are the named
personas: staff Budi, kasi Wati, kabid Agus, kadis Hadi, auditor Dewi, an administrator,
and Joko, a Staff official whose account was disabled.
"""

import hashlib
import io
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.files import File
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.api.tokens import token_create
from aduan.complaints.models import Complaint
from aduan.complaints.services import NewAttachment, complaint_register
from aduan.papers.models import RecordBundle
from aduan.papers.tests.letter_helpers import carry_to_answer, name_officials
from conftest import make_official

# What must never reach anyone but A and the officials: A's words and identity.
A_NAME = "Ratna Kusumawardani"
A_NIK = "3576014101900012"
A_PHONE = "+6281234567890"
A_PHONE_LOCAL = "081234567890"
A_EMAIL = "ratna.rahasia@contoh.id"
A_MARKER = "PENANDA-A-7Q2X"  # in A's subject and description
B_NAME = "Bambang Sutrisno"
B_MARKER = "PENANDA-B-4K8M"

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

PERSONAS = (
    "anonymous",
    "citizen_a",
    "citizen_b",
    "staff",
    "kasi",
    "kabid",
    "kadis",
    "auditor",
    "admin",
    "disabled",
)
OFFICIALS = ("staff", "kasi", "kabid", "kadis", "auditor", "admin")
OUTSIDERS = ("anonymous", "citizen_b", "disabled")  # who must see nothing of A's


def attachment(name: str, content: bytes, content_type: str) -> NewAttachment:
    digest = hashlib.sha256(content).hexdigest()
    return NewAttachment(
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        file=File(io.BytesIO(content), name=digest),
    )


@dataclass
class World:
    a: Complaint
    a_secret: str
    b: Complaint
    b_secret: str
    users: dict  # persona -> User (officials and the disabled one)
    tokens: dict  # persona -> API bearer secret
    bundle: RecordBundle
    revocable_token_id: int
    clients: dict = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        """A browser for the persona: logged in (officials), or holding its complaint
        opened with code and secret (citizens)."""
        if persona not in self.clients:
            self.clients[persona] = self.browser(persona)
        return self.clients[persona]

    def browser(self, persona: str) -> Client:
        """A new browser for the persona, as client() but not kept."""
        client = Client()
        if persona == "citizen_a":
            client.get(reverse("public:track_link", args=[self.a.tracking_code, self.a_secret]))
        elif persona == "citizen_b":
            client.get(reverse("public:track_link", args=[self.b.tracking_code, self.b_secret]))
        elif persona in self.users:
            client.force_login(self.users[persona])
        return client


def build_world() -> World:
    from aduan.complaints.models import Category
    from aduan.sop.services import sop_load

    sop_load()
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    users = {
        "staff": make_official("budi", "Budi", "staff"),
        "kasi": make_official("wati", "Wati", "kasi"),
        "kabid": make_official("agus", "Agus", "kabid"),
        "kadis": make_official("hadi", "Hadi", "kadis"),
        "auditor": make_official("dewi", "Dewi", "auditor"),
        "disabled": make_official("joko", "Joko", "staff"),
    }
    from django.contrib.auth import get_user_model

    users["admin"] = get_user_model().objects.create_superuser(
        "admin", "admin@contoh.id", "correct horse battery"
    )
    tokens = {p: token_create(user=u, name="tes", actor=u).secret for p, u in users.items()}
    revocable = token_create(user=users["staff"], name="dicabut", actor=users["staff"]).token
    users["disabled"].is_active = False
    users["disabled"].save(update_fields=["is_active"])

    a = complaint_register(
        category=category,
        subject=f"KTP-el belum jadi {A_MARKER}",
        description=f"Sudah tiga minggu KTP-el saya belum jadi. {A_MARKER}",
        name=A_NAME,
        phone=A_PHONE,
        email=A_EMAIL,
        nik=A_NIK,
        attachments=[
            attachment("ktp ratna.png", PNG, "image/png"),
            attachment("surat ratna.pdf", PDF, "application/pdf"),
        ],
    )
    a_secret = a.tracking_secret
    name_officials(users["staff"], users["kasi"], users["kabid"], users["kadis"])
    carry_to_answer(
        a, staff=users["staff"], kasi=users["kasi"], kabid=users["kabid"], kadis=users["kadis"]
    )
    a.refresh_from_db()
    b = complaint_register(
        category=category,
        subject=f"Akta kelahiran {B_MARKER}",
        description=f"Akta anak saya salah nama. {B_MARKER}",
        name=B_NAME,
        phone="+6285712345678",
        nik="3576010202850003",
        attachments=[attachment("akta bambang.png", PNG, "image/png")],
    )
    bundle = RecordBundle.objects.create(
        requested_by=users["staff"],
        first_day=timezone.localdate(),
        last_day=timezone.localdate(),
        status=RecordBundle.Status.DONE,
        created_at=timezone.now(),
        total=1,
        done=1,
    )
    bundle.file.save("lembar.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    return World(
        a=a,
        a_secret=a_secret,
        b=b,
        b_secret=b.tracking_secret,
        users=users,
        tokens=tokens,
        bundle=bundle,
        revocable_token_id=revocable.pk,
    )


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def a_data_in(content: bytes, *, code: str | None = None, asked: str = "") -> list[str]:
    """Which of A's data the bytes contain (as text, in any common escaping). The address
    `asked` is taken out first: a page may repeat the address the visitor typed (the
    language switch does), which tells them nothing they did not know."""
    text = content.decode("utf-8", "replace")
    if asked:
        for form in {asked, quote(asked), quote(asked, safe="")}:
            text = text.replace(form, "")
    needles = [A_NAME, A_NIK, A_PHONE, A_PHONE_LOCAL, A_EMAIL, A_MARKER, "Kusumawardani"]
    if code:
        needles.append(code)
    return [n for n in needles if n in text or n.replace("@", "&#x40;") in text]
