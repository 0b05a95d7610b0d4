"""The official's notices page: /meja/pemberitahuan/ lists them; a POST marks them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aduan.desk.decorators import official_required
from aduan.notices.selectors import notices_for
from aduan.notices.services import notices_mark_read

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@official_required
def notice_list(request):
    if request.method == "POST":
        raw = request.POST.get("notice", "")
        count = 0
        if not raw:  # "mark all read"
            count = notices_mark_read(user=request.user)
        elif raw.isdigit() and len(raw) < 18:  # one notice; junk marks nothing
            count = notices_mark_read(user=request.user, notice_id=int(raw))
        if count:
            messages.success(request, _("Pemberitahuan ditandai sudah dibaca."))
        return redirect("notices:list")
    page = Paginator(notices_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page})
