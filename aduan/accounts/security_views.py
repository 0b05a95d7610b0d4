"""Keamanan akun (/meja/akun/keamanan/): an official turns the authenticator (TOTP) on or
off and renews the recovery codes; administrators enrol one while signing in, before they
reach anything else (aduan.accounts.views)."""

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aduan.accounts import totp
from aduan.accounts.forms import WRONG_CODE, CodeForm, EnrolForm, focus_on_errors
from aduan.accounts.lockout import login_failure_record, login_paused_until
from aduan.accounts.sealing import seal, unseal
from aduan.accounts.selectors import must_use_second_factor
from aduan.accounts.sessions import SECOND_FACTOR
from aduan.accounts.twofactor import (
    has_second_factor,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_verify,
    totp_disable,
    totp_enrol,
    totp_qr_svg,
)
from aduan.accounts.views import _restart, complete_sign_in, pending_sign_in
from aduan.lib.ratelimit import client_address

# The secret being enrolled, sealed, until the official confirms it with a code.
ENROL_SECRET = "aduan_enrol_secret"


def _enrol_secret(request) -> str:
    sealed = request.session.get(ENROL_SECRET)
    if sealed:
        try:
            return unseal(sealed)
        except InvalidToken:
            pass
    secret = totp.new_secret()
    request.session[ENROL_SECRET] = seal(secret)
    return secret


def _enrol_page(request, user, form, *, during_sign_in: bool):
    secret = _enrol_secret(request)
    context = {
        "form": focus_on_errors(form),
        "qr": mark_safe(totp_qr_svg(secret=secret, user=user)),  # segno's own SVG markup
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "during_sign_in": during_sign_in,
        "required": must_use_second_factor(user=user),
    }
    return render(request, "accounts/enrol.html", context)


def _codes_page(request, codes: list[str], continue_url: str):
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "continue_url": continue_url}
    )


@never_cache
def login_enrol(request):
    """While signing in: an administrator without an authenticator enrols one first."""
    user, pending = pending_sign_in(request)
    if user is None:
        return _restart(request)
    if has_second_factor(user=user):
        return redirect("desk:login_code")
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = totp_enrol(user=user, secret=_enrol_secret(request), code=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(ENROL_SECRET, None)
            complete_sign_in(request, user, method="enrolled", address=pending["address"], to=None)
            return _codes_page(request, codes, pending["next"])
        form.add_error("code", WRONG_CODE)
    return _enrol_page(request, user, form, during_sign_in=True)


def _security_page(request, *, renew_form=None, disable_form=None, status=200):
    user = request.user
    enrolled = has_second_factor(user=user)
    context = {
        "enrolled": enrolled,
        "required": must_use_second_factor(user=user),
        "codes_left": recovery_codes_left(user=user) if enrolled else 0,
        # One code field per form, each with its own ids.
        "renew_form": focus_on_errors(renew_form or CodeForm(auto_id="renew_%s"), never=True),
        "disable_form": focus_on_errors(disable_form or CodeForm(auto_id="disable_%s"), never=True),
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "max_hours": settings.SESSION_MAX_HOURS,
    }
    return render(request, "accounts/security.html", context, status=status)


@login_required
@never_cache
def account_security(request):
    return _security_page(request)


@login_required
@never_cache
def account_totp_enrol(request):
    if has_second_factor(user=request.user):
        messages.info(request, _("Verifikasi dua langkah sudah aktif untuk akun Anda."))
        return redirect("desk:account_security")
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = totp_enrol(
            user=request.user, secret=_enrol_secret(request), code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session.pop(ENROL_SECRET, None)
            request.session[SECOND_FACTOR] = True
            return _codes_page(request, codes, reverse("desk:account_security"))
        form.add_error("code", WRONG_CODE)
    return _enrol_page(request, request.user, form, during_sign_in=False)


def _code_checked(request, form: CodeForm) -> bool:
    """The posted code is the official's current authenticator code or an unused recovery
    code; wrong codes count towards the sign-in pause like wrong passwords."""
    user = request.user
    address = client_address(request)
    until = login_paused_until(username=user.get_username(), address=address)
    if until is None and form.is_valid():
        try:
            if second_factor_verify(user=user, code=form.cleaned_data["code"]):
                return True
        except InvalidToken:
            pass
        until = login_failure_record(username=user.get_username(), address=address, reason="code")
        if until is None:
            form.add_error("code", WRONG_CODE)
    if until is not None:
        local = timezone.localtime(until)
        form.add_error(
            "code",
            _("Terlalu banyak percobaan yang gagal: coba lagi setelah pukul %(time)s.")
            % {"time": local.strftime("%H.%M")},
        )
    return False


@login_required
@require_POST
@never_cache
def account_totp_disable(request):
    if must_use_second_factor(user=request.user):
        messages.error(
            request, _("Administrator wajib memakai verifikasi dua langkah: tidak dapat dimatikan.")
        )
        return redirect("desk:account_security")
    form = CodeForm(request.POST, auto_id="disable_%s")
    if not _code_checked(request, form):
        return _security_page(request, disable_form=form, status=400)
    totp_disable(user=request.user, actor=request.user)
    request.session[SECOND_FACTOR] = False
    messages.success(request, _("Verifikasi dua langkah dimatikan."))
    return redirect("desk:account_security")


@login_required
@require_POST
@never_cache
def account_recovery_renew(request):
    form = CodeForm(request.POST, auto_id="renew_%s")
    if not has_second_factor(user=request.user) or not _code_checked(request, form):
        return _security_page(request, renew_form=form, status=400)
    return _codes_page(
        request, recovery_codes_renew(user=request.user), reverse("desk:account_security")
    )
