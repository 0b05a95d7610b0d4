"""The complaint page's documents box: the complete record, and the answer letter."""

import pytest
from django.urls import NoReverseMatch, reverse

from aduan.complaints.models import Complaint
from aduan.desk.tests.conftest import page_text
from aduan.papers.models import AnswerLetter
from aduan.papers.tests.record_setup import carry_to_answer


def complaint_page(client, user, complaint):
    client.force_login(user)
    return client.get(reverse("desk:complaint", args=[complaint.pk]))


def test_the_complaint_page_offers_the_complete_record(client, complaint_of_sari, wati):
    response = complaint_page(client, wati, complaint_of_sari)
    assert "Cetak lembar pengaduan (PDF)" in page_text(response)
    assert (
        reverse("records:complaint_pdf", args=[complaint_of_sari.pk]) in response.content.decode()
    )
    assert "Surat jawaban (PDF)" not in page_text(response)


def test_an_answered_complaint_links_its_answer_letter(
    client, complaint_of_sari, budi, wati, agus, hadi, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    carry_to_answer(complaint_of_sari, budi=budi, wati=wati, agus=agus, hadi=hadi)
    letter = AnswerLetter.objects.filter(complaint=complaint_of_sari).first()
    if letter is None:
        pytest.skip("sending the answer does not issue an answer letter yet")
    try:
        url = reverse("letters:desk_pdf", args=[letter.pk])
    except NoReverseMatch:
        pytest.skip("the letters:desk_pdf page does not exist yet")
    response = complaint_page(client, wati, Complaint.objects.get(pk=complaint_of_sari.pk))
    text = page_text(response)
    assert "Surat jawaban (PDF)" in text and letter.number in text
    assert url in response.content.decode()


@pytest.mark.parametrize("returns", [1, 6])
def test_an_answered_complaint_page_reads_in_a_fixed_number_of_queries(
    client,
    complaint_of_sari,
    budi,
    wati,
    agus,
    hadi,
    settings,
    tmp_path,
    django_assert_max_num_queries,
    returns,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    carry_to_answer(complaint_of_sari, budi=budi, wati=wati, agus=agus, hadi=hadi, returns=returns)
    client.force_login(wati)
    # the complaint page's twelve (aduan/desk/tests/test_complaint_page.py) and the letter
    with django_assert_max_num_queries(13):
        response = client.get(reverse("desk:complaint", args=[complaint_of_sari.pk]))
    assert "Cetak lembar pengaduan (PDF)" in page_text(response)
