"""The official's own API tokens on the desk, at /meja/token/: create (the secret is shown
on this one page, never again), list, revoke. The services audit both."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from aduan.api.tokens import MAX_NAME, token_create, token_revoke, tokens_of
from aduan.desk.decorators import official_required


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=MAX_NAME,
        help_text=gettext_lazy("Untuk apa token ini, misalnya nama aplikasinya."),
        error_messages={
            "required": gettext_lazy("Tuliskan nama token, misalnya nama aplikasinya.")
        },
    )


def _page(request, form, *, secret="", status=200):
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens_of(user=request.user), "secret": secret},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@official_required
def tokens(request):
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    new = token_create(user=request.user, name=form.cleaned_data["name"], actor=request.user)
    if not new:
        form.add_error("name", new.message)
        return _page(request, form)
    return _page(request, TokenForm(), secret=new.secret)


@require_POST
@official_required
def token_revoke_view(request, pk: int):
    if token_revoke(token_id=pk, actor=request.user, owner=request.user):
        messages.success(
            request, _("Token dicabut; aplikasi yang memakainya tidak dapat masuk lagi.")
        )
    else:
        messages.error(request, _("Token itu tidak ada atau sudah dicabut."))
    return redirect("desk:api_tokens")
