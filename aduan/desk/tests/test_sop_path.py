"""Each official walks Sari's complaint through the SOP at the desk, returns included."""

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, Draft

from .conftest import as_, complaint_url, decide, open_step, page_text, save_draft


def test_every_role_takes_its_turn_and_the_last_draft_is_sent(
    client, complaint_of_sari, budi, wati, agus, hadi
):
    sari = complaint_of_sari

    # Budi drafts and sends it to the Kasi.
    page = as_(client, budi).get(complaint_url(sari))
    assert "Tulis konsep jawaban" in page_text(page)
    response = save_draft(client, sari, "KTP-el Ibu sudah dicetak.")
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    response = decide(client, sari, "approve:verify_kasi")
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Pengaduan kini menunggu Kepala Seksi" in page_text(page)
    assert open_step(sari).step == "verify_kasi"

    # Wati returns it with a note; it goes back to Budi.
    page = as_(client, wati).get(complaint_url(sari))
    assert "Kembalikan ke Staf" in page_text(page)
    response = decide(client, sari, "return:draft", note="Sebutkan tempat pengambilan.")
    assert response.status_code == 302
    assert open_step(sari).step == "draft"

    # Budi sees why, revises, and sends it up again.
    page = as_(client, budi).get(complaint_url(sari))
    text = page_text(page)
    assert "Dikembalikan oleh Wati" in text and "Sebutkan tempat pengambilan." in text
    assert "KTP-el Ibu sudah dicetak." in page.content.decode()  # the textarea is prefilled
    save_draft(client, sari, "KTP-el Ibu sudah dicetak; ambil di loket 3.")
    decide(client, sari, "approve:verify_kasi")

    # Wati approves; Agus returns it to Wati.
    as_(client, wati)
    assert decide(client, sari, "approve:verify_kabid").status_code == 302
    as_(client, agus)
    page = client.get(complaint_url(sari))
    assert "Kembalikan ke Kasi" in page_text(page)
    assert (
        decide(client, sari, "return:verify_kasi", note="Cantumkan jam layanan.").status_code == 302
    )
    assert open_step(sari).step == "verify_kasi"

    # Wati revises the draft herself and sends it up again.
    as_(client, wati)
    page = client.get(complaint_url(sari))
    assert "Perbaiki konsep jawaban" in page_text(page)
    final = "KTP-el Ibu sudah dicetak; ambil di loket 3, Senin–Jumat 08.00–15.00."
    assert save_draft(client, sari, final).status_code == 302
    assert decide(client, sari, "approve:verify_kabid").status_code == 302

    # Agus approves, Hadi approves, Budi sends the answer.
    as_(client, agus)
    assert decide(client, sari, "approve:approve_kadis").status_code == 302
    as_(client, hadi)
    assert "Setujui" in page_text(client.get(complaint_url(sari)))
    assert decide(client, sari, "approve:answer").status_code == 302
    as_(client, budi)
    page = client.get(complaint_url(sari))
    text = page_text(page)
    assert "Jawaban yang akan dikirim" in text and final in text
    response = decide(client, sari, "approve:selesai")
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Jawaban terkirim kepada pelapor; pengaduan selesai." in page_text(page)

    sari.refresh_from_db()
    assert sari.status == Complaint.Status.ANSWERED
    assert sari.answer_text == final
    assert sari.answer_text == Draft.objects.filter(complaint=sari).order_by("-seq")[0].body
    steps = list(sari.steps.order_by("seq").values_list("step", "decision", "decided_by__username"))
    assert steps == [
        ("draft", "approve", "budi"),
        ("verify_kasi", "return", "wati"),
        ("draft", "approve", "budi"),
        ("verify_kasi", "approve", "wati"),
        ("verify_kabid", "return", "agus"),
        ("verify_kasi", "approve", "wati"),
        ("verify_kabid", "approve", "agus"),
        ("approve_kadis", "approve", "hadi"),
        ("answer", "approve", "budi"),
    ]
    drafts = list(
        Draft.objects.filter(complaint=sari).values_list("author__username", "step__step")
    )
    assert drafts == [("budi", "draft"), ("budi", "draft"), ("wati", "verify_kasi")]
    assert AuditEvent.objects.filter(complaint_id=sari.pk, action="answer.sent").count() == 1


def test_the_answered_complaint_shows_its_history_and_no_actions(
    client, complaint_of_sari, budi, wati, agus, hadi
):
    sari = complaint_of_sari
    as_(client, budi)
    save_draft(client, sari, "Jawaban.")
    decide(client, sari, "approve:verify_kasi")
    for person, edge in [
        (wati, "approve:verify_kabid"),
        (agus, "approve:approve_kadis"),
        (hadi, "approve:answer"),
        (budi, "approve:selesai"),
    ]:
        as_(client, person)
        assert decide(client, sari, edge).status_code == 302
    page = as_(client, wati).get(complaint_url(sari))
    text = page_text(page)
    assert "Jawaban yang dikirim" in text
    assert "Tindakan Anda" not in text
    assert "Setujui dan teruskan ke Kabid" in text  # Wati's decision in the timeline


def test_the_kasi_may_return_to_staff_after_a_kabid_return(
    client, complaint_of_sari, budi, wati, agus
):
    sari = complaint_of_sari
    as_(client, budi)
    save_draft(client, sari, "Jawaban pertama.")
    decide(client, sari, "approve:verify_kasi")
    as_(client, wati)
    decide(client, sari, "approve:verify_kabid")
    as_(client, agus)
    decide(client, sari, "return:verify_kasi", note="Kurang lengkap.")
    as_(client, wati)
    response = decide(client, sari, "return:draft", note="Tolong lengkapi dasar hukumnya.")
    assert response.status_code == 302
    step = open_step(sari)
    assert (step.step, step.role) == ("draft", "staff")
