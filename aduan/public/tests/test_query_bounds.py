"""Every citizen page makes a small, fixed number of database queries (slow links, cheap
hosting): however many files, steps and messages a complaint has."""

from aduan.complaints.models import ComplaintStep
from aduan.desk.services import desk_decide, draft_save, info_request
from aduan.public.tests.conftest import png_bytes, upload


def test_the_form_pages_are_bounded(sari, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        sari.client.get("/lapor/")
    with django_assert_max_num_queries(20):  # five files stored: one insert each
        sari.fill(subject="", files=[upload(f"foto-{n}.png", png_bytes()) for n in range(5)])
    with django_assert_max_num_queries(4):
        sari.client.get("/lapor/")
    with django_assert_max_num_queries(6):
        sari.fill()
    with django_assert_max_num_queries(4):
        sari.check_page()
    key = sari.key()
    # registration, five attachments, audit, the messages to the citizen and to officials,
    # the dashboard's running count of the day (its row made by the day's first complaint)
    with django_assert_max_num_queries(48):
        sari.send(key)
    with django_assert_max_num_queries(5):  # and the working calendar, for the due time
        sari.client.get("/lapor/terkirim/")
    with django_assert_max_num_queries(3):
        sari.send(key)  # the same key again


def test_the_tracking_pages_are_bounded_however_long_the_history(
    sari, filed, budi, wati, agus, hadi, django_assert_max_num_queries
):
    complaint, code, secret = filed
    sari.track(code, secret)
    for n in range(3):
        info_request(complaint_id=complaint.pk, actor=budi, body=f"Pertanyaan {n}")
        sari.client.post(f"/lacak/{code}/", {"body": f"Jawaban {n}"})
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Jawaban akhir.")
    for official in (budi, wati, agus, hadi, budi):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=official, decision="approve").ok
    with django_assert_max_num_queries(2):
        sari.client.get("/lacak/")
    with django_assert_max_num_queries(6):
        sari.client.post("/lacak/", {"code": code, "secret": secret})
    with django_assert_max_num_queries(6):
        sari.client.get(f"/lacak/{code}/{secret}/")
    with django_assert_max_num_queries(4):
        page = sari.client.get(f"/lacak/{code}/").content.decode()
    assert "Jawaban akhir." in page
    assert "Jawaban 2" in page
    with django_assert_max_num_queries(3):
        sari.client.get(f"/lacak/{code}/ZZZZZZZZ/")


def test_a_reply_is_bounded(sari, filed, budi, django_assert_max_num_queries):
    complaint, code, secret = filed
    sari.track(code, secret)
    info_request(complaint_id=complaint.pk, actor=budi, body="Mohon kirim nomor antrean.")
    # and, as the reply resumes the paused clock: the open step's and the complaint's rows
    # locked, the working calendar (2), the open step read and moved
    with django_assert_max_num_queries(17):
        sari.client.post(f"/lacak/{code}/", {"body": "Nomor antrean 17."})
    assert complaint.messages.filter(direction="in").count() == 1
