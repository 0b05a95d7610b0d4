"""Budi registers complaints that reach the office by walk-in, phone or letter."""

from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.lib.codes import tracking_matches

from .conftest import as_, page_text

NEW = reverse("desk:complaint_new")


def walk_in(category_, **changes):
    data = {
        "channel": "walk_in",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
        "email": "",
        "nik": "",
        "category": category_.pk,
        "subject": "KTP-el belum jadi",
        "description": "Datang ke loket, KTP-el belum jadi sejak bulan lalu.",
    }
    data.update(changes)
    return data


def test_the_form_offers_only_offline_channels(client, budi, sop_version, category):
    html = as_(client, budi).get(NEW).content.decode()
    for value in ("walk_in", "phone", "email", "whatsapp", "lapor"):
        assert f'value="{value}"' in html
    for value in ("web", "api", "open311"):
        assert f'value="{value}"' not in html


def test_a_walk_in_complaint_is_registered_and_the_codes_shown_once(
    client, budi, sop_version, category
):
    as_(client, budi)
    response = client.post(NEW, walk_in(category))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("desk:complaint", args=[complaint.pk])
    assert (complaint.channel, complaint.registered_by) == ("walk_in", budi)
    assert complaint.phone == "+6281234567890"
    assert complaint.current_step == "draft"

    text = page_text(client.get(response.url))
    assert f"Pengaduan tercatat dengan nomor agenda {complaint.agenda_number}." in text
    assert "Serahkan kepada pelapor" in text
    code = text.split("Kode lacak ")[1].split()[0]
    secret = text.split("Kode rahasia ")[1].split()[0]
    assert code == complaint.tracking_code
    assert tracking_matches(code, secret, complaint.tracking_digest)
    assert "Datang langsung (dicatat oleh Budi)" in text

    again = page_text(client.get(response.url))
    assert "Serahkan kepada pelapor" not in again and secret not in again
    event = AuditEvent.objects.get(action="complaint.registered")
    assert (event.actor, event.data["channel"]) == (budi, "walk_in")


def test_the_complaint_waits_in_staffs_inbox(client, budi, sop_version, category):
    as_(client, budi)
    client.post(NEW, walk_in(category, channel="phone", subject="Lewat telepon"))
    assert "Lewat telepon" in page_text(client.get(reverse("desk:inbox")))


def test_every_missing_field_is_named_beside_it(client, budi, sop_version, category):
    response = as_(client, budi).post(NEW, {})
    assert response.status_code == 200
    html = response.content.decode()
    for field, message in [
        ("channel", "Pilih saluran penerimaan pengaduan."),
        ("category", "Pilih jenis layanan yang diadukan."),
        ("subject", "Tuliskan perihal pengaduan."),
        ("description", "Tuliskan uraian pengaduan Anda."),
        ("name", "Tuliskan nama Anda, atau pilih kirim sebagai anonim."),
        ("phone", "Isi nomor telepon atau alamat surel agar kami dapat mengirim jawaban."),
    ]:
        assert f'<p class="error" id="id_{field}_error">{message}</p>' in html
        assert f'<a href="#id_{field}">' in html  # the error summary links to the field
    assert not Complaint.objects.exists()


def test_bad_values_are_named_and_what_was_typed_is_kept(client, budi, sop_version, category):
    response = as_(client, budi).post(
        NEW,
        walk_in(
            category,
            channel="web",
            phone="12345",
            email="bukan-surel",
            nik="1234",
            category="999",
            subject="x" * 201,
            description="y" * 5001,
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("channel", "phone", "email", "nik", "category", "subject", "description"):
        assert f'id="id_{field}_error"' in html, field
    text = page_text(response)
    assert "Pilih saluran dari daftar." in text
    assert "NIK terdiri dari 16 angka; yang Anda tulis 4 angka." in text
    assert "Tulis alamat surel yang benar, misalnya nama@contoh.id." in text
    assert "Perihal paling banyak 200 karakter." in text
    assert 'value="bukan-surel"' in html
    assert not Complaint.objects.exists()


def test_script_in_the_form_is_kept_as_text(client, budi, sop_version, category):
    as_(client, budi)
    response = client.post(
        NEW,
        walk_in(
            category,
            name="<script>alert(1)</script>",
            subject="<b onmouseover=alert(2)>Perihal</b>",
            description="<script>alert(3)</script>",
        ),
    )
    assert response.status_code == 302
    for url in (response.url, reverse("desk:inbox"), reverse("desk:complaints")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b onmouseover" not in html, url
        assert "&lt;b onmouseover=alert(2)&gt;Perihal&lt;/b&gt;" in html, url


def test_an_anonymous_walk_in_needs_no_name(client, budi, sop_version, category):
    as_(client, budi)
    response = client.post(NEW, walk_in(category, name="", is_anonymous="on"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.display_name == "Anonim"


def test_without_an_sop_in_force_the_form_says_so(client, budi, category):
    response = as_(client, budi).post(NEW, walk_in(category))
    assert response.status_code == 503
    assert "Belum ada SOP yang berlaku" in page_text(response)
    assert not Complaint.objects.exists()
