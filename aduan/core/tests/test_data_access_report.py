"""`manage.py data_access_report` (#9 point 12): from the audit log, whose personal data was
shown, downloaded or exported in a period, by whom and when, without repeating it.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi; Dimas
files a complaint with an email only, and someone files one anonymously.
"""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from aduan.accounts.selectors import office_today
from aduan.audit.models import AuditEvent
from aduan.desk.disclosure import attachment_open, personal_data_reveal
from aduan.papers.letters import letter_download
from aduan.papers.tests.agenda_setup import NOVEMBER, answered, at, book_url, content_of, received
from aduan.papers.tests.record_setup import sari_with_attachments

SARI_PHONE_DIGITS = "81234567890"
SARI_NIK = "3576014101900012"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sari(sop_version, category, media):
    """Sari's complaint (phone and NIK, two attachments)."""
    return sari_with_attachments(category)


def report(*args) -> str:
    out = io.StringIO()
    today = office_today().isoformat()
    call_command("data_access_report", "--from", today, "--to", today, *args, stdout=out)
    return out.getvalue()


def report_rows(*args) -> list[dict]:
    return list(csv.DictReader(io.StringIO(report("--format", "csv", *args))))


def test_each_look_at_a_complainant_is_listed_masked_with_who_and_when(sari, budi, wati):
    assert personal_data_reveal(complaint=sari, actor=budi).ok
    assert attachment_open(attachment=sari.attachments.first(), actor=wati).ok

    text = report()

    assert "2 accesses, 1 complaints touched" in text
    assert "budi" in text and "personal_data.viewed" in text
    assert "wati" in text and "attachment.viewed" in text
    assert sari.agenda_number in text and sari.tracking_code in text
    assert "S*** W***" in text
    # Whom to notify, without becoming a copy of their data.
    assert "Sari" not in text and "Wulandari" not in text
    assert SARI_PHONE_DIGITS not in text and SARI_NIK not in text
    rows = report_rows()
    assert [(r["actor"], r["action"], r["phone_given"], r["email_given"]) for r in rows] == [
        ("budi", "personal_data.viewed", "yes", "no"),
        ("wati", "attachment.viewed", "yes", "no"),
    ]
    assert rows[0]["nik_given"] == "yes"
    assert dt.datetime.fromisoformat(rows[0]["at"]).date() == office_today()


def test_an_agenda_export_touched_every_complaint_its_filters_selected(
    client, sop_version, category, budi
):
    sari = received(at(3), category, name="Sari Wulandari", phone="081234567890")
    dimas = received(at(4), category, name="Dimas Saputra", email="dimas@contoh.id")
    nobody = received(at(5), category, name="", is_anonymous=True)
    received(at(30, month=10), category, name="Oktober Orang", phone="081200000000")
    client.force_login(budi)

    content_of(client.get(book_url(**NOVEMBER, format="csv")))

    rows = report_rows()
    assert {r["action"] for r in rows} == {"agenda.exported"}
    assert [
        (r["agenda_number"], r["complainant_masked"], r["phone_given"], r["email_given"])
        for r in rows
    ] == [
        (sari.agenda_number, "S*** W***", "yes", "no"),
        (dimas.agenda_number, "D*** S***", "no", "yes"),
        (nobody.agenda_number, "Anonim", "no", "no"),
    ]
    text = report()
    assert "1 of them gave neither a phone nor an email" in text


def test_a_citizen_downloading_their_own_letter_is_listed_as_the_citizen(
    sop_version, category, hadi
):
    complaint = answered(
        received(at(3), category, name="Sari Wulandari", phone="081234567890"),
        at(10),
        signer=hadi,
        number="470/001/PGD/XI/2026",
    )

    assert letter_download(letter=complaint.letter, actor=None).ok

    (row,) = report_rows()
    assert (row["actor"], row["action"], row["agenda_number"]) == (
        "citizen (tracking link)",
        "letter.downloaded",
        complaint.agenda_number,
    )


def test_only_the_named_official_and_the_period_asked_for(sari, budi, wati):
    personal_data_reveal(complaint=sari, actor=budi)
    attachment_open(attachment=sari.attachments.first(), actor=wati)

    assert [r["actor"] for r in report_rows("--actor", "wati")] == ["wati"]
    yesterday = (office_today() - dt.timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("data_access_report", "--from", yesterday, "--to", yesterday, stdout=out)
    assert "0 accesses, 0 complaints touched" in out.getvalue()


def test_changes_that_show_no_personal_data_are_not_listed(sari, budi):
    from aduan.desk.services import draft_save

    assert draft_save(complaint_id=sari.pk, actor=budi, kind="answer", body="Jawaban.").ok

    assert report_rows() == []


def test_running_the_report_is_itself_audited(sari, budi):
    personal_data_reveal(complaint=sari, actor=budi)

    report("--actor", "budi")

    event = AuditEvent.objects.order_by("id").last()
    assert event.action == "data_access.reported"
    assert (event.data["actor"], event.data["rows"], event.data["complaints"]) == ("budi", 1, 1)


def test_an_unknown_official_or_a_bad_date_is_refused_with_a_sentence(db):
    with pytest.raises(CommandError, match="no official with the username 'nobody'"):
        report("--actor", "nobody")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("data_access_report", "--from", "29-11-2026", "--to", "2026-11-30")
    with pytest.raises(CommandError, match="before --from"):
        call_command("data_access_report", "--from", "2026-11-30", "--to", "2026-11-01")
