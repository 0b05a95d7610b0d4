"""Backup and restore with the files in an S3 bucket (ADUAN_STORAGE=s3, issue #10): the
archive holds every object of the bucket, and a restore into an empty installation that
stores its files in another, empty bucket gives the same rows and the same files.

A real S3 API answers (moto's server, as in test_s3_storage); `manage.py restore` runs in
its own process pointed at a fresh database and the other bucket, as an administrator
runs it.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi.
"""

import hashlib
import json
import tarfile

import boto3
import pytest

from aduan.complaints.services import complaint_register
from aduan.core.tests.test_backup_restore import (  # noqa: F401
    AUDIT_TABLE,
    back_up,
    fresh_installation,
    live_row_counts,
)
from aduan.core.tests.test_s3_storage import (  # noqa: F401
    BUCKET,
    KEYS,
    bucket,
    s3_endpoint,
)
from aduan.papers.tests.letter_helpers import carry_to_answer
from aduan.papers.tests.record_setup import sari_with_attachments

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESTORED_BUCKET = "aduan-berkas-pulih"


def bucket_checksums(client, name: str) -> dict[str, str]:
    listing = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {
        item["Key"]: hashlib.sha256(
            client.get_object(Bucket=name, Key=item["Key"])["Body"].read()
        ).hexdigest()
        for item in listing
    }


@pytest.fixture
def store(s3_endpoint):  # noqa: F811
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["ADUAN_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["ADUAN_S3_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def restored_bucket(store):
    """Another, empty bucket on the same store, for the installation restored into."""
    store.create_bucket(Bucket=RESTORED_BUCKET)
    yield RESTORED_BUCKET
    for item in store.list_objects_v2(Bucket=RESTORED_BUCKET).get("Contents", []):
        store.delete_object(Bucket=RESTORED_BUCKET, Key=item["Key"])
    store.delete_bucket(Bucket=RESTORED_BUCKET)


def on_s3(installation, *, bucket_name: str, endpoint: str):
    """The installation's `manage.py` storing its files in `bucket_name`."""
    installation.env.update(
        ADUAN_STORAGE="s3",
        ADUAN_S3_BUCKET=bucket_name,
        ADUAN_S3_ENDPOINT_URL=endpoint,
        ADUAN_S3_REGION="us-east-1",
        **KEYS,
    )
    return installation


@pytest.fixture
def office_on_s3(bucket, sop_version, category, budi, wati, agus, hadi):  # noqa: F811
    """Sari's complaint with a photo and a PDF, answered with a letter, and Dimas's, open:
    every file in the bucket."""
    complaint = sari_with_attachments(category)
    complaint_register(
        category=category,
        subject="Akta kelahiran salah nama",
        description="Nama anak saya salah eja.",
        name="Dimas Saputra",
        email="dimas@contoh.id",
    )
    letter = carry_to_answer(complaint, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    assert letter.pdf  # the answer letter's PDF is a stored object like the attachments
    return complaint


def test_an_installation_on_s3_restores_into_another_bucket_with_the_same_rows_and_files(
    office_on_s3,
    bucket,  # noqa: F811
    s3_endpoint,  # noqa: F811
    restored_bucket,
    settings,
    tmp_path,
    fresh_installation,  # noqa: F811
):
    rows_before = live_row_counts()
    files_before = bucket_checksums(bucket, BUCKET)
    assert {key.split("/")[0] for key in files_before} == {"attachments", "letters"}

    archive = back_up(tmp_path)

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"] == rows_before
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        f"media/{key}": digest for key, digest in files_before.items()
    }
    assert manifest["missing_files"] == []
    assert manifest["storage"] == "storages.backends.s3.S3Storage"

    installation = on_s3(fresh_installation, bucket_name=restored_bucket, endpoint=s3_endpoint)
    restore = installation.manage("restore", str(archive))

    assert restore.returncode == 0, restore.stderr
    assert "Check passed" in restore.stdout
    assert f"files: {len(files_before)}," in restore.stdout
    assert installation.row_counts() == {**rows_before, AUDIT_TABLE: rows_before[AUDIT_TABLE] + 1}
    assert bucket_checksums(bucket, restored_bucket) == files_before
    media = installation.media  # the files went to the bucket, not to the disk
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    assert bucket_checksums(bucket, BUCKET) == files_before  # the source is untouched

    # Again, now that the bucket holds files: even forced, a bucket is not overwritten.
    forced = installation.manage("restore", str(archive), "--force")

    assert forced.returncode != 0
    assert f"the bucket {restored_bucket} already holds files" in forced.stderr
    assert bucket_checksums(bucket, restored_bucket) == files_before


def test_an_installation_with_its_files_on_disk_restores_into_one_with_a_bucket(
    sop_version,
    category,
    settings,
    store,
    s3_endpoint,  # noqa: F811
    restored_bucket,
    tmp_path,
    fresh_installation,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sari_with_attachments(category)
    on_disk = {
        path.relative_to(settings.MEDIA_ROOT).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in settings.MEDIA_ROOT.rglob("*")
        if path.is_file()
    }
    assert len(on_disk) == 2
    archive = back_up(tmp_path)

    installation = on_s3(fresh_installation, bucket_name=restored_bucket, endpoint=s3_endpoint)
    restore = installation.manage("restore", str(archive))

    assert restore.returncode == 0, restore.stderr
    assert "Check passed" in restore.stdout
    assert bucket_checksums(store, restored_bucket) == on_disk
