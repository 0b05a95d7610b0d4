"""Sort and filter parameters come from allow-lists: a value a list does not know is
ignored or refused with a clear 400/422, never a 500, and never reaches the database as a
field name, an ordering or a raw filter.

Every list of the site is asked with hostile parameters while the SQL it runs is
captured: no payload may appear in an ORDER BY, nor in a WHERE other than as a quoted value
(a filter's bound parameter: how a list checks a category code it was given, which finds
nothing).
"""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.core.tests.security_world import A_MARKER, B_MARKER, build_world

pytestmark = pytest.mark.django_db

HOSTILE = {
    "sort": "password",
    "order": "-decided_by__password",
    "ordering": "-registered_by__password",
    "o": "tracking_digest",
    "order_by": "nik",
    "status": "__proto__",
    "langkah": "__proto__",
    "terlambat": "__proto__",
    "kategori": "1 OR 1=1",
    "saluran": "__proto__",
    "action": "__proto__",
    "agenda": "__proto__",
    "chart": "__proto__",
    "per": "__proto__",
    "dari": "__proto__",
    "sampai": "2026-13-45",
    "bulan": "__proto__",
    "format": "__proto__",
    "page": "-1",
    "page_size": "100000",
    "service_code": "__proto__",
    "service_request_id": "__proto__",
    "start_date": "__proto__",
    "category": "__proto__",
    "from": "__proto__",
    "to": "__proto__",
    "channel": "__proto__",
}
# What must never reach a WHERE or ORDER BY clause.
NEEDLES = ("password", "__proto__", "tracking_digest", "1 OR 1=1", '"nik"')
CLAUSE = re.compile(r"\b(WHERE|ORDER BY)\b(.*)", re.S | re.I)
QUOTED_VALUE = re.compile(r"'(?:[^']|'')*'")

# (list, persona, address); the pages answer 200 (the value ignored, or a form error beside
# the field), the API 422, Open311 400.
LISTS = [
    ("desk:inbox", "staff", "/meja/", {200}),
    ("desk:complaints", "kasi", "/meja/semua/", {200}),
    ("desk:audit", "auditor", "/meja/audit/", {200}),
    ("notices:list", "staff", "/meja/pemberitahuan/", {200}),
    ("agenda:book", "kabid", "/meja/agenda/", {200}),
    # ?chart= names one of the page's charts: another is "no such chart", a 404.
    ("dashboard:dashboard", "kadis", "/meja/dasbor/", {200, 404}),
    ("dashboard:recap", "kadis", "/meja/dasbor/rekap/", {200}),
    ("desk:report_compliance", "staff", "/meja/laporan/mutu-baku/", {200}),
    ("records:bundles", "staff", "/meja/lembar/", {200}),
    ("api:inbox", "staff", "/api/v1/inbox", {422}),
    ("api:categories", "anonymous", "/api/v1/categories", {422}),
    ("api:agenda", "kabid", "/api/v1/agenda", {422}),
    ("open311:requests", "anonymous", "/open311/v2/requests.json", {400}),
]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def ask(world, persona, path):
    headers = {}
    if path.startswith("/api/") and persona in world.tokens:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
    return world.client(persona).get(path, **headers)


def hostile_sql(queries) -> list[str]:
    found = []
    for query in queries:
        match = CLAUSE.search(query["sql"])
        clauses = QUOTED_VALUE.sub("?", match.group(2)) if match else ""
        if any(needle in clauses for needle in NEEDLES):
            found.append(query["sql"][:300])
    return found


@pytest.mark.parametrize("name,persona,path,statuses", LISTS, ids=[row[0] for row in LISTS])
def test_a_list_asked_with_hostile_parameters_answers_plainly(world, name, persona, path, statuses):
    for params in [HOSTILE, *({key: value} for key, value in HOSTILE.items())]:
        with CaptureQueriesContext(connection) as queries:
            response = ask(world, persona, path + "?" + urlencode(params))
        expected = statuses if len(params) > 1 else statuses | {200}
        assert response.status_code in expected, (name, params, response.status_code)
        assert hostile_sql(queries.captured_queries) == [], (name, params)


def test_every_list_of_the_site_is_asked_here():
    """A list added to the site (a page that paginates or filters) belongs in LISTS."""
    from aduan.core.tests.test_access_matrix import ROUTES

    lists = {name for name, *_ in LISTS}
    assert lists <= set(ROUTES)
    pages_with_lists = {
        "desk:inbox",
        "desk:complaints",
        "desk:audit",
        "notices:list",
        "agenda:book",
        "dashboard:dashboard",
        "dashboard:recap",
        "desk:report_compliance",
        "records:bundles",
        "api:inbox",
        "api:categories",
        "api:agenda",
        "open311:requests",
    }
    assert lists == pages_with_lists


def test_a_value_from_the_allow_list_still_filters(world):
    """The allow-lists are not a wall: what the lists offer works."""
    kasi = world.client("kasi")
    answered = kasi.get("/meja/semua/?status=answered").content.decode()
    assert A_MARKER in answered and B_MARKER not in answered
    everything = kasi.get("/meja/semua/?status=__proto__").content.decode()
    assert A_MARKER in everything and B_MARKER in everything  # ignored, not an error
    closed = world.client("anonymous").get("/open311/v2/requests.json?status=closed").json()
    assert [r["service_request_id"] for r in closed] == [world.a.tracking_code]
    refused = world.client("anonymous").get("/open311/v2/requests.json?status=__proto__")
    assert refused.status_code == 400 and "status" in refused.json()[0]["description"]
    too_big = ask(world, "staff", "/api/v1/inbox?page_size=100000")
    assert too_big.status_code == 422 and "page_size" in too_big.json()["error"]["fields"]
