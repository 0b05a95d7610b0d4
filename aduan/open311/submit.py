"""A service request posted through Open311 becomes a complaint, by the web form's rules.

The Open311 fields are mapped onto aduan.complaints.forms.ComplaintForm (so the limits
and messages are the web form's) and the complaint is registered by
complaint_register, like every other complaint.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.audit.services import audit_record
from aduan.complaints.forms import ComplaintForm
from aduan.complaints.models import Complaint
from aduan.complaints.services import NewAttachment, complaint_register
from aduan.open311.models import Open311Key, Open311Request
from aduan.open311.selectors import service_for_code

SUBJECT_MAX = 200

# The service definition's attributes (GET services/{code}), sent as attribute[<code>].
ATTRIBUTES = (
    {
        "code": "public",
        "datatype": "singlevaluelist",
        "description": gettext_lazy(
            "Boleh ditampilkan: uraian pengaduan dapat dibaca siapa saja melalui Open311. "
            "Nama, kontak dan NIK tidak pernah ditampilkan."
        ),
    },
    {
        "code": "confidential",
        "datatype": "singlevaluelist",
        "description": gettext_lazy(
            "Rahasiakan pengaduan ini: tidak pernah tampil dalam daftar Open311."
        ),
    },
    {
        "code": "nik",
        "datatype": "string",
        "description": gettext_lazy("NIK pelapor (16 angka, opsional)."),
    },
)
YES_NO = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False, "": False}

# Where each of the form's fields comes from in an Open311 request.
SOURCE = {
    "category": "service_code",
    "subject": "description",
    "description": "description",
    "name": "first_name",
    "is_anonymous": "first_name",
    "phone": "phone",
    "email": "email",
    "nik": "attribute[nik]",
    "is_confidential": "attribute[confidential]",
}


@dataclass(frozen=True)
class Refused(Exception):
    """The request cannot be taken: an HTTP status and sentences naming the fields."""

    status: int
    problems: tuple[str, ...]


def subject_of(description: str) -> str:
    """The first line of the description, at most 200 characters."""
    first = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if len(first) <= SUBJECT_MAX:
        return first
    return first[: SUBJECT_MAX - 1].rstrip() + "…"


def _flag(post, name: str) -> bool:
    raw = (post.get(f"attribute[{name}]") or "").strip().lower()
    if raw not in YES_NO:
        raise Refused(
            400,
            (
                _("attribute[%(name)s]: tulis true atau false, bukan “%(value)s”.")
                % {"name": name, "value": raw[:40]},
            ),
        )
    return YES_NO[raw]


def request_checked(post) -> tuple[dict, bool]:
    """The complaint's fields from a posted Open311 request, checked by the web form's
    rules, and whether the description may be public. Raises Refused."""
    code = (post.get("service_code") or "").strip()
    if not code:
        raise Refused(400, (_("service_code: wajib diisi, pilih salah satu layanan."),))
    category = service_for_code(code=code)
    if category is None:
        raise Refused(
            400, (_("service_code: layanan “%(code)s” tidak dikenal.") % {"code": code[:40]},)
        )
    public, confidential = _flag(post, "public"), _flag(post, "confidential")
    description = post.get("description") or ""
    name = " ".join(
        part.strip() for part in (post.get("first_name"), post.get("last_name")) if part
    ).strip()
    form = ComplaintForm(
        data={
            "category": str(category.pk),
            "subject": subject_of(description),
            "description": description,
            "name": name,
            "is_anonymous": "on" if not name else "",
            "phone": post.get("phone") or "",
            "email": post.get("email") or "",
            "nik": post.get("attribute[nik]") or "",
            "is_confidential": "on" if confidential else "",
        }
    )
    if not form.is_valid():
        problems = []
        for field, errors in form.errors.items():
            source = "email/phone" if field == "phone" and not form.data["phone"] else None
            source = source or SOURCE.get(field, field)
            if field == "subject" and "description" in form.errors:
                continue  # the description's own message says it
            problems += [f"{source}: {error}" for error in errors]
        raise Refused(400, tuple(dict.fromkeys(problems)))
    return form.complaint_fields(), public and not confidential


def request_submit(
    *,
    key: Open311Key,
    fields: dict,
    description_public: bool,
    media_url: str = "",
    attachments: Sequence[NewAttachment] = (),
    language: str = "",
) -> Complaint:
    """Register the complaint and note what Open311 adds to it, in one transaction."""
    with transaction.atomic():
        complaint = complaint_register(
            **fields,
            channel=Complaint.Channel.OPEN311,
            attachments=attachments,
            language=language,
        )
        received = Open311Request.objects.create(
            complaint=complaint,
            key=key,
            description_public=description_public,
            media_url=media_url[:2000],
            created_at=timezone.now(),
        )
        audit_record(
            action="open311.request_received",
            target=received,
            complaint_id=complaint.pk,
            data={
                "key": key.prefix,
                "description_public": description_public,
                "media": len(attachments),
            },
        )
    return complaint
