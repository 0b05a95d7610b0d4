"""Open311 GeoReport v2: thin views over the selectors and services of this app.

Every route ends in .json or .xml; any other format gets a 400 in JSON. Errors are
Open311's body, [{"code": ..., "description": ...}], in the format asked for.
"""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from aduan.complaints.intake import Changed
from aduan.complaints.services import NoSopInForce
from aduan.lib.ratelimit import client_hit, retry_after
from aduan.open311 import formats
from aduan.open311.keys import key_used
from aduan.open311.media import MediaRefused, media_fetched
from aduan.open311.selectors import (
    RequestFilter,
    request_public,
    requests_public,
    service_for_code,
    services_active,
)
from aduan.open311.submit import (
    ATTRIBUTES,
    Looked,
    Refused,
    post_forget,
    post_looked_up,
    post_remember,
    post_remembered,
    request_checked,
    request_submit,
)
from aduan.papers.models import Letterhead

CHANGESET = "2026-11-29T00:00:00+07:00"  # when these endpoints last changed
SERVICE_GROUP = "Administrasi Kependudukan"
MAX_LIST_VALUES = 100


def jurisdiction() -> str:
    return getattr(settings, "OPEN311_JURISDICTION", "mojokertokota.go.id")


def _problem(request, fmt: str):
    """An error answer for a format or a jurisdiction this server does not serve."""
    if fmt not in formats.FORMATS:
        return formats.errors(
            formats.JSON,
            400,
            _("Format “%(fmt)s” tidak dikenal: akhiri alamat dengan .json atau .xml.")
            % {"fmt": fmt[:20]},
        )
    for params in (request.GET, request.POST):
        for name, values in params.lists():
            if any("\x00" in value for value in values):
                return formats.errors(
                    fmt, 400, _("%(name)s: berisi karakter NUL.") % {"name": name[:40]}
                )
    params = request.POST if request.method == "POST" else request.GET
    given = params.get("jurisdiction_id")
    if given is not None and given.strip() != jurisdiction():
        return formats.errors(
            fmt,
            400,
            _("jurisdiction_id: “%(given)s” tidak dilayani di sini; gunakan “%(ours)s”.")
            % {"given": given[:60], "ours": jurisdiction()},
        )
    return None


