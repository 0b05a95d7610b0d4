from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def home(request):
    return render(request, "core/home.html")


def csrf_failure(request, reason=""):
    """An expired or foreign form: a plain page in the citizen's language, not Django's."""
    return render(request, "403_csrf.html", status=403)


@require_GET
def help_page(request):
    """Help, linked from the same place on every page: how to file and follow a complaint,
    the office's address, contacts and working hours (from the letterhead and the working
    calendar the office set in the admin)."""
    from aduan.papers.models import Letterhead
    from aduan.sla.calendar import calendar_for_today

    calendar = calendar_for_today()
    hours = []
    for weekday in range(7):
        day = calendar.hours.get(weekday)
        if day is not None:
            hours.append((WEEKDAYS[weekday], day))
    return render(request, "core/help.html", {"letterhead": Letterhead.current(), "hours": hours})


WEEKDAYS = [
    _("Senin"),
    _("Selasa"),
    _("Rabu"),
    _("Kamis"),
    _("Jumat"),
    _("Sabtu"),
    _("Minggu"),
]
