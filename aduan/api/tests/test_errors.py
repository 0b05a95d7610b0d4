"""Refusals: the services' words, one shape, a status that says what kind of refusal.
Validation errors name the field; a 404 and a 405 anywhere under /api/v1/ keep the shape."""

import json

import pytest

from aduan.api.tests.conftest import error_of, open_step

pytestmark = pytest.mark.django_db


def test_wati_may_not_decide_budis_step(api, complaint_of_sari, wati):
    step = open_step(complaint_of_sari)
    response = api.as_(wati).post(f"/desk/steps/{step.pk}/decision", {"decision": "approve"})
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "not_your_role" and "Staf" in error["message"]


def test_a_step_already_decided_is_a_conflict(api, complaint_of_sari, budi):
    as_budi = api.as_(budi)
    as_budi.post(f"/desk/complaints/{complaint_of_sari.pk}/draft", {"body": "Sudah jadi."})
    step = open_step(complaint_of_sari)
    assert (
        as_budi.post(f"/desk/steps/{step.pk}/decision", {"decision": "approve"}).status_code == 200
    )
    again = as_budi.post(f"/desk/steps/{step.pk}/decision", {"decision": "approve"})
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_decided" and "Budi" in error_of(again)["message"]


def test_approving_without_a_draft_is_a_conflict(api, complaint_of_sari, budi):
    step = open_step(complaint_of_sari)
    response = api.as_(budi).post(f"/desk/steps/{step.pk}/decision", {"decision": "approve"})
    assert response.status_code == 409 and error_of(response)["code"] == "draft_missing"


def test_a_return_without_a_note_names_the_note(api, complaint_of_sari, budi, wati):
    as_budi = api.as_(budi)
    as_budi.post(f"/desk/complaints/{complaint_of_sari.pk}/draft", {"body": "Sudah jadi."})
    as_budi.post(f"/desk/steps/{open_step(complaint_of_sari).pk}/decision", {"decision": "approve"})
    response = api.as_(wati).post(
        f"/desk/steps/{open_step(complaint_of_sari).pk}/decision", {"decision": "return"}
    )
    assert response.status_code == 422
    assert error_of(response)["fields"] == {"note": [error_of(response)["message"]]}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"kind": "puisi", "body": "Sudah jadi."}, "kind"),
        ({}, "body"),
        ({"body": 12}, "body"),
    ],
)
def test_a_bad_draft_gets_422_naming_the_field(api, complaint_of_sari, budi, body, field):
    response = api.as_(budi).post(f"/desk/complaints/{complaint_of_sari.pk}/draft", body)
    assert response.status_code == 422, response.content
    assert field in error_of(response)["fields"]


def test_only_budi_at_verification_asks_the_citizen(api, complaint_of_sari, budi, wati):
    url = f"/desk/complaints/{complaint_of_sari.pk}/info-request"
    assert api.as_(wati).post(url, {"body": "Nomor antrean?"}).status_code == 403
    asked = api.as_(budi).post(url, {"body": "Nomor antrean?"})
    assert asked.status_code == 201 and asked.json()["code"] == "info_requested"
    status = api.get(
        f"/complaints/{complaint_of_sari.tracking_code}/status",
        HTTP_X_TRACKING_SECRET=complaint_of_sari.tracking_secret,
    ).json()
    assert status["awaiting_reply"] is True
    assert status["messages"][-1] == {**status["messages"][-1], "body": "Nomor antrean?"}


@pytest.mark.parametrize("path", ["/desk/complaints/99999/draft", "/desk/steps/99999/decision"])
def test_an_unknown_complaint_or_step_is_404(api, budi, sop_version, path):
    response = api.as_(budi).post(path, {"decision": "approve", "body": "x"})
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/desk/complaints/0",
        "/desk/complaints/-1",
        "/desk/complaints/abc",
        "/desk/complaints/99999999999999999999",
        "/inbox?page=0",
        "/inbox?page_size=101",
        "/inbox?page=x",
        "/agenda?from=kemarin",
        "/agenda?from=2026-05-31&to=2026-01-01",
        "/agenda?status=zzz",
        "/agenda?category=%00tidak-ada",
        "/agenda?from=2020-01-01&to=2026-01-01",
    ],
)
def test_junk_in_the_address_gets_a_4xx_that_says_what(api, budi, sop_version, path):
    response = api.as_(budi).get(path)
    assert 400 <= response.status_code < 500, (path, response.content)
    assert error_of(response)


def test_an_unknown_address_and_a_wrong_method_keep_the_shape(api):
    missing = api.get("/nothing/here")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    wrong = api.client.delete("/api/v1/complaints")
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"
    assert "POST" in wrong["Allow"]


def test_a_body_that_is_not_json_is_a_400(api, budi, complaint_of_sari):
    response = api.client.post(
        f"/api/v1/desk/complaints/{complaint_of_sari.pk}/draft",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.as_(budi).secret}",
    )
    assert response.status_code in (400, 422) and error_of(response)


JUNK_BODIES = [
    [],
    "x",
    None,
    {"body": None},
    {"body": {"a": 1}},
    {"kind": "\u0000", "body": "\u0000"},
    {"decision": "\u0000", "to": "\u0000", "note": "\u0000"},
    {"decision": "return", "to": "x" * 10_000, "note": "x" * 30_000},
    {"decision": ["approve"]},
]


@pytest.mark.parametrize("body", JUNK_BODIES)
def test_junk_bodies_get_a_4xx_in_the_one_shape(api, complaint_of_sari, budi, body):
    as_budi = api.as_(budi)
    step = open_step(complaint_of_sari)
    for path in (
        f"/desk/complaints/{complaint_of_sari.pk}/draft",
        f"/desk/complaints/{complaint_of_sari.pk}/info-request",
        f"/desk/steps/{step.pk}/decision",
    ):
        response = as_budi.client.post(
            "/api/v1" + path,
            body if isinstance(body, str) else json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {as_budi.secret}",
        )
        assert 400 <= response.status_code < 500, (path, body, response.content)
        assert error_of(response)


@pytest.mark.parametrize(
    "fields",
    [
        {"category": "\u0000", "subject": "\u0000", "name": "\u0000", "phone": "\u0000"},
        {"is_anonymous": "mungkin"},
        {"attachments": "bukan berkas"},
        {"subject": "x" * 100_000},
    ],
)
def test_junk_complaints_get_a_4xx_in_the_one_shape(client, sop_version, fields):
    response = client.post("/api/v1/complaints", fields)
    assert 400 <= response.status_code < 500 and error_of(response)


def test_a_junk_idempotency_key_is_refused(client, sop_version, sari_fields):
    response = client.post("/api/v1/complaints", sari_fields, HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert response.status_code == 422
    assert "Idempotency-Key" in error_of(response)["fields"]
