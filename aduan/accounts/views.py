"""Officials' sign-in (/meja/masuk/): password, then the authenticator code when the official
has one (or must enrol one first, for administrators), with failures counted and sign-in
paused per username and address (aduan.accounts.lockout)."""

import logging

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from aduan.accounts.forms import WRONG_CODE, CodeForm, focus_on_errors
from aduan.accounts.lockout import (
    login_failure_record,
    login_failures_clear,
    login_paused_until,
)
from aduan.accounts.selectors import must_use_second_factor
from aduan.accounts.sessions import SECOND_FACTOR, now_stamp
from aduan.accounts.twofactor import has_second_factor, second_factor_verify
from aduan.audit.services import audit_record
from aduan.lib.ratelimit import client_address

logger = logging.getLogger("aduan.accounts.login")

# The sign-in under way between the password and the code (or the enrolment).
PENDING = "aduan_pending_sign_in"
PENDING_SECONDS = 10 * 60

PENDING_LAPSED = _("Waktu untuk memasukkan kode sudah habis. Silakan masuk lagi.")


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path of this site ("/meja/..."): anything else, however harmless it looks, is
    # neither followed nor taken for a view's name.
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


def paused(request, *, until, next_url: str, username: str = ""):
    """The sign-in page saying that sign-in is paused and until when (429)."""
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "next": next_url, "paused_until": until}
    return render(request, "desk/login.html", context, status=429)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login(request):
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        username = request.POST.get("username", "")
        address = client_address(request)
        until = login_paused_until(username=username, address=address)
        if until is not None:
            return paused(request, until=until, next_url=next_url, username=username)
        if form.is_valid():
            return _password_accepted(request, form.get_user(), next_url, username, address)
        if form.has_error("__all__"):  # both fields given, and they did not match
            until = login_failure_record(username=username, address=address, reason="password")
            if until is not None:
                return paused(request, until=until, next_url=next_url, username=username)
    context = {"form": focus_on_errors(form), "next": next_url}
    return render(request, "desk/login.html", context)


def _password_accepted(request, user, next_url: str, username: str, address: str):
    enrolled = has_second_factor(user=user)
    if not enrolled and not must_use_second_factor(user=user):
        return complete_sign_in(request, user, method="password", address=address, to=next_url)
    request.session[PENDING] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),
        "backend": user.backend,
        "username": username,
        "address": address,
        "next": next_url,
        "at": now_stamp(),
    }
    return redirect("desk:login_code" if enrolled else "desk:login_enrol")


def complete_sign_in(request, user, *, method: str, address: str, to: str | None):
    """Sign `user` in (a new session key: Django's login() cycles it), stamp the session,
    forget their failures from this address, and audit it. Redirects to `to`, or returns
    None for the caller to answer."""
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=getattr(user, "backend", None))
    request.session[SECOND_FACTOR] = method != "password"
    login_failures_clear(username=user.get_username(), address=address)
    audit_record(
        action="login.succeeded",
        actor=user,
        target=user,
        data={"address": address, "method": method},
    )
    logger.info("%s signed in (%s) from %s", user.get_username(), method, address)
    return redirect(to) if to is not None else None


def pending_sign_in(request):
    """The user whose password was accepted in this session a short while ago, with the
    pending data; (None, None) when there is none, it lapsed, or the account changed."""
    pending = request.session.get(PENDING)
    if not pending:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if (
        user is None
        or now_stamp() - pending["at"] > PENDING_SECONDS
        or user.get_session_auth_hash() != pending["hash"]
    ):
        request.session.pop(PENDING, None)
        return None, None
    user.backend = pending["backend"]
    return user, pending


def _restart(request):
    from django.contrib import messages

    messages.info(request, PENDING_LAPSED)
    return redirect_to_login(_next_url(request))


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_code(request):
    """The second step: the authenticator's code, or a recovery code."""
    user, pending = pending_sign_in(request)
    if user is None:
        return _restart(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        username, address = pending["username"], pending["address"]
        until = login_paused_until(username=username, address=address)
        if until is not None:
            request.session.pop(PENDING, None)
            return paused(request, until=until, next_url=pending["next"], username=username)
        if form.is_valid():
            try:
                method = second_factor_verify(user=user, code=form.cleaned_data["code"])
            except InvalidToken:
                # SECRET_KEY changed since enrolment: the stored secret cannot be read.
                logger.error("TOTP secret of %s cannot be decrypted", user.get_username())
                method = None
            if method is not None:
                return complete_sign_in(
                    request, user, method=method, address=address, to=pending["next"]
                )
            until = login_failure_record(username=username, address=address, reason="code")
            if until is not None:
                request.session.pop(PENDING, None)
                return paused(request, until=until, next_url=pending["next"], username=username)
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/login_code.html", {"form": focus_on_errors(form)})


def admin_login(request, extra_context=None):
    """The admin site's login page: administrators sign in through the officials' sign-in
    (lockout, second factor); a signed-in account without admin access is told so."""
    from aduan.desk.decorators import forbidden

    if request.user.is_authenticated:
        return forbidden(request, _("Akun Anda tidak memiliki akses ke halaman administrasi."))
    target = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(target)
