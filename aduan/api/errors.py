"""One shape for every error the API gives:

    {"error": {"code": "...", "message": "... (Bahasa Indonesia)", "fields": {"name": ["..."]}}}

Service refusals (sop.engine.Outcome) map to a status by their code, the same way for every
endpoint: 403 not your role, 404 not found, 409 the complaint's state does not allow it,
422 what was sent cannot be used.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aduan.sop.engine import Outcome


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    response = JsonResponse(
        {"error": {"code": code, "message": str(message), "fields": fields or {}}}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="aduan"'
    return response


# Outcome codes of the services: the status and the field the refusal is about.
REFUSALS = {
    "not_your_role": (403, None),
    "not_your_step": (403, None),
    "separation_of_duties": (403, None),
    "not_found": (404, None),
    "already_decided": (409, None),
    "closed": (409, None),
    "step_moved": (409, None),
    "not_drafting": (409, None),
    "draft_missing": (409, None),
    "not_open": (409, None),
    "invalid_decision": (422, "decision"),
    "choose_target": (422, "to"),
    "note_required": (422, "note"),
    "text_required": (422, "body"),
    "text_too_long": (422, "body"),
    "invalid_kind": (422, "kind"),
}


def refusal(outcome: Outcome) -> ApiError:
    status, field = REFUSALS.get(outcome.code, (409, None))
    return ApiError(
        status, outcome.code, outcome.message, {field: [outcome.message]} if field else {}
    )


def errors(*statuses: int) -> dict:
    """The error responses an operation documents (its OpenAPI `responses`)."""
    return {status: ErrorOut for status in statuses}


def _pydantic_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Wajib diisi.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Tulis bilangan bulat.")
    if kind in ("less_than_equal", "less_than"):
        return _("Paling besar %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Paling kecil %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("string_too_long", "too_long"):
        return _("Terlalu panjang: paling banyak %(max)s.") % {"max": ctx.get("max_length", "")}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Tulis tanggal seperti 2026-01-31.")
    if kind in ("literal_error", "enum"):
        return _("Pilih salah satu: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind in ("string_type", "bool_parsing", "bool_type", "model_type", "dict_type"):
        return _("Jenis nilai tidak sesuai.")
    if kind == "json_invalid":
        return _("Isi permintaan bukan JSON yang sah.")
    return _("Nilai tidak sah.")


def _field_name(loc) -> str:
    # ninja's locations: ("body", "payload", "kind"), ("query", "page"), ("header", ...).
    parts = [
        str(p)
        for p in loc
        if p not in ("body", "payload", "query", "path", "header", "form", "file")
    ]
    return ".".join(parts) or "body"


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return error_response(422, "invalid", _("Permintaan berisi isian yang tidak sah."), fields)


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        401,
        "unauthorized",
        _(
            "Token API tidak ada, salah, atau sudah dicabut. Kirim header "
            "Authorization: Bearer <token>."
        ),
    )


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return error_response(400, "bad_request", _("Isi permintaan tidak dapat dibaca."))
    return error_response(exc.status_code, "error", str(exc))


def _on_too_much(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Too many fields or files, or too large a body (settings DATA_UPLOAD_*, aduan.lib.files):
    the 400 every client gets, in the API's shape rather than the HTML page."""
    return error_response(
        400,
        "bad_request",
        _("Permintaan terlalu besar atau berisi terlalu banyak isian atau berkas sekaligus."),
    )


def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return not_found()


def not_found(*args, **kwargs) -> HttpResponse:
    return error_response(404, "not_found", _("Tidak ditemukan."))


def install(api) -> None:
    api.add_exception_handler(ValidationError, _on_validation)
    api.add_exception_handler(ApiError, _on_api_error)
    api.add_exception_handler(AuthenticationError, _on_authentication)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(Http404, _on_404)
    for too_much in (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        api.add_exception_handler(too_much, _on_too_much)


def method_not_allowed(response: HttpResponse) -> HttpResponse:
    """ninja answers a wrong method with a plain 405: give it the shape, keep Allow."""
    shaped = error_response(
        405, "method_not_allowed", _("Metode HTTP ini tidak tersedia di alamat ini.")
    )
    shaped["Allow"] = response.get("Allow", "")
    return shaped
