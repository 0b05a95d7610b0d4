"""Bad input on every page and URL gets a clear answer or a 404, never a 500.

Every route of the site is requested by every kind of visitor with odd path values and
junk form data; the test client re-raises any exception a view lets escape.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import make_official

JUNK_VALUES = [
    "",
    " ",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "\u0000",
    "0",
    "-1",
    "99999999999999999999",
    "ADU-0000-0000",
    "' OR 1=1 --",
    "🙂",
]
JUNK_POST = [
    {},
    {
        name: value
        for name, value in zip(
            [
                "name",
                "phone",
                "email",
                "nik",
                "category",
                "subject",
                "description",
                "channel",
                "kind",
                "body",
                "note",
                "edge",
                "step_id",
                "code",
                "secret",
                "kunci",
                "hapus",
                "username",
                "password",
                "language",
                "next",
            ],
            JUNK_VALUES * 3,
            strict=False,
        )
    },
    {"edge": "approve:selesai", "step_id": "1", "note": "x" * 30_000},
    {"step_id": "abc", "edge": "return:nowhere"},
]
SKIP = ("admin/",)  # Django's admin is Django's own


def routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not text.startswith(SKIP):
                yield from routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            yield text


def sample_paths(route: str, known_pk: int):
    values = {
        "int": [str(known_pk), "0", "99999999"],
        "str": ["x", "ADU-0000-0000", "%3Cscript%3E", "a" * 300],
    }
    paths = ["/" + route]
    for kind in ("int", "str"):
        marker = f"<{kind}:"
        while any(marker in p for p in paths):
            expanded = []
            for path in paths:
                if marker not in path:
                    expanded.append(path)
                    continue
                start = path.index(marker)
                end = path.index(">", start)
                expanded += [path[:start] + v + path[end + 1 :] for v in values[kind]]
            paths = expanded
    return [p.replace("^", "").replace("$", "") for p in paths if "<" not in p]


@pytest.fixture
def visitors(client, django_user_model, complaint_of_sari):
    budi = make_official("budi", "Budi", "staff")
    auditor = make_official("ani", "Ani", "auditor")
    nobody = django_user_model.objects.create_user("tamu", password="x-long-password")
    admin = django_user_model.objects.create_superuser("root", "r@example.test", "x-long-pass")
    return {"anonymous": None, "staff": budi, "auditor": auditor, "no role": nobody, "admin": admin}


def test_no_route_answers_with_a_server_error(client, visitors, complaint_of_sari):
    tried = 0
    all_routes = list(routes())
    assert "meja/pengaduan/<int:pk>/keputusan/" in all_routes  # the walk finds the desk
    assert "lacak/<str:code>/<str:secret>/" in all_routes  # and the citizen pages
    for who, user in visitors.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for route in all_routes:
            for path in sample_paths(route, complaint_of_sari.pk):
                response = client.get(path, {"q": "<b>", "page": "-1", "status": "zzz"})
                assert response.status_code < 500, (who, "GET", path)
                for data in JUNK_POST:
                    response = client.post(path, data)
                    assert response.status_code < 500, (who, "POST", path, data)
                    tried += 1
    assert tried > 300
