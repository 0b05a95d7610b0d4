"""Every complaint, newest first, filtered by status and paginated."""

from django.urls import reverse

from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.desk.selectors import complaint_list

from .conftest import as_, page_text

ALL = reverse("desk:complaints")


def file_complaint(category, subject, **extra):
    return complaint_register(
        category=category,
        subject=subject,
        description="Uraian.",
        name="Sari Wulandari",
        phone="+6281234567890",
        **extra,
    )


def test_the_list_shows_every_complaint_with_its_step(client, wati, sop_version, category):
    file_complaint(category, "Pertama")
    file_complaint(category, "Kedua", is_confidential=True)
    text = page_text(as_(client, wati).get(ALL))
    assert text.index("Kedua") < text.index("Pertama")
    assert "2 pengaduan" in text
    assert "Memverifikasi permasalahan dan membuat konsep jawaban pengaduan online (Staf)" in text
    assert text.count("Sari Wulandari") == 1 and "Rahasia" in text


def test_the_status_filter(client, wati, sop_version, category):
    file_complaint(category, "Masih diproses")
    answered = file_complaint(category, "Sudah dijawab")
    Complaint.objects.filter(pk=answered.pk).update(status="answered", current_step="")
    as_(client, wati)
    text = page_text(client.get(ALL, {"status": "answered"}))
    assert "Sudah dijawab" in text and "Masih diproses" not in text
    text = page_text(client.get(ALL, {"status": "open"}))
    assert "Masih diproses" in text and "Sudah dijawab" not in text
    assert client.get(ALL, {"status": "<bogus>"}).status_code == 200


def test_the_list_is_paginated_and_keeps_the_filter(
    client, wati, sop_version, category, django_assert_max_num_queries
):
    for i in range(30):
        file_complaint(category, f"Nomor {i:02d}")
    as_(client, wati)
    # session, user, roles, count, page, SOP versions, the notices bell
    with django_assert_max_num_queries(7):
        response = client.get(ALL, {"status": "open"})
    text = page_text(response)
    assert "Nomor 29" in text and "Nomor 04" not in text
    assert 'href="?status=open&amp;page=2"' in response.content.decode()
    text = page_text(client.get(ALL, {"status": "open", "page": 2}))
    assert "Nomor 04" in text and "Nomor 29" not in text
    assert "Halaman 2 dari 2" in text


def test_the_selector_filters_by_status(sop_version, category):
    file_complaint(category, "Satu")
    assert complaint_list(status="answered").count() == 0
    assert complaint_list(status="").count() == 1
