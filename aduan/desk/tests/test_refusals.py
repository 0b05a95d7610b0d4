"""Every refusal is a plain message on the page (200 beside a field, 409 at the top), not a 500."""

from aduan.audit.models import AuditEvent
from aduan.complaints.models import ComplaintStep, Draft

from .conftest import as_, complaint_url, decide, open_step, page_text, save_draft


def to_kasi(client, complaint, budi):
    as_(client, budi)
    save_draft(client, complaint, "Konsep dari Budi.")
    assert decide(client, complaint, "approve:verify_kasi").status_code == 302


def test_kasi_cannot_decide_staffs_step(client, complaint_of_sari, wati):
    response = decide(as_(client, wati), complaint_of_sari, "approve:verify_kasi")
    assert response.status_code == 409
    assert "Langkah ini hanya dapat diputus oleh Staf." in page_text(response)
    assert open_step(complaint_of_sari).step == "draft"


def test_kasi_sees_no_actions_on_staffs_step(client, complaint_of_sari, wati):
    text = page_text(as_(client, wati).get(complaint_url(complaint_of_sari)))
    assert "Tindakan Anda" not in text
    assert "Langkah yang terbuka bukan untuk Anda putus." in text


def test_kasi_cannot_save_a_draft_on_staffs_step(client, complaint_of_sari, wati):
    response = save_draft(as_(client, wati), complaint_of_sari, "Konsep Wati.")
    assert response.status_code == 409
    assert "Anda tidak dapat bertindak pada langkah ini." in page_text(response)
    assert not Draft.objects.exists()


def test_a_decided_step_cannot_be_decided_again(client, complaint_of_sari, budi, wati):
    to_kasi(client, complaint_of_sari, budi)
    first = ComplaintStep.objects.get(complaint=complaint_of_sari, seq=1)
    response = decide(as_(client, budi), complaint_of_sari, "approve:verify_kasi", step_id=first.pk)
    assert response.status_code == 409
    assert "Langkah ini sudah diputus oleh Budi pada" in page_text(response)
    assert open_step(complaint_of_sari).step == "verify_kasi"


def test_kadis_cannot_skip_to_decide_the_kasis_step(client, complaint_of_sari, budi, hadi):
    to_kasi(client, complaint_of_sari, budi)
    response = decide(as_(client, hadi), complaint_of_sari, "approve:verify_kabid")
    assert response.status_code == 409
    assert "Langkah ini hanya dapat diputus oleh Kepala Seksi." in page_text(response)
    assert open_step(complaint_of_sari).step == "verify_kasi"


def test_a_decision_that_is_not_an_edge_of_the_step_is_refused(
    client, complaint_of_sari, budi, wati
):
    to_kasi(client, complaint_of_sari, budi)
    response = decide(as_(client, wati), complaint_of_sari, "approve:answer")
    assert response.status_code == 409
    assert "Keputusan ini tidak tersedia pada langkah ini." in page_text(response)


def test_a_step_of_another_complaint_is_refused(
    client, complaint_of_sari, budi, sop_version, category
):
    from aduan.complaints.services import complaint_register

    other = complaint_register(
        category=category,
        subject="Lain",
        description="Lain.",
        is_anonymous=True,
        phone="081234567890",
    )
    as_(client, budi)
    save_draft(client, other, "Konsep.")
    response = decide(client, complaint_of_sari, "approve:verify_kasi", step_id=open_step(other).pk)
    assert response.status_code == 409
    assert "Langkah ini tidak ditemukan pada pengaduan ini." in page_text(response)
    assert open_step(other).step == "draft"


def test_a_garbled_decision_is_refused_plainly(client, complaint_of_sari, budi):
    response = as_(client, budi).post(
        complaint_url(complaint_of_sari) + "keputusan/", {"step_id": "x", "edge": "<b>"}
    )
    assert response.status_code == 200
    assert "Keputusan ini tidak tersedia pada langkah ini." in page_text(response)


def test_one_person_may_not_decide_at_two_levels(client, complaint_of_sari, budi, rudi):
    to_kasi(client, complaint_of_sari, budi)
    as_(client, rudi)
    assert decide(client, complaint_of_sari, "approve:verify_kabid").status_code == 302
    assert "Tindakan Anda" not in page_text(client.get(complaint_url(complaint_of_sari)))
    response = decide(client, complaint_of_sari, "approve:approve_kadis")
    assert response.status_code == 409
    assert "satu orang tidak boleh memutus di dua tingkat" in page_text(response)
    assert open_step(complaint_of_sari).step == "verify_kabid"


