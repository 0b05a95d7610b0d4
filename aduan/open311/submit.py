"""A service request posted through Open311 becomes a complaint, by the web form's rules.

The Open311 fields are mapped onto aduan.complaints.forms.ComplaintForm (so the limits
and messages are the web form's) and the complaint is registered by
complaint_register, like every other complaint.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.audit.services import audit_record
from aduan.complaints.forms import ComplaintForm
from aduan.complaints.intake import Still, Taken, intake_store
from aduan.complaints.models import Category, Complaint
from aduan.complaints.services import NewAttachment, complaint_register
from aduan.lib.codes import new_tracking_code
from aduan.lib.ratelimit import Hit
from aduan.open311.keys import LAST_USED_EVERY, key_digest
from aduan.open311.models import Open311Key, Open311Request
from aduan.open311.selectors import SLUG
from aduan.sop.models import SopVersion

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


class KnownChoice(forms.Field):
    """The service's category, found already with the API key (post_looked_up): the
    form is given the Category itself and need not look it up again."""

    def clean(self, value):
        if not isinstance(value, Category):
            raise forms.ValidationError(_("Pilih jenis layanan dari daftar."))
        return value


class _Shared(dict):
    """A form class's fields, given to each form as they are rather than deep-copied
    (Django copies every field for every form: a tenth of a filing's time)."""

    def __deepcopy__(self, memo):
        return dict(self)


class RequestCheck(ComplaintForm):
    """The web form's fields and rules, for an Open311 request. Its forms are only ever
    cleaned, never rendered or changed, so they share one set of fields."""

    category = KnownChoice()

    def _clean_fields(self):
        """Django's own, less a BoundField made for every field (a form that is never
        rendered needs none; a fifth of the check): each field's value from its widget,
        cleaned, then the form's clean_<name>, errors to add_error, as Django does."""
        for name, field in self.fields.items():
            try:
                value = field.widget.value_from_datadict(self.data, self.files, name)
                self.cleaned_data[name] = field.clean(value)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)


RequestCheck.base_fields = _Shared(RequestCheck.base_fields)


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


@dataclass(frozen=True)
class Looked:
    """What a POST needs from the database before it stores anything, in one statement:
    the API key, the service's category, whether an SOP is loaded, and whether the
    tracking code drawn for it is free. Or, `remembered`, the key and the service as
    this process found them a moment ago: the statement that stores the filing checks
    they still hold (`still`)."""

    key: Open311Key | None
    key_stale: bool  # its last use noted over a minute ago
    category: Category | None
    sop_loaded: bool
    tracking_code: str
    code_taken: bool
    remembered: bool = False

    @cached_property  # a remembered Looked serves many requests: written once
    def still(self) -> Still:
        """The key (not revoked) and the service (active), as an SQL condition."""
        q = connection.ops.quote_name
        keys, categories = q(Open311Key._meta.db_table), q(Category._meta.db_table)
        return Still(
            f"EXISTS (SELECT 1 FROM {keys} WHERE id = %s AND key_hash = %s "
            f"AND revoked_at IS NULL) AND EXISTS (SELECT 1 FROM {categories} "
            f"WHERE id = %s AND code = %s AND is_active)",
            [self.key.pk, self.key.key_hash, self.category.pk, self.category.code],
        )


# A key and a service found by a POST's lookup, remembered by this process for a minute:
# the POSTs after it skip the lookup (a statement: at 16 clients on PostgreSQL, filings
# went from 999 to 1,173 a second) and the statement that stores each checks the key
# and the service still hold. After a minute the lookup runs again, and notes the key's
# use. Only found keys are remembered, so a flood of wrong keys cannot fill the memory.
REMEMBERED_FOR = LAST_USED_EVERY.total_seconds()
REMEMBERED_AT_MOST = 256
_remembered: dict[tuple[str, str], tuple[float, Looked]] = {}


def post_remembered(*, secret: str, service_code: str) -> Looked | None:
    """The key and service this process found for these a moment ago (no tracking code:
    intake_store draws one, checked free by the statement that stores the filing); None
    if not remembered."""
    memo = _memo(secret, service_code)
    found = _remembered.get(memo)
    if found is None:
        return None
    until, looked = found
    if time.monotonic() >= until:
        _remembered.pop(memo, None)
        return None
    return looked


def post_remember(*, secret: str, service_code: str, looked: Looked) -> None:
    """Remember a lookup that found the key, the service and an SOP loaded."""
    if looked.remembered or looked.key is None or looked.category is None:
        return
    if not looked.sop_loaded:
        return
    if len(_remembered) >= REMEMBERED_AT_MOST:
        _remembered.clear()
    _remembered[_memo(secret, service_code)] = (
        time.monotonic() + REMEMBERED_FOR,
        replace(looked, key_stale=False, tracking_code="", code_taken=False, remembered=True),
    )


