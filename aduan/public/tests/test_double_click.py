"""Sari's thumb presses "Kirim pengaduan" twice: two requests at the same instant, on real
concurrent database connections, make one complaint and one confirmation."""

import pytest
from django.test import Client

from aduan.complaints.models import Category, Complaint
from aduan.lib.codes import tracking_matches
from aduan.public.tests.conftest import png_bytes, upload
from conftest import run_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(*calls):
    return run_at_once(*calls)


@pytest.mark.parametrize("round_", range(3))
def test_two_clicks_at_the_same_instant_make_one_complaint_and_one_confirmation(
    sop_version, sari_answers, round_
):
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    sari = Client()
    sari.post(
        "/lapor/",
        {**sari_answers, "category": category.pk, "lampiran": [upload("ktp.png", png_bytes())]},
    )
    key = sari.session["lapor"]["key"]
    thumbs = []
    for _click in range(2):
        thumb = Client()
        thumb.cookies = sari.cookies  # the same browser: the same session
        thumbs.append(thumb)
    responses = at_once(*(lambda t=t: t.post("/lapor/periksa/", {"kunci": key}) for t in thumbs))
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {"/lapor/terkirim/"}

    complaint = Complaint.objects.get()
    assert complaint.attachments.count() == 1
    page = sari.get("/lapor/terkirim/").content.decode()
    assert complaint.tracking_code in page
    secret = page.split('id="kode-rahasia">')[1].split("<")[0]
    assert tracking_matches(complaint.tracking_code, secret, complaint.tracking_digest)