def test_a_return_without_a_note_keeps_what_was_typed(client, complaint_of_sari, budi, wati):
    to_kasi(client, complaint_of_sari, budi)
    response = decide(as_(client, wati), complaint_of_sari, "return:draft", note="   ")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_note_error">Tuliskan catatan alasan pengembalian.</p>' in html
    # ... and at the top of the page, linked to the field
    assert '<a href="#id_note">Catatan: Tuliskan catatan alasan pengembalian.</a>' in html
    assert '<textarea name="note" cols="40" rows="3"' in html
    assert open_step(complaint_of_sari).step == "verify_kasi"
    assert not AuditEvent.objects.filter(action="step.return").exists()


def test_a_note_that_is_too_long_is_shown_beside_the_field(client, complaint_of_sari, budi, wati):
    to_kasi(client, complaint_of_sari, budi)
    response = decide(as_(client, wati), complaint_of_sari, "return:draft", note="x" * 20_001)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_note_error"' in html
    assert "x" * 20_001 + "</textarea>" in html  # what Wati typed is still there
    assert open_step(complaint_of_sari).step == "verify_kasi"


def test_staff_cannot_send_to_kasi_without_a_draft(client, complaint_of_sari, budi):
    response = decide(as_(client, budi), complaint_of_sari, "approve:verify_kasi")
    assert response.status_code == 409
    assert "Tulis konsep jawaban terlebih dahulu." in page_text(response)
    assert open_step(complaint_of_sari).step == "draft"


def test_an_empty_draft_is_refused_beside_the_field(client, complaint_of_sari, budi):
    response = save_draft(as_(client, budi), complaint_of_sari, "  \n ")
    assert response.status_code == 200
    assert 'id="draft_body_error">Tuliskan konsep jawaban.</p>' in response.content.decode()
    assert not Draft.objects.exists()


def test_a_draft_of_an_unknown_kind_is_refused(client, complaint_of_sari, budi):
    response = save_draft(as_(client, budi), complaint_of_sari, "Konsep.", kind="surat")
    assert response.status_code == 200
    assert 'id="draft_kind_error"' in response.content.decode()
    assert not Draft.objects.exists()


def test_kabid_cannot_edit_the_draft(client, complaint_of_sari, budi, wati, agus):
    to_kasi(client, complaint_of_sari, budi)
    as_(client, wati)
    decide(client, complaint_of_sari, "approve:verify_kabid")
    as_(client, agus)
    assert "Simpan konsep" not in page_text(client.get(complaint_url(complaint_of_sari)))
    response = save_draft(client, complaint_of_sari, "Konsep Agus.")
    assert response.status_code == 409
    assert "Konsep jawaban tidak dapat diubah pada langkah ini." in page_text(response)


def test_a_closed_complaint_takes_no_more_drafts(client, complaint_of_sari, budi, wati, agus, hadi):
    to_kasi(client, complaint_of_sari, budi)
    for person, edge in [
        (wati, "approve:verify_kabid"),
        (agus, "approve:approve_kadis"),
        (hadi, "approve:answer"),
        (budi, "approve:selesai"),
    ]:
        assert decide(as_(client, person), complaint_of_sari, edge).status_code == 302
    response = save_draft(client, complaint_of_sari, "Terlambat.")
    assert response.status_code == 409
    assert "Pengaduan ini sudah selesai." in page_text(response)


def test_get_is_not_allowed_on_actions(client, complaint_of_sari, budi):
    response = as_(client, budi).get(complaint_url(complaint_of_sari) + "keputusan/")
    assert response.status_code == 405


def test_a_stale_page_is_refused_and_offers_the_step_open_now(
    client, complaint_of_sari, budi, wati
):
    to_kasi(client, complaint_of_sari, budi)
    first_round = open_step(complaint_of_sari)
    as_(client, wati)
    decide(client, complaint_of_sari, "return:draft", note="Ulangi.")
    to_kasi(client, complaint_of_sari, budi)
    as_(client, wati)
    response = decide(
        client, complaint_of_sari, "approve:verify_kabid", note="Baik.", step_id=first_round.pk
    )
    assert response.status_code == 409
    assert "Langkah ini sudah diputus oleh Wati pada" in page_text(response)
    html = response.content.decode()
    assert f'name="step_id" value="{open_step(complaint_of_sari).pk}"' in html
    assert ">\nBaik.</textarea>" in html  # her note is kept
