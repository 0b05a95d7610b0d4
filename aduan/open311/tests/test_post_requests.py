"""A client with an API key files a complaint by POSTing a service request."""

import xml.etree.ElementTree as ET

import pytest
from jsonschema import ValidationError

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.open311.keys import key_named, key_revoke
from aduan.open311.models import Open311Request


def test_the_schemas_catch_a_wrong_answer(schemas):
    with pytest.raises(ValidationError):
        schemas("requests.json", [{"service_request_id": "x", "status": "pending"}])


def test_sari_files_a_complaint_and_gets_its_tracking_code(post_request, schemas):
    response = post_request()
    assert response.status_code == 200
    body = response.json()
    schemas("#/definitions/RequestResponse", body[0])
    complaint = Complaint.objects.get()
    assert body == [
        {"service_request_id": complaint.tracking_code, "service_notice": body[0]["service_notice"]}
    ]
    assert complaint.channel == Complaint.Channel.OPEN311
    assert complaint.subject == "KTP-el saya belum jadi"
    assert complaint.description.endswith("Sudah tiga minggu menunggu di loket.")
    assert (complaint.name, complaint.email) == ("Sari Wulandari", "sari@example.id")
    assert complaint.phone == "+6281234567890"
    assert complaint.current_step == "draft"
    received = Open311Request.objects.get(complaint=complaint)
    assert received.key.name == "Aplikasi Mojokerto" and not received.description_public
    assert AuditEvent.objects.filter(action="complaint.registered").count() == 1
    assert AuditEvent.objects.filter(action="open311.request_received").count() == 1


def test_the_answer_never_carries_the_tracking_secret(post_request):
    body = post_request().content.decode()
    assert "secret" not in body and "token" not in body


def test_a_request_in_xml_answers_in_xml(post_request):
    response = post_request("xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == Complaint.objects.get().tracking_code


def test_without_a_name_the_complaint_is_anonymous(post_request):
    assert post_request(first_name=None, last_name=None).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous and complaint.name == ""


def test_attribute_public_makes_the_description_public(post_request):
    post_request(**{"attribute[public]": "true"})
    assert Open311Request.objects.get().description_public


def test_a_confidential_complaint_is_never_public(post_request):
    post_request(**{"attribute[public]": "true", "attribute[confidential]": "true"})
    complaint = Complaint.objects.get()
    assert complaint.is_confidential and not complaint.open311_request.description_public


def test_location_fields_are_accepted_and_ignored(post_request):
    response = post_request(lat="-7.47", long="112.43", address_string="Jl. Majapahit 1")
    assert response.status_code == 200


def test_a_long_first_line_makes_a_subject_of_200_characters(post_request):
    post_request(description="panjang " * 60)
    subject = Complaint.objects.get().subject
    assert len(subject) == 200 and subject.endswith("…")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "parkir"}, "service_code"),
        ({"description": None}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"email": "bukan-surel"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"email": None, "phone": None}, "email/phone"),
        ({"attribute[nik]": "123"}, "attribute[nik]"),
        ({"attribute[public]": "mungkin"}, "attribute[public]"),
        ({"first_name": "x" * 300}, "first_name"),
    ],
)
def test_a_bad_request_gets_a_400_naming_the_field(post_request, fields, field):
    response = post_request(**fields)
    assert response.status_code == 400
    errors = response.json()
    assert all(e["code"] == 400 for e in errors)
    assert any(e["description"].startswith(f"{field}: ") for e in errors), errors
    assert not Complaint.objects.exists()


def test_a_bad_request_in_xml_gets_the_errors_in_xml(post_request):
    response = post_request("xml", description=None)
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"
    assert root.findtext("error/description").startswith("description: ")


@pytest.mark.parametrize("api_key", [None, "", "salah", "x" * 5000])
def test_a_missing_or_wrong_key_gets_a_403(post_request, api_key):
    response = post_request(api_key=api_key)
    assert response.status_code == 403
    (error,) = response.json()
    assert error["code"] == 403 and "api_key" in error["description"]
    assert not Complaint.objects.exists()


def test_a_revoked_key_gets_a_403(post_request):
    key_revoke(key=key_named(name_or_prefix="Aplikasi Mojokerto"))
    response = post_request()
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403


def test_the_key_may_also_come_in_the_query_string(client, post_request, mobile_app_key):
    response = post_request(api_key=None)
    assert response.status_code == 403
    response = client.post(
        f"/open311/v2/requests.json?api_key={mobile_app_key}",
        {"service_code": "ktp-el", "description": "Uraian", "email": "sari@example.id"},
    )
    assert response.status_code == 200


def test_the_key_notes_its_last_use(post_request):
    post_request()
    assert key_named(name_or_prefix="Aplikasi Mojokerto").last_used_at is not None


def test_multipart_is_accepted_too(client, sop_version, category, mobile_app_key):
    from django.test.client import MULTIPART_CONTENT

    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": mobile_app_key,
            "service_code": category.code,
            "description": "Akta kelahiran salah ketik",
            "email": "sari@example.id",
        },
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 200