def post_forget(*, secret: str, service_code: str) -> None:
    _remembered.pop(_memo(secret, service_code), None)


def _memo(secret: str, service_code: str) -> tuple[str, str]:
    return key_digest(secret), service_code  # the secret itself is not kept


def post_looked_up(*, secret: str, service_code: str) -> Looked:
    """One SELECT instead of four: each statement through the ORM costs a filing about
    half a millisecond, a good part of the request (bench/README.md)."""
    tracking_code = new_tracking_code()
    digest = key_digest(secret) if secret and len(secret) <= 200 else ""
    code = service_code if SLUG.fullmatch(service_code) else ""
    q = connection.ops.quote_name
    keys, categories = q(Open311Key._meta.db_table), q(Category._meta.db_table)
    versions, complaints = q(SopVersion._meta.db_table), q(Complaint._meta.db_table)
    stale = connection.ops.adapt_datetimefield_value(timezone.now() - LAST_USED_EVERY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.id, k.prefix, (k.last_used_at IS NULL OR k.last_used_at < %s), "
            f"c.id, c.code, c.name, "
            f"EXISTS (SELECT 1 FROM {versions}), "
            f"EXISTS (SELECT 1 FROM {complaints} WHERE tracking_code = %s) "
            f"FROM (SELECT 1 AS one) AS one "
            f"LEFT JOIN {keys} k ON k.key_hash = %s AND k.revoked_at IS NULL "
            f"LEFT JOIN {categories} c ON c.code = %s AND c.is_active",
            [stale, tracking_code, digest, code],
        )
        key_id, prefix, key_stale, category_id, category_code, name, sop, taken = cursor.fetchone()
    return Looked(
        key=Open311Key(pk=key_id, prefix=prefix, key_hash=digest) if key_id and digest else None,
        key_stale=bool(key_stale),
        category=Category(pk=category_id, code=category_code, name=name)
        if category_id and code
        else None,
        sop_loaded=bool(sop),
        tracking_code=tracking_code,
        code_taken=bool(taken),
    )


def request_checked(post, *, category: Category | None) -> tuple[dict, bool]:
    """The complaint's fields from a posted Open311 request, checked by the web form's
    rules, and whether the description may be public. `category`: the service's, as
    post_looked_up found it (None: no active service has that code). Raises Refused."""
    code = (post.get("service_code") or "").strip()
    if not code:
        raise Refused(400, (_("service_code: wajib diisi, pilih salah satu layanan."),))
    if category is None:
        raise Refused(
            400, (_("service_code: layanan “%(code)s” tidak dikenal.") % {"code": code[:40]},)
        )
    public, confidential = _flag(post, "public"), _flag(post, "confidential")
    description = post.get("description") or ""
    name = " ".join(
        part.strip() for part in (post.get("first_name"), post.get("last_name")) if part
    ).strip()
    form = RequestCheck(
        data={
            "category": category,
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
    checked_code: str | None = None,
    counted: Hit | None = None,
    still: Still | None = None,
) -> Taken | None:
    """Take the request: without files as an intake (aduan.complaints.intake: registered
    a moment later, by the worker); with the file at media_url registered at once, its
    file moved in the transaction that stores its rows. `counted`: the rate hit, for an
    intake (intake_store: None when it says no); a request with a file is counted before
    the file is fetched. `still`: a remembered key and service, for an intake
    (intake_store raises Changed when they no longer hold)."""
    if not attachments:
        return intake_store(
            fields=fields,
            channel=Complaint.Channel.OPEN311,
            language=language,
            checked_code=checked_code,
            counted=counted,
            still=still,
            extras={
                "open311": {
                    "key": key.pk,
                    "description_public": description_public,
                    "media_url": media_url,
                }
            },
        )
    with transaction.atomic():
        complaint = complaint_register(
            **fields,
            channel=Complaint.Channel.OPEN311,
            attachments=attachments,
            language=language,
        )
        open311_noted(
            complaint=complaint,
            key=key.pk,
            description_public=description_public,
            media_url=media_url,
            media=len(attachments),
        )
    return Taken(
        complaint.tracking_code, complaint.tracking_secret, complaint.received_at, complaint
    )


def open311_noted(
    *, complaint: Complaint, key: int, description_public: bool, media_url: str, media: int = 0
) -> Open311Request:
    """Note what Open311 adds to a complaint just registered (in its transaction)."""
    received = Open311Request.objects.create(
        complaint=complaint,
        key_id=key,
        description_public=description_public,
        media_url=media_url[:2000],
        created_at=complaint.received_at,
    )
    audit_record(
        action="open311.request_received",
        target=received,
        complaint_id=complaint.pk,
        data={
            "key": Open311Key.objects.values_list("prefix", flat=True).get(pk=key),
            "description_public": description_public,
            "media": media,
        },
    )
    return received
