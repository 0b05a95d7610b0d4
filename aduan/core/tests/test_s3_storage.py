"""ADUAN_STORAGE=s3: citizens' files go to a private bucket of an S3-compatible store and
come back only through the officials' views.

A real S3 API answers: moto's server on 127.0.0.1 (a free port), spoken to over HTTP by
boto3 as a MinIO or AWS would be. The storage is the one settings.py builds from the
ADUAN_S3_* variables.
"""

import os
import runpy
import socket
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from moto.server import ThreadedMotoServer

from aduan.complaints.models import Attachment, Complaint
from aduan.public.tests.conftest import PDF, Citizen, png_bytes, upload

pytestmark = pytest.mark.django_db

BUCKET = "aduan-berkas"
KEYS = {"ADUAN_S3_ACCESS_KEY_ID": "aduan-test", "ADUAN_S3_SECRET_ACCESS_KEY": "aduan-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def storages_from_environment(monkeypatch, **env) -> dict:
    """settings.STORAGES as settings.py makes it with these variables set."""
    for name in [n for n in os.environ if n.startswith(("ADUAN_S3_", "ADUAN_STORAGE"))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR) / "aduan" / "settings.py"))["STORAGES"]


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """An empty private bucket, and this installation storing its files there."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["ADUAN_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["ADUAN_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = storages_from_environment(
        monkeypatch,
        ADUAN_STORAGE="s3",
        ADUAN_S3_BUCKET=BUCKET,
        ADUAN_S3_ENDPOINT_URL=s3_endpoint,
        ADUAN_S3_REGION="us-east-1",
        **KEYS,
    )
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix: str = "") -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def filed_with_files(bucket, client, sop_version, category):
    """Citizen Sari files a complaint on the public form with a photo and a PDF."""
    sari = Citizen(
        client,
        {
            "category": str(category.pk),
            "subject": "KTP-el belum jadi",
            "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
            "name": "Sari Wulandari",
            "phone": "0812 3456 7890",
        },
    )
    confirmation = sari.file_complaint(
        files=[upload("ktp.png", png_bytes()), upload("surat pengantar.pdf", PDF)]
    )
    code, _secret = sari.codes(confirmation)
    client.logout()
    return Complaint.objects.get(tracking_code=code)


def test_the_citizen_s_files_are_stored_in_the_bucket_and_nowhere_else(
    bucket, filed_with_files, settings
):
    stored = keys(bucket)
    names = Attachment.objects.filter(complaint=filed_with_files).values_list("file", flat=True)
    assert sorted(names) == stored
    assert all(key.startswith("attachments/") for key in stored)
    assert len(stored) == 2
    assert keys(bucket, "pending/") == []  # the copies kept while she checked are gone
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_official_downloads_the_file_through_the_desk(client, bucket, filed_with_files, budi):
    pdf = Attachment.objects.get(complaint=filed_with_files, content_type="application/pdf")
    client.force_login(budi)
    response = client.get(reverse("desk:attachment", args=[pdf.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="surat pengantar.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_nobody_gets_the_file_from_the_bucket_without_signing(
    bucket, filed_with_files, s3_endpoint
):
    key = keys(bucket)[0]
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=key)
    grantees = [grant["Grantee"] for grant in acl["Grants"]]
    assert all(g.get("Type") == "CanonicalUser" for g in grantees), grantees  # no AllUsers
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/{key}", timeout=10)
    assert refused.value.code == 403


def test_a_file_gone_from_the_bucket_is_404_not_500(client, bucket, filed_with_files, budi):
    photo = Attachment.objects.get(complaint=filed_with_files, content_type="image/png")
    bucket.delete_object(Bucket=BUCKET, Key=photo.file.name)
    client.force_login(budi)
    assert client.get(reverse("desk:attachment", args=[photo.pk])).status_code == 404


def test_the_anonymous_visitor_is_sent_to_the_login_page(client, bucket, filed_with_files):
    photo = Attachment.objects.get(complaint=filed_with_files, content_type="image/png")
    response = client.get(reverse("desk:attachment", args=[photo.pk]))
    assert response.status_code == 302
    assert "/meja/masuk/" in response["Location"]


def test_readiness_writes_to_the_bucket_and_leaves_nothing(client, bucket, monkeypatch):
    monkeypatch.setattr("aduan.core.health_views._migrations_applied", True)
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert "storage: ok" in response.content.decode().splitlines()
    assert keys(bucket) == []


def test_readiness_names_the_storage_when_the_store_does_not_answer(client, settings, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.STORAGES = storages_from_environment(
        monkeypatch,
        ADUAN_STORAGE="s3",
        ADUAN_S3_BUCKET=BUCKET,
        ADUAN_S3_ENDPOINT_URL=f"http://127.0.0.1:{closed}",
        **KEYS,
    )
    monkeypatch.setattr("aduan.core.health_views._migrations_applied", True)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "storage: unavailable" in response.content.decode().splitlines()


def test_the_storage_settings_keep_files_private_and_never_overwrite(monkeypatch):
    options = storages_from_environment(
        monkeypatch, ADUAN_STORAGE="s3", ADUAN_S3_BUCKET=BUCKET, **KEYS
    )["default"]["OPTIONS"]
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["addressing_style"] == "auto"  # AWS itself: no endpoint given


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ADUAN_STORAGE": "s3"}, "ADUAN_STORAGE=s3 needs ADUAN_S3_BUCKET"),
        (
            {"ADUAN_STORAGE": "s3", "ADUAN_S3_BUCKET": BUCKET, "ADUAN_S3_ACCESS_KEY_ID": "x"},
            "Set both ADUAN_S3_ACCESS_KEY_ID and ADUAN_S3_SECRET_ACCESS_KEY",
        ),
        (
            {"ADUAN_STORAGE": "s3", "ADUAN_S3_BUCKET": BUCKET, "ADUAN_S3_ENDPOINT_URL": "minio"},
            "ADUAN_S3_ENDPOINT_URL='minio' must start with https://",
        ),
        ({"ADUAN_STORAGE": "ftp"}, "ADUAN_STORAGE='ftp' must be local"),
    ],
)
def test_a_wrong_storage_setting_stops_start_up_naming_it(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        storages_from_environment(monkeypatch, **env)
