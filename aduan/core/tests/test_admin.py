"""The administrator can see officials, complaints, SOP versions and the audit log."""

import pytest

from aduan.accounts.models import User


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("admin", "admin@example.test", "x-long-password")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/complaints/complaint/",
        "/admin/complaints/category/",
        "/admin/sop/sopversion/",
        "/admin/audit/auditevent/",
    ],
)
def test_admin_lists_open(admin_client, complaint_of_sari, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get(url).status_code == 200


def test_a_complaint_shows_its_steps_but_cannot_be_edited_in_the_admin(
    admin_client, complaint_of_sari
):
    url = f"/admin/complaints/complaint/{complaint_of_sari.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "KTP-el belum jadi" in page and "draft" in page
    response = admin_client.post(url, {"subject": "diubah"})
    assert response.status_code == 403
    complaint_of_sari.refresh_from_db()
    assert complaint_of_sari.subject == "KTP-el belum jadi"
