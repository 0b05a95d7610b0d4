"""A civic app files through Open311; Budi, Wati, Agus and Hadi carry the complaint through
the SOP with the JSON API; the app then sees it closed, with the answer, in Open311."""

import json

import pytest

from aduan.api.tokens import token_create
from aduan.open311.keys import key_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_official(client, user):
    secret = token_create(user=user, name="e2e", actor=user).secret

    def call(method, path, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        if method == "get":
            return client.get("/api/v1" + path, **headers)
        return client.post(
            "/api/v1" + path, json.dumps(body or {}), content_type="application/json", **headers
        )

    return call


def test_open311_in_the_sop_through_the_api_and_closed_with_the_answer_in_open311(
    client, sop_version, category, budi, wati, agus, hadi
):
    _key, api_key = key_create(name="Aplikasi Warga")
    posted = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": category.code,
            "description": "KTP-el belum jadi\nSudah tiga minggu menunggu.",
            "email": "sari@example.test",
            "first_name": "Sari",
            "attribute[public]": "true",
        },
    )
    assert posted.status_code in (200, 201), posted.content
    code = posted.json()[0]["service_request_id"]
    seen = client.get(f"/open311/v2/requests/{code}.json").json()[0]
    assert seen["status"] == "open"

    staff, kasi = as_official(client, budi), as_official(client, wati)
    kabid, kadis = as_official(client, agus), as_official(client, hadi)
    [item] = staff("get", "/inbox").json()["items"]
    complaint_id, step_id = item["id"], item["step_id"]
    answer = "KTP-el Ibu sudah dicetak dan dapat diambil di loket 2."
    assert (
        staff(
            "post", f"/desk/complaints/{complaint_id}/draft", {"kind": "answer", "body": answer}
        ).status_code
        == 201
    )
    for official in (staff, kasi, kabid, kadis, staff):
        moved = official("post", f"/desk/steps/{step_id}/decision", {"decision": "approve"})
        assert moved.status_code == 200, moved.content
        step_id = moved.json()["open_step_id"]
    assert step_id is None  # the answer was sent

    closed = client.get(f"/open311/v2/requests/{code}.json").json()[0]
    assert closed["status"] == "closed"
    assert answer in closed["service_notice"]
    assert "Sari" not in json.dumps(closed) and "sari@example.test" not in json.dumps(closed)


def test_officials_see_that_a_complaints_description_and_answer_are_public(
    client, sop_version, category, budi
):
    _key, api_key = key_create(name="Aplikasi Warga")
    client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": category.code,
            "description": "Lampu antrean mati.",
            "email": "sari@example.test",
            "attribute[public]": "true",
        },
    )
    from aduan.complaints.models import Complaint

    complaint = Complaint.objects.get()
    client.force_login(budi)
    page = client.get(f"/meja/pengaduan/{complaint.pk}/").content.decode()
    assert "ditampilkan publik melalui Open311" in page
