"""Every response carries a request id: the proxy's when it is a safe token, else a new one;
while the request is handled, the JSON log lines carry the same id."""

import io
import json
import logging

import pytest
from django.conf import settings as django_settings

from aduan.lib.logs import JsonFormatter
from aduan.lib.request_id import current_request_id

MIDDLEWARE = "aduan.lib.request_id.RequestIdMiddleware"


@pytest.fixture(autouse=True)
def request_ids(settings):
    """The middleware first, as the README tells the operator to configure it."""
    if MIDDLEWARE not in django_settings.MIDDLEWARE:
        settings.MIDDLEWARE = [MIDDLEWARE, *django_settings.MIDDLEWARE]


@pytest.fixture
def json_log():
    """What the root logger writes, as ADUAN_LOG_FORMAT=json writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_the_proxy_s_request_id_is_sent_back(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="7f3a9c0e1b2d4c5e8f9a0b1c2d3e4f5a")
    assert response["X-Request-ID"] == "7f3a9c0e1b2d4c5e8f9a0b1c2d3e4f5a"


def test_without_one_each_request_gets_a_new_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first.isalnum()
    assert first != second


@pytest.mark.parametrize(
    "unsafe",
    [
        "x" * 65,  # longer than 64 characters
        "abc def",  # a space
        "abc\u00e9",  # not ASCII
        "id;rm -rf /",
        "<script>",
        "",
    ],
)
def test_an_unsafe_id_from_the_client_is_replaced(client, db, unsafe):
    returned = client.get("/healthz", HTTP_X_REQUEST_ID=unsafe)["X-Request-ID"]
    assert returned != unsafe
    assert len(returned) == 32 and returned.isalnum()


def test_the_longest_safe_id_is_kept(client, db):
    safe = "a.b_c-D9" * 8  # 64 characters
    assert client.get("/healthz", HTTP_X_REQUEST_ID=safe)["X-Request-ID"] == safe


def test_log_lines_written_during_the_request_carry_its_id(client, db, json_log):
    response = client.get("/tidak-ada/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 404
    records = [json.loads(line) for line in json_log.getvalue().splitlines()]
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert not_found, records
    assert not_found[0]["request_id"] == "req-42"
    assert not_found[0]["status_code"] == 404
    assert not_found[0]["message"] == "Not Found: /tidak-ada/"


def test_outside_a_request_there_is_no_id(client, db, json_log):
    client.get("/healthz", HTTP_X_REQUEST_ID="req-43")
    assert current_request_id() is None
    logging.getLogger("aduan.worker").warning("a line from the worker")
    record = json.loads(json_log.getvalue().splitlines()[-1])
    assert record["message"] == "a line from the worker"
    assert "request_id" not in record
