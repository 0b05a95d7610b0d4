"""Anyone reads the service requests: their state, never the complainant."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from aduan.complaints.models import Category, Complaint, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.desk.services import desk_decide, draft_save, info_request


def answer(complaint, budi, wati, agus, hadi, body="KTP-el Anda sudah jadi, ambil di loket 2."):
    assert draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body=body)
    for actor in (budi, wati, agus, hadi, budi):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=actor, decision="approve")
    complaint.refresh_from_db()
    return complaint


def filed(post_request, **fields) -> Complaint:
    response = post_request(**fields)
    assert response.status_code == 200, response.content
    return Complaint.objects.get(tracking_code=response.json()[0]["service_request_id"])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def to_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def listed(client, **params) -> list[dict]:
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_new_request_is_open_at_the_first_step_with_its_due_time(client, post_request, schemas):
    complaint = filed(post_request)
    body = listed(client)
    schemas("requests.json", body)
    (item,) = body
    schemas("request.json", item)
    step = ComplaintStep.objects.get(complaint=complaint)
    assert item["service_request_id"] == complaint.tracking_code
    assert item["status"] == "open"
    assert item["status_notes"] == (
        "Memverifikasi permasalahan dan membuat konsep jawaban pengaduan online (Staf)"
    )
    assert item["service_code"] == "ktp-el" and item["service_name"] == "KTP-el"
    assert item["agency_responsible"] == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    assert at(item["expected_datetime"]) == to_second(step.due_at)
    assert at(item["requested_datetime"]) == to_second(complaint.received_at)
    assert item["media_url"] is None


def test_status_notes_are_indonesian_whatever_the_language_asked(client, post_request):
    filed(post_request)
    body = client.get("/open311/v2/requests.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body[0]["status_notes"].startswith("Memverifikasi")


def test_the_complainant_never_appears(client, post_request):
    filed(post_request, **{"attribute[nik]": "3576014403910003", "attribute[public]": "true"})
    for fmt in ("json", "xml"):
        text = client.get(f"/open311/v2/requests.{fmt}").content.decode()
        for secret in ("Sari", "Wulandari", "sari@example.id", "81234567890", "3576014403910003"):
            assert secret not in text


def test_the_description_is_shown_only_when_the_complainant_chose_so(client, post_request):
    private = filed(post_request, description="Rahasia saya")
    public = filed(
        post_request,
        description="Antrean loket 3 lama sekali",
        **{"attribute[public]": "true"},
    )
    by_code = {item["service_request_id"]: item for item in listed(client)}
    assert by_code[private.tracking_code]["description"] is None
    assert by_code[public.tracking_code]["description"] == "Antrean loket 3 lama sekali"


def test_a_public_description_has_names_and_contacts_hidden(client, post_request):
    filed(
        post_request,
        description="Saya Sari Wulandari, hubungi 0812-3456-7890 atau sari@example.id. "
        "NIK 3576014403910003. Datang 12-03-2026.",
        **{"attribute[public]": "true"},
    )
    (item,) = listed(client)
    assert item["description"] == "Saya ***, hubungi *** atau ***. NIK ***. Datang 12-03-2026."


def test_a_web_complaint_is_listed_without_its_description(client, complaint_of_sari):
    (item,) = listed(client)
    assert item["service_request_id"] == complaint_of_sari.tracking_code
    assert item["description"] is None


def test_a_confidential_complaint_is_never_listed_nor_found(client, post_request):
    hidden = filed(post_request, **{"attribute[confidential]": "true"})
    assert listed(client) == []
    assert listed(client, service_request_id=hidden.tracking_code) == []
    response = client.get(f"/open311/v2/requests/{hidden.tracking_code}.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_one_request_by_its_id_in_json_and_xml(client, post_request, schemas):
    complaint = filed(post_request)
    body = client.get(f"/open311/v2/requests/{complaint.tracking_code}.json").json()
    schemas("requests.json", body)
    assert body[0]["service_request_id"] == complaint.tracking_code
    root = ET.fromstring(client.get(f"/open311/v2/requests/{complaint.tracking_code}.xml").content)
    assert root.tag == "service_requests"
    assert root.findtext("request/status") == "open"
    assert root.find("request/description").text is None


def test_an_unknown_request_is_a_404(client, db):
    for code in ("ADU-0000-0000", "junk"):
        response = client.get(f"/open311/v2/requests/{code}.xml")
        assert response.status_code == 404
        assert ET.fromstring(response.content).findtext("error/code") == "404"


def test_an_answered_request_is_closed_with_the_public_answer(
    client, post_request, budi, wati, agus, hadi, schemas
):
    public = filed(post_request, **{"attribute[public]": "true"})
    private = filed(post_request)
    answer(public, budi, wati, agus, hadi, body="Yth. Sari Wulandari, KTP-el sudah jadi.")
    answer(private, budi, wati, agus, hadi)
    body = listed(client)
    schemas("requests.json", body)
    by_code = {item["service_request_id"]: item for item in body}
    shown = by_code[public.tracking_code]
    assert shown["status"] == "closed" and shown["status_notes"] == "Dijawab"
    assert shown["service_notice"] == "Yth. ***, KTP-el sudah jadi."
    assert shown["expected_datetime"] is None
    assert at(shown["updated_datetime"]) == to_second(public.closed_at)
    kept = by_code[private.tracking_code]
    assert kept["status"] == "closed"
    assert "loket 2" not in kept["service_notice"]


def test_a_request_waiting_for_the_citizen_says_so(client, post_request, budi):
    complaint = filed(post_request)
    assert info_request(complaint_id=complaint.pk, actor=budi, body="Kirim foto KK.")
    (item,) = listed(client)
    assert item["status"] == "open"
    assert item["status_notes"] == "Menunggu keterangan tambahan dari pelapor"
    assert "foto KK" not in str(item)


def test_filters_by_status_service_and_id(client, post_request, budi, wati, agus, hadi, category):
    akta = Category.objects.create(code="akta", name="Akta kelahiran")
    first = filed(post_request)
    second = filed(post_request, service_code="akta")
    answer(first, budi, wati, agus, hadi)

    def codes(**params):
        return {item["service_request_id"] for item in listed(client, **params)}

    assert codes(status="closed") == {first.tracking_code}
    assert codes(status="open") == {second.tracking_code}
    assert codes(status="open,closed") == {first.tracking_code, second.tracking_code}
    assert codes(service_code=akta.code) == {second.tracking_code}
    assert codes(service_code="ktp-el,akta") == {first.tracking_code, second.tracking_code}
    assert codes(service_request_id=f"{first.tracking_code},ADU-0000-0000") == {first.tracking_code}


def test_the_last_90_days_by_default_and_dates_filter(client, sop_version, category):
    import time_machine

    old_day = timezone.now() - timedelta(days=120)
    with time_machine.travel(old_day, tick=False):
        old = complaint_register(
            category=category, subject="Lama", description="Lama", email="a@example.id"
        )
    new = complaint_register(
        category=category, subject="Baru", description="Baru", email="b@example.id"
    )

    def codes(**params):
        return {item["service_request_id"] for item in listed(client, **params)}

    assert codes() == {new.tracking_code}
    day = timezone.localtime(old_day).date()
    assert codes(start_date=str(day), end_date=str(day)) == {old.tracking_code}
    start = (old_day - timedelta(hours=1)).isoformat()
    assert codes(start_date=start) == {old.tracking_code, new.tracking_code}
    end = (old_day + timedelta(days=1)).isoformat()
    assert codes(end_date=end) == {old.tracking_code}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start_date": "kemarin"}, "start_date"),
        ({"end_date": "2026-13-45"}, "end_date"),
        ({"start_date": "0001-01-01T00:00:00"}, "start_date"),
        ({"start_date": "2026-02-01", "end_date": "2026-01-01"}, "start_date"),
        ({"status": "pending"}, "status"),
    ],
)
def test_bad_filters_get_a_400_naming_them(client, db, params, field):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(f"{field}: ")


def test_citizen_typed_markup_stays_text_in_xml(client, post_request):
    filed(
        post_request,
        description="<script>alert(1)</script> & \x01 Tom & Jerry",
        **{"attribute[public]": "true"},
    )
    response = client.get("/open311/v2/requests.xml")
    assert b"<script>" not in response.content
    root = ET.fromstring(response.content)
    assert root.findtext("request/description") == "<script>alert(1)</script> &  Tom & Jerry"
    json_body = client.get("/open311/v2/requests.json").json()
    assert json_body[0]["description"].startswith("<script>alert(1)</script> &")


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_takes_a_bounded_number_of_queries(
    client, sop_version, category, count, django_assert_max_num_queries
):
    for index in range(count):
        complaint_register(
            category=category,
            subject=f"Nomor {index}",
            description="Uraian",
            email=f"warga{index}@example.id",
        )
    with django_assert_max_num_queries(5):
        body = listed(client)
    assert len(body) == count
    with django_assert_max_num_queries(4):
        client.get(f"/open311/v2/requests/{body[0]['service_request_id']}.xml")
    for index in range(count):
        Category.objects.create(code=f"layanan-{index}", name=f"Layanan {index}")
    with django_assert_max_num_queries(1):
        assert client.get("/open311/v2/services.xml").status_code == 200


def test_a_withdrawn_request_is_closed_as_ditarik(client, post_request):
    complaint = filed(post_request)
    ComplaintStep.objects.filter(complaint=complaint).update(decided_at=timezone.now())
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.WITHDRAWN, current_step="", closed_at=timezone.now()
    )
    (item,) = listed(client)
    assert (item["status"], item["status_notes"]) == ("closed", "Ditarik")
    assert item["expected_datetime"] is None
