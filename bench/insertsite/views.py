from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.insertsite.models import Ping


@csrf_exempt
@require_POST
def insert_one(request):
    """Exactly one INSERT, 201 and an empty body (as the peer kit's bench/views.py)."""
    Ping.objects.create(note=request.POST.get("note", "x")[:64])
    return HttpResponse(status=201)
