"""An admin words each message in each language, with a preview; a typo in a value's name
is refused beside the field."""

import pytest

from aduan.accounts.models import User
from aduan.audit.models import AuditEvent
from aduan.notify.models import MessageText

pytestmark = pytest.mark.django_db
ADD = "/admin/notify/messagetext/add/"


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("admin", "admin@example.test", "x-long-password")
    client.force_login(admin)
    return client


def test_an_admin_saves_a_wording_and_sees_it_previewed(admin_client):
    response = admin_client.post(
        ADD,
        {
            "kind": "received",
            "language": "id",
            "subject": "Diterima: {kode_lacak}",
            "body": "Pengaduan {perihal} diterima. {tautan}",
        },
    )
    assert response.status_code == 302
    text = MessageText.objects.get()
    page = admin_client.get(f"/admin/notify/messagetext/{text.pk}/change/").content.decode()
    assert "Diterima: ADU-7K3M-Q9TX" in page  # the preview, with example values
    assert "Pengaduan KTP-el belum jadi diterima." in page
    assert AuditEvent.objects.filter(action="message_text.changed").exists()


def test_an_unknown_value_is_refused_beside_the_field(admin_client):
    response = admin_client.post(
        ADD,
        {"kind": "received", "language": "id", "subject": "Halo {nama}", "body": "{tautan}"},
    )
    assert response.status_code == 200
    assert "Nilai tidak dikenal: nama" in response.content.decode()
    assert not MessageText.objects.exists()
