"""Every stored attachment has a name of its own (`<sha256>-<8 hex>`), so that removing the
files of a registration that rolled back never removes another complaint's file, even on
S3 storage (ADUAN_STORAGE=s3), where nothing makes "write if the name is free" atomic.

Sari and Dimas attach the same scan of the office's form in the same month. Dimas's
registration checks that its name is free before Sari's file is written (simulated: the
check answers "free"), writes, and then fails; its cleanup deletes what it wrote.
"""

import hashlib
import io

import pytest
from django.core.files import File
from django.db import DatabaseError
from storages.backends.s3 import S3Storage

from aduan.complaints.models import Attachment
from aduan.complaints.services import NewAttachment, complaint_register
from aduan.core.tests.test_s3_storage import BUCKET, bucket, keys, s3_endpoint  # noqa: F401

pytestmark = pytest.mark.django_db

FORM = b"%PDF-1.4\n% formulir pengaduan\n%%EOF\n"


def the_form() -> NewAttachment:
    return NewAttachment(
        name="formulir.pdf",
        content_type="application/pdf",
        size=len(FORM),
        sha256=hashlib.sha256(FORM).hexdigest(),
        file=File(io.BytesIO(FORM)),
    )


def register(category, name: str):
    return complaint_register(
        category=category,
        subject="Formulir",
        description="Formulir terlampir.",
        name=name,
        attachments=[the_form()],
    )


def test_a_rolled_back_registration_leaves_the_same_file_of_another_complaint(
    bucket,  # noqa: F811
    sop_version,
    category,
    monkeypatch,
):
    sari = register(category, "Sari Wulandari")
    monkeypatch.setattr(S3Storage, "exists", lambda storage, name: False)  # checked before

    def connection_lost(**kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("aduan.complaints.services.workflow_start", connection_lost)
    with pytest.raises(DatabaseError):
        register(category, "Dimas Saputra")

    kept = Attachment.objects.get(complaint=sari)
    with kept.file.open("rb") as handle:
        assert handle.read() == FORM  # an official still opens Sari's file
    assert keys(bucket) == [kept.file.name]  # and Dimas's copy is gone


def test_two_attachments_of_the_same_bytes_are_stored_under_two_names(
    bucket,  # noqa: F811
    sop_version,
    category,
):
    first = Attachment.objects.get(complaint=register(category, "Sari Wulandari"))
    second = Attachment.objects.get(complaint=register(category, "Dimas Saputra"))

    assert first.file.name != second.file.name
    for attachment in (first, second):  # still recognisable by their content's hash
        assert attachment.file.name.split("/")[-1].startswith(attachment.sha256 + "-")
    assert keys(bucket) == sorted([first.file.name, second.file.name])
