"""Junk at every Open311 route gets a 4xx with Open311's error body, never a 500."""

import json

import pytest

JUNK = ["", " ", "<script>", "x" * 10_000, "\u0000", "-1", "99999999999999999999", "🙂", "' OR 1=1"]
PATHS = [
    "discovery.{fmt}",
    "services.{fmt}",
    "services/{junk}.{fmt}",
    "requests.{fmt}",
    "requests/{junk}.{fmt}",
]
PARAMS = [
    "jurisdiction_id",
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
]


@pytest.mark.parametrize("fmt", ["json", "xml", "yaml", "JSON", "json.xml", "x" * 300])
def test_every_route_in_every_format_answers_without_a_server_error(client, category, fmt):
    for path in PATHS:
        url = "/open311/v2/" + path.format(fmt=fmt, junk="ktp-el")
        response = client.get(url)
        assert response.status_code < 500, url
        if fmt not in ("json", "xml", "json.xml"):  # ktp-el.json + .xml is a 404
            assert response.status_code == 400
            error = json.loads(response.content)[0]
            assert error["code"] == 400 and ".json" in error["description"]


def test_junk_filters_get_a_4xx_or_an_answer(client, category):
    for name in PARAMS:
        for value in JUNK:
            for fmt in ("json", "xml"):
                response = client.get(f"/open311/v2/requests.{fmt}", {name: value})
                assert response.status_code in (200, 400), (name, value, response.content[:200])


def test_junk_posts_get_a_4xx(client, post_request):
    fields = [
        "api_key",
        "service_code",
        "description",
        "first_name",
        "last_name",
        "email",
        "phone",
        "media_url",
        "attribute[public]",
        "attribute[nik]",
        "lat",
        "jurisdiction_id",
    ]
    for name in fields:
        for value in JUNK:
            response = post_request(**{name: value})
            assert response.status_code < 500, (name, value)


def test_junk_ids_are_404s(client, db):
    for value in [*JUNK[1:], "%00", "a%00b"]:
        for fmt in ("json", "xml"):
            response = client.get(f"/open311/v2/requests/{value}.{fmt}")
            assert response.status_code in (400, 404), value
            response = client.get(f"/open311/v2/services/{value}.{fmt}")
            assert response.status_code in (400, 404), value


def test_other_methods_are_refused(client, db):
    assert client.put("/open311/v2/requests.json").status_code == 405
    assert client.post("/open311/v2/services.json").status_code == 405
