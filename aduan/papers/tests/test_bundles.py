"""Bundles of complete records for a period: asked for on /meja/lembar/, built by the
worker, downloaded by the official who asked (or an auditor)."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.desk.tests.conftest import page_text
from aduan.papers import bundles
from aduan.papers.bundles import bundle_build
from aduan.papers.models import RecordBundle
from aduan.papers.record_tasks import build_record_bundle
from aduan.papers.tests.record_setup import pdf_text
from conftest import make_official

TZ = dt.timezone(dt.timedelta(hours=7))  # the office's time zone in the tests (Asia/Jakarta)
BUNDLES = reverse("records:bundles")


def received_on(complaint: Complaint, day: str, time: str = "10:00") -> Complaint:
    at = dt.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=TZ)
    Complaint.objects.filter(pk=complaint.pk).update(received_at=at)
    complaint.refresh_from_db()
    return complaint


def new_complaint(category, subject: str, day: str, time: str = "10:00") -> Complaint:
    complaint = complaint_register(
        category=category,
        subject=subject,
        description=f"Uraian {subject}.",
        name="Sari Wulandari",
        phone="+6281234567890",
    )
    return received_on(complaint, day, time)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dewi(db):
    """Dewi is an auditor."""
    return make_official("dewi", "Dewi", "auditor")


@pytest.fixture
def joko(db):
    """Joko may log in but holds no role."""
    return make_official("joko", "Joko")


@pytest.fixture
def march(sop_version, category, media):
    """Three complaints received in March 2026 (one at 23:59 office time on the 31st) and
    one on 1 April 2026 at 00:05, just outside."""
    return {
        "inside": [
            new_complaint(category, "Maret pertama", "2026-03-02"),
            new_complaint(category, '=HYPERLINK("x") Maret kedua', "2026-03-15"),
            new_complaint(category, "Maret terakhir", "2026-03-31", "23:59"),
        ],
        "outside": new_complaint(category, "April pertama", "2026-04-01", "00:05"),
    }


def ask(client, user, first="2026-03-01", last="2026-03-31"):
    client.force_login(user)
    return client.post(BUNDLES, {"dari": first, "sampai": last})


def zip_of(client, bundle) -> zipfile.ZipFile:
    response = client.get(reverse("records:bundle_download", args=[bundle.pk]))
    assert response.status_code == 200, response.status_code
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_one_record_per_complaint_of_the_period_and_an_index(
    client, march, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, budi)
    assert response.status_code == 302
    bundle = RecordBundle.objects.get()
    assert (bundle.status, bundle.total, bundle.done) == ("done", 3, 3)
    assert bundle.size > 0

    archive = zip_of(client, bundle)
    expected = {
        f"{c.agenda_seq:05d}-{c.agenda_year}-{c.tracking_code}.pdf" for c in march["inside"]
    }
    assert set(archive.namelist()) == expected | {"index.csv"}
    for complaint in march["inside"]:
        name = f"{complaint.agenda_seq:05d}-{complaint.agenda_year}-{complaint.tracking_code}.pdf"
        text = pdf_text(archive.read(name))
        assert complaint.subject in text and complaint.agenda_number in text
        assert "Dicetak oleh Budi" in text
    outside = march["outside"]
    assert not any(outside.tracking_code in name for name in archive.namelist())

    rows = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert rows[0][:3] == ["berkas", "nomor agenda", "kode lacak"]
    assert sorted(row[0] for row in rows[1:]) == sorted(expected)
    # A subject that a spreadsheet would run as a formula is written as text.
    assert '\'=HYPERLINK("x") Maret kedua' in [row[6] for row in rows[1:]]
    assert "+6281234567890" not in archive.read("index.csv").decode("utf-8-sig")


def test_asking_and_downloading_are_audited(
    client, march, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, budi)
    bundle = RecordBundle.objects.get()
    requested = AuditEvent.objects.get(action="bundle.requested")
    assert requested.actor_id == budi.pk and requested.data["total"] == 3
    zip_of(client, bundle)
    assert AuditEvent.objects.get(action="bundle.downloaded").actor_id == budi.pk


def test_the_page_lists_my_bundles_and_refreshes_itself_while_one_is_being_made(
    client, march, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        response = ask(client, budi)
    response = client.get(BUNDLES)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="5">' in response.content.decode()
    text = page_text(response)
    assert "Menunggu" in text and "0 dari 3" in text

    bundle_build(bundle_id=RecordBundle.objects.get().pk)
    response = client.get(BUNDLES)
    assert 'http-equiv="refresh"' not in response.content.decode()
    text = page_text(response)
    assert "Selesai" in text and "3 dari 3" in text and "Unduh ZIP" in text


def test_a_task_run_twice_builds_the_bundle_once(
    client, march, budi, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, budi)
    bundle = RecordBundle.objects.get()
    first_file = bundle.file.name
    # The queue delivered the task again: the second run finds it claimed and does nothing.
    assert build_record_bundle.call(bundle.pk) is False
    assert bundle_build(bundle_id=bundle.pk) is False
    bundle.refresh_from_db()
    assert bundle.status == "done" and bundle.file.name == first_file
    assert len(list((media / "bundles").iterdir())) == 1


def test_someone_else_cannot_download_my_bundle_but_an_auditor_can(
    client, march, budi, wati, dewi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, budi)
    bundle = RecordBundle.objects.get()
    url = reverse("records:bundle_download", args=[bundle.pk])
    client.force_login(wati)
    response = client.get(url)
    assert response.status_code == 403
    assert "hanya dapat diunduh oleh petugas yang memintanya" in page_text(response)
    assert "Belum ada berkas yang diminta." in page_text(client.get(BUNDLES))
    client.force_login(dewi)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.get(action="bundle.downloaded").actor_id == dewi.pk


def test_a_period_without_complaints_says_so_and_makes_no_bundle(client, march, budi):
    response = ask(client, budi, "2025-01-01", "2025-01-31")
    assert response.status_code == 200
    assert "Tidak ada pengaduan yang diterima pada periode ini." in page_text(response)
    assert not RecordBundle.objects.exists()


def test_a_period_with_too_many_complaints_asks_for_a_shorter_one(client, march, budi, monkeypatch):
    monkeypatch.setattr(bundles, "BUNDLE_LIMIT", 2)
    response = ask(client, budi)
    assert "Periode ini memuat 3 pengaduan; satu berkas paling banyak 2." in page_text(response)
    assert not RecordBundle.objects.exists()


def test_a_wrong_period_is_shown_beside_the_field(client, march, budi):
    response = ask(client, budi, "2026-03-31", "2026-03-01")
    assert response.status_code == 200
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in page_text(response)
    response = ask(client, budi, "kemarin", "2026-03-01")
    assert "Tanggal tidak dikenali" in page_text(response)
    assert not RecordBundle.objects.exists()


def test_a_failed_build_is_shown_with_a_plain_error(
    client, march, budi, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(context):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundles, "render_record", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, budi)
    bundle = RecordBundle.objects.get()
    assert bundle.status == "failed"
    text = page_text(client.get(BUNDLES))
    assert "Gagal" in text and "No space left on device" in text
    assert client.get(reverse("records:bundle_download", args=[bundle.pk])).status_code == 404


def test_someone_without_a_role_is_refused(client, march, joko):
    client.force_login(joko)
    assert client.get(BUNDLES).status_code == 403
    assert client.post(BUNDLES, {"dari": "2026-03-01", "sampai": "2026-03-31"}).status_code == 403
    assert not RecordBundle.objects.exists()


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, sop_version, budi, django_assert_max_num_queries, count
):
    for i in range(count):
        RecordBundle.objects.create(
            requested_by=budi,
            first_day=dt.date(2026, 3, 1),
            last_day=dt.date(2026, 3, 31),
            created_at=dt.datetime(2026, 4, 1, 9, i, tzinfo=TZ),
            status="done",
            total=3,
            done=3,
            size=1000,
            file=f"bundles/x{i}.zip",
        )
    client.force_login(budi)
    # session, user, roles, bundles, the notices bell
    with django_assert_max_num_queries(6):
        response = client.get(BUNDLES)
    assert page_text(response).count("Unduh ZIP") == count
