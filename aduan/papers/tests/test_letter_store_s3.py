"""Two renders of one answer letter at once, on S3 storage (ADUAN_STORAGE=s3): the letter
keeps the winner's PDF, readable, and the loser's cleanup deletes only its own file.

A bucket has no create-if-absent: S3Storage checks that a name is free (a HEAD request)
and then writes it. Here both renders have checked before either writes (they wait for each
other right after the check), the interleaving that made both write `surat-<pk>.pdf`.
"""

import hashlib
import threading

import pytest
from storages.backends.s3 import S3Storage

from aduan.complaints.models import Category
from aduan.complaints.services import complaint_register
from aduan.core.tests.test_s3_storage import BUCKET, bucket, keys, s3_endpoint  # noqa: F401
from aduan.papers import letter_pdf
from aduan.papers.models import AnswerLetter
from aduan.papers.tests.letter_helpers import carry_to_answer
from conftest import make_official, run_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def letter_of_sari(bucket, sop_version, monkeypatch):  # noqa: F811
    """Sari's complaint answered; its letter issued, not rendered yet (no task here)."""
    from aduan.papers import letters

    monkeypatch.setattr(letters, "_render_later", lambda letter_id: None)
    officials = {
        role: make_official(name, name.title(), role)
        for role, name in (
            ("staff", "budi"),
            ("kasi", "wati"),
            ("kabid", "agus"),
            ("kadis", "hadi"),
        )
    }
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    complaint = complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu.",
        name="Sari Wulandari",
        phone="+6281234567890",
    )
    return carry_to_answer(complaint, **officials)


def test_two_renders_at_once_keep_the_winner_s_pdf_in_the_bucket(
    bucket,  # noqa: F811
    letter_of_sari,
    monkeypatch,
):
    from aduan.papers.letters import letter_pdf_bytes, letter_render

    contents = [b"%PDF-1.7\n% render A\n", b"%PDF-1.7\n% render B\n"]
    monkeypatch.setattr(letter_pdf, "letter_pdf_build", lambda *, letter: (contents.pop(), False))
    both_checked = threading.Barrier(2, timeout=30)
    real_exists = S3Storage.exists

    def exists_then_wait(storage, name):
        found = real_exists(storage, name)
        if name.startswith("letters/"):
            both_checked.wait()  # neither writes before both have found the name free
        return found

    monkeypatch.setattr(S3Storage, "exists", exists_then_wait)

    results = run_at_once(
        lambda: letter_render(letter_id=letter_of_sari.pk),
        lambda: letter_render(letter_id=letter_of_sari.pk),
    )

    kept = AnswerLetter.objects.get(pk=letter_of_sari.pk)
    assert {r.pdf_sha256 for r in results} == {kept.pdf_sha256}
    assert keys(bucket, "letters/") == [kept.pdf.name]  # the loser's copy is gone, not hers
    assert hashlib.sha256(letter_pdf_bytes(letter=kept)).hexdigest() == kept.pdf_sha256
