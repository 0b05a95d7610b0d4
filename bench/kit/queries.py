"""SQL queries per request, counted in-process with Django's test Client and
CaptureQueriesContext (as the peer kit's count_queries.py does), against an installation's
database. Each request is made once untimed first (caches, templates), then counted.

Run by bench/run.py in a child process with the installation's environment and
DJANGO_SETTINGS_MODULE=bench.insertsite.settings (Aduan plus POST /bench/insert/):

  python -m bench.kit.queries public          # the web form's five requests, Open311, insert
  python -m bench.kit.queries desk --staff U --kadis U --password P [--complaint PK]

Prints one JSON object: {"rows": [{"what", "status", "queries", "ms"}, ...]}. The public
requests file a few complaints (Open311 with the key in BENCH_OPEN311_KEY).
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def measure(client, what: str, method: str, path: str, **kwargs) -> tuple[dict, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        response = getattr(client, method)(path, **kwargs)
        ms = (time.perf_counter() - began) * 1000
    row = {
        "what": what,
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "ms": round(ms, 1),
    }
    return row, response


def web_form_filing(client, category: str, n: int, *, counted: bool) -> list[dict]:
    answers = {
        "category": category,
        "subject": f"Hitung kueri {n}",
        "description": f"Uraian pengaduan untuk menghitung kueri, nomor {n}.",
        "name": f"Warga Hitung {n}",
        "phone": f"0813{n:08d}",
        "email": "",
        "nik": "",
    }
    rows = []
    row, _ = measure(client, "GET /lapor/ (form)", "get", "/lapor/")
    rows.append(row)
    row, _ = measure(client, "POST /lapor/ (to the check page)", "post", "/lapor/", data=answers)
    rows.append(row)
    row, page = measure(client, "GET /lapor/periksa/ (check page)", "get", "/lapor/periksa/")
    rows.append(row)
    key = re.search(rb'name="kunci" value="([^"]+)"', page.content).group(1).decode()
    row, _ = measure(
        client, "POST /lapor/periksa/ (stores)", "post", "/lapor/periksa/", data={"kunci": key}
    )
    rows.append(row)
    row, _ = measure(client, "GET /lapor/terkirim/ (confirmation)", "get", "/lapor/terkirim/")
    rows.append(row)
    return rows if counted else []


def public_rows() -> list[dict]:
    from django.test import Client

    from aduan.complaints.models import Category

    category = str(Category.objects.filter(is_active=True).order_by("pk").first().pk)
    web_form_filing(Client(HTTP_HOST="127.0.0.1"), category, 1, counted=False)  # warm-up
    rows = web_form_filing(Client(HTTP_HOST="127.0.0.1"), category, 2, counted=True)
    key = os.environ.get("BENCH_OPEN311_KEY", "")
    fields = {
        "api_key": key,
        "service_code": Category.objects.get(pk=category).code,
        "description": "KTP-el belum jadi (hitung kueri).",
        "first_name": "Warga",
        "email": "warga@contoh.invalid",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    for what, path, data in (
        ("POST Open311 requests.json", "/open311/v2/requests.json", fields),
        ("POST /bench/insert/ (one INSERT)", "/bench/insert/", {"note": "q"}),
    ):
        measure(client, what, "post", path, data=data)  # warm-up
        row, _ = measure(client, what, "post", path, data=data)
        rows.append(row)
    return rows


def signed_in(username: str, password: str):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        "/meja/masuk/", {"username": username, "password": password, "next": "/meja/"}
    )
    if response.status_code != 302:
        raise SystemExit(f"{username} could not sign in: {response.status_code}")
    return client


def desk_rows(*, staff: str, kadis: str, password: str, complaint: str) -> list[dict]:
    rows = []
    pages = [(staff, "inbox (Staff)", "/meja/"), (kadis, "inbox (Kadis)", "/meja/")]
    if complaint:
        pages.append((staff, "complaint page", f"/meja/pengaduan/{complaint}/"))
    pages.append((kadis, "dashboard (Kadis)", "/meja/dasbor/"))
    clients = {name: signed_in(name, password) for name in {staff, kadis}}
    for username, what, path in pages:
        measure(clients[username], what, "get", path)  # warm-up
        row, _ = measure(clients[username], what, "get", path)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["public", "desk"])
    parser.add_argument("--staff", default="")
    parser.add_argument("--kadis", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--complaint", default="")
    options = parser.parse_args()
    import django

    django.setup()
    if options.part == "public":
        rows = public_rows()
    else:
        rows = desk_rows(
            staff=options.staff,
            kadis=options.kadis,
            password=options.password,
            complaint=options.complaint,
        )
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