@require_GET
def discovery(request, fmt):
    if problem := _problem(request, fmt):
        return problem
    letterhead = Letterhead.current()
    body = {
        "changeset": CHANGESET,
        "contact": " — ".join(p for p in (letterhead.office, letterhead.contact) if p),
        "key_service": _(
            "Kunci API untuk mengirim pengaduan diberikan oleh administrator %(office)s."
        )
        % {"office": letterhead.office},
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": settings.PUBLIC_URL + "/open311/v2/",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return formats.rendered(body, fmt=fmt, root="discovery")


def _service(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name_en or None,
        "metadata": True,  # attribute[public], [confidential], [nik]: see services/{code}
        "type": "realtime",
        "keywords": ", ".join(p for p in (category.code, category.name, category.name_en) if p),
        "group": SERVICE_GROUP,
    }


@require_GET
def services(request, fmt):
    if problem := _problem(request, fmt):
        return problem
    body = [_service(category) for category in services_active()]
    return formats.rendered(body, fmt=fmt, root="services")


@require_GET
def service_definition(request, code, fmt):
    if problem := _problem(request, fmt):
        return problem
    category = service_for_code(code=code)
    if category is None:
        return formats.errors(
            fmt, 404, _("service_code: layanan “%(code)s” tidak dikenal.") % {"code": code[:40]}
        )
    attributes = []
    for order, attribute in enumerate(ATTRIBUTES, start=1):
        item = {
            "variable": True,
            "code": attribute["code"],
            "datatype": attribute["datatype"],
            "required": False,
            "datatype_description": None,
            "order": order,
            "description": str(attribute["description"]),
        }
        if attribute["datatype"] == "singlevaluelist":
            item["values"] = [
                {"key": "true", "name": _("Ya")},
                {"key": "false", "name": _("Tidak")},
            ]
        attributes.append(item)
    body = {"service_code": category.code, "attributes": attributes}
    return formats.rendered(body, fmt=fmt, root="service_definition")


def _values(raw: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (raw or "").split(",") if v.strip())[:MAX_LIST_VALUES]


def _moment(name: str, raw: str | None, *, end: bool = False) -> datetime | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        day = parse_date(text) if len(text) <= 10 else None  # a whole day
        if day is not None:
            moment = datetime.combine(day, time())
            if end:  # the whole of the end day, up to its last microsecond
                moment += timedelta(days=1, microseconds=-1)
        else:
            moment = parse_datetime(text)
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment is not None:
            moment.astimezone(UTC)  # a time the database can hold
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise Refused(
            400,
            (
                _(
                    "%(name)s: “%(value)s” bukan tanggal/waktu W3C, "
                    "misalnya 2026-01-31T08:00:00+07:00."
                )
                % {"name": name, "value": text[:40]},
            ),
        )
    return moment


def _filters(params) -> RequestFilter:
    status = tuple(s.lower() for s in _values(params.get("status")))
    if any(s not in ("open", "closed") for s in status):
        raise Refused(400, (_("status: tulis open atau closed (atau keduanya, dipisah koma)."),))
    start = _moment("start_date", params.get("start_date"))
    end = _moment("end_date", params.get("end_date"), end=True)
    if start and end and start > end:
        raise Refused(400, (_("start_date: harus sebelum end_date."),))
    return RequestFilter(
        codes=_values(params.get("service_request_id")),
        service_code=_values(params.get("service_code")),
        start=start,
        end=end,
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_(request, fmt):
    if problem := _problem(request, fmt):
        return problem
    if request.method == "POST":
        return _post(request, fmt)
    try:
        filters = _filters(request.GET)
    except Refused as refused:
        return formats.errors(fmt, refused.status, *refused.problems)
    return formats.rendered(requests_public(filters=filters), fmt=fmt, root="service_requests")


def _too_many(fmt):
    response = formats.errors(
        fmt,
        429,
        _("Terlalu banyak permintaan dari alamat ini. Coba lagi dalam %(seconds)s detik.")
        % {"seconds": retry_after(settings.SUBMIT_RATE)},
    )
    response["Retry-After"] = str(retry_after(settings.SUBMIT_RATE))
    return response


def _post(request, fmt):
    """A request is checked first (reading only), then counted against the address's rate
    and stored, in one statement on PostgreSQL. A request refused for its fields stores
    nothing and is not counted; one that names a file (media_url) is counted before the
    file is fetched.

    The key and the service a lookup found are remembered by the process for a minute
    (post_remember): the requests after it skip the lookup, and the statement that stores
    each checks they still hold. When they do not, or a field is refused (so that a
    revoked key still answers 403 first), the request is answered from a fresh lookup."""
    secret = request.POST.get("api_key") or request.GET.get("api_key") or ""
    service_code = (request.POST.get("service_code") or "").strip()
    media_url = (request.POST.get("media_url") or "").strip()
    if not media_url:
        remembered = post_remembered(secret=secret, service_code=service_code)
        if remembered is not None:
            answer = _posted(request, fmt, remembered, media_url="")
            if answer is not None:
                return answer
            post_forget(secret=secret, service_code=service_code)
    looked = post_looked_up(secret=secret, service_code=service_code)
    post_remember(secret=secret, service_code=service_code, looked=looked)
    return _posted(request, fmt, looked, media_url=media_url)


def _posted(request, fmt, looked: Looked, *, media_url: str):
    """The answer to a POST, with what its lookup found; None when that was remembered
    and is not enough (a field refused; the key or the service changed since)."""
    if looked.key is None:
        return formats.errors(
            fmt, 403, _("api_key: kunci API tidak ada, salah atau sudah dicabut.")
        )
    if looked.key_stale:
        key_used(key=looked.key)
    try:
        try:
            fields, public = request_checked(request.POST, category=looked.category)
        except Refused:
            if looked.remembered:
                return None
            raise
        if not looked.sop_loaded:
            raise NoSopInForce("No SOP is loaded")
        attachments = []
        hit = client_hit(request, scope="submit", rate=settings.SUBMIT_RATE)
        if media_url:
            if hit is not None and not hit.counted():
                return _too_many(fmt)
            try:
                attachments.append(media_fetched(media_url))
            except MediaRefused as refused:
                raise Refused(400, (f"media_url: {refused}",)) from None
        try:
            taken = request_submit(
                key=looked.key,
                checked_code=None
                if looked.code_taken or looked.remembered
                else looked.tracking_code,
                fields=fields,
                description_public=public,
                media_url=media_url,
                attachments=attachments,
                language=getattr(request, "LANGUAGE_CODE", ""),
                counted=None if media_url else hit,
                still=looked.still if looked.remembered else None,
            )
        except Changed:
            return None
        if taken is None:
            return _too_many(fmt)  # counted, and nothing stored
    except Refused as refused:
        return formats.errors(fmt, refused.status, *refused.problems)
    except NoSopInForce:
        return formats.errors(fmt, 503, _("Layanan pengaduan belum siap; coba lagi nanti."))
    if taken.complaint is not None:
        notice = _(
            "Pengaduan diterima dan dicatat dalam buku agenda. Kode pelacakan dan tautan "
            "untuk mengikutinya dikirim ke kontak pelapor."
        )
    else:
        notice = _(
            "Pengaduan diterima dan akan dicatat dalam buku agenda dalam beberapa detik. "
            "Kode pelacakan dan tautan untuk mengikutinya dikirim ke kontak pelapor."
        )
    body = [{"service_request_id": taken.tracking_code, "service_notice": notice}]
    return formats.rendered(body, fmt=fmt, root="service_requests")


@require_GET
def request_detail(request, code, fmt):
    if problem := _problem(request, fmt):
        return problem
    found = request_public(code=code)
    if found is None:
        return formats.errors(
            fmt,
            404,
            _("service_request_id: permintaan “%(code)s” tidak ada.") % {"code": code[:40]},
        )
    return formats.rendered([found], fmt=fmt, root="service_requests")
