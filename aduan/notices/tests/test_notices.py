"""The desk's notices: a bell with the unread count on every desk page, and a page that lists
them and marks them read."""

import pytest
from django.urls import reverse

from aduan.desk.tests.conftest import as_, page_text
from aduan.notices.models import Notice
from aduan.notices.selectors import notice_unread_count
from aduan.sla.sweep import sla_sweep
from aduan.sla.tests.clock import WEDNESDAY_9, at, file_complaint

NOTICES = reverse("notices:list")
INBOX = reverse("desk:inbox")


@pytest.fixture
def budi_reminded(time_machine, sop_version, budi, wati):
    """Two complaints whose drafts reached 75% of their time: Budi has two reminders."""
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint("KTP-el belum jadi")
    file_complaint("KK belum dicetak")
    assert sla_sweep(now=at("2026-02-18 09:45")).notices == 2
    return budi


def test_the_bell_shows_the_unread_count_on_desk_pages(client, budi_reminded):
    text = page_text(as_(client, budi_reminded).get(INBOX))
    assert "Pemberitahuan 2 belum dibaca" in text


def test_the_bell_is_one_query(budi_reminded, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert notice_unread_count(user=budi_reminded) == 2


def test_an_official_without_notices_sees_zero(client, budi_reminded, wati):
    assert "Pemberitahuan 0 belum dibaca" in page_text(as_(client, wati).get(INBOX))


def test_the_page_lists_the_notices_with_their_complaints(client, budi_reminded):
    text = page_text(as_(client, budi_reminded).get(NOTICES))
    assert text.count("Pengingat: pengaduan") == 2
    assert "“KK belum dicetak”" in text and "“KTP-el belum jadi”" in text
    assert text.count("Baru") >= 2


def test_marking_all_read_empties_the_bell(client, budi_reminded):
    response = as_(client, budi_reminded).post(NOTICES)
    assert response.status_code == 302 and response.url == NOTICES
    assert notice_unread_count(user=budi_reminded) == 0
    text = page_text(client.get(NOTICES))
    assert "Pemberitahuan ditandai sudah dibaca." in text
    assert "Pemberitahuan 0 belum dibaca" in text


def test_marking_one_read_leaves_the_other(client, budi_reminded):
    first = Notice.objects.filter(recipient=budi_reminded).first()
    as_(client, budi_reminded).post(NOTICES, {"notice": first.pk})
    assert notice_unread_count(user=budi_reminded) == 1
    first.refresh_from_db()
    assert first.read_at is not None


def test_nobody_reads_or_marks_anothers_notices(client, budi_reminded, wati):
    theirs = Notice.objects.filter(recipient=budi_reminded).first()
    as_(client, wati)
    assert "Pengingat: pengaduan" not in page_text(client.get(NOTICES))
    client.post(NOTICES, {"notice": theirs.pk})
    client.post(NOTICES)
    assert notice_unread_count(user=budi_reminded) == 2


@pytest.mark.parametrize("junk", ["abc", "9" * 40, "-1", "1.5"])
def test_a_junk_notice_number_marks_nothing(client, budi_reminded, junk):
    response = as_(client, budi_reminded).post(NOTICES, {"notice": junk})
    assert response.status_code == 302
    assert notice_unread_count(user=budi_reminded) == 2


def test_the_page_is_for_officials_only(client, db):
    assert client.get(NOTICES).status_code == 302  # to the login page
