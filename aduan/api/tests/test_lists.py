"""Every list is paginated; every endpoint reads in a bounded number of queries, the same
for 3 complaints as for 30."""

import pytest

from aduan.complaints.services import complaint_register
from aduan.desk.services import draft_save

pytestmark = pytest.mark.django_db


def file_complaints(n, category):
    return [
        complaint_register(
            category=category,
            subject=f"Pengaduan {i}",
            description="Uraian.",
            name="Sari Wulandari",
            phone="+6281234567890",
        )
        for i in range(n)
    ]


def test_the_inbox_is_paginated(api, sop_version, category, budi):
    file_complaints(7, category)
    as_budi = api.as_(budi)
    first = as_budi.get("/inbox", {"page_size": 3}).json()
    last = as_budi.get("/inbox", {"page_size": 3, "page": 3}).json()
    beyond = as_budi.get("/inbox", {"page_size": 3, "page": 9}).json()
    assert (first["count"], first["pages"], len(first["items"])) == (7, 3, 3)
    assert len(last["items"]) == 1 and beyond["items"] == []
    assert first["items"][0]["subject"] == "Pengaduan 0"  # oldest first


def test_the_agenda_is_paginated_and_masks_the_anonymous(api, sop_version, category, wati):
    file_complaints(4, category)
    complaint_register(
        category=category,
        subject="Anonim",
        description="Uraian.",
        is_anonymous=True,
        email="x@contoh.id",
    )
    body = api.as_(wati).get("/agenda", {"page_size": 2, "page": 3}).json()
    assert body["count"] == 5 and body["pages"] == 3
    assert [r["complainant"] for r in body["items"]] == ["Anonim"]


@pytest.mark.parametrize("path", ["/inbox", "/agenda", "/categories"])
def test_a_list_reads_in_the_same_queries_for_3_and_30_rows(
    api, sop_version, category, budi, django_assert_max_num_queries, path
):
    as_budi = api.as_(budi)
    as_budi.get("/inbox")  # the token's last use written: not counted below
    file_complaints(3, category)
    with django_assert_max_num_queries(10) as few:
        assert as_budi.get(path, {"page_size": 100}).status_code == 200
    file_complaints(27, category)
    with django_assert_max_num_queries(10) as many:
        assert as_budi.get(path, {"page_size": 100}).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_complaints_detail_reads_in_the_same_queries_whatever_its_history(
    api, sop_version, category, budi, wati, django_assert_max_num_queries
):
    complaint = file_complaints(1, category)[0]
    as_wati = api.as_(wati)
    as_wati.get("/inbox")
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Satu.")
    with django_assert_max_num_queries(15) as few:
        assert as_wati.get(f"/desk/complaints/{complaint.pk}").status_code == 200
    for i in range(30):
        draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body=f"Versi {i}.")
    with django_assert_max_num_queries(15) as many:
        detail = as_wati.get(f"/desk/complaints/{complaint.pk}")
    assert len(detail.json()["drafts"]) == 31
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_status_reads_in_a_bounded_number_of_queries(
    api, complaint_of_sari, budi, django_assert_max_num_queries
):
    from aduan.desk.services import info_request

    for i in range(10):
        info_request(complaint_id=complaint_of_sari.pk, actor=budi, body=f"Pertanyaan {i}?")
    with django_assert_max_num_queries(8):
        response = api.get(
            f"/complaints/{complaint_of_sari.tracking_code}/status",
            HTTP_X_TRACKING_SECRET=complaint_of_sari.tracking_secret,
        )
    assert len(response.json()["messages"]) == 10
