"""NIK, phone and e-mail are encrypted at rest with the keys of ADUAN_DATA_KEYS (or, in the
demo, a key derived from SECRET_KEY), and a key is rotated without losing a row."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.lib.crypto import DataKeyError, data_keys_check

pytestmark = pytest.mark.django_db

NIK = "3576014101900012"
PHONE = "+6281234567890"
EMAIL = "sari@contoh.id"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def sari_files(category) -> Complaint:
    return complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu.",
        name="Sari Wulandari",
        phone=PHONE,
        email=EMAIL,
        nik=NIK,
    )


def stored(complaint) -> tuple[str, str, str]:
    """The columns as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, phone, email FROM complaints_complaint WHERE id = %s", [complaint.pk]
        )
        return cursor.fetchone()


def test_the_database_holds_no_nik_phone_or_email_in_clear(sop_version, category):
    complaint = sari_files(category)
    columns = stored(complaint)
    for clear, column in zip((NIK, PHONE, EMAIL), columns, strict=True):
        assert clear not in column
        assert column.startswith("gAAAAA")  # a Fernet token
    again = Complaint.objects.get(pk=complaint.pk)
    assert (again.nik, again.phone, again.email) == (NIK, PHONE, EMAIL)
    # Encrypted twice, the same NIK gives another token: nothing to compare across rows.
    assert stored(sari_files(category))[0] != columns[0]


def test_a_value_not_given_stays_empty(sop_version, category):
    complaint = complaint_register(
        category=category, subject="Antrean", description="Lama.", email=EMAIL
    )
    nik, phone, _email = stored(complaint)
    assert (nik, phone) == ("", "")
    assert Complaint.objects.filter(pk=complaint.pk, nik="").exists()


def test_searching_an_encrypted_column_is_refused_not_silently_empty(sop_version, category):
    sari_files(category)
    with pytest.raises(FieldError, match="encrypted"):
        list(Complaint.objects.filter(nik=NIK))
    with pytest.raises(FieldError):
        list(Complaint.objects.filter(phone__contains="812"))


def test_rotation_moves_every_row_to_the_newest_key(settings, sop_version, category):
    settings.DATA_KEYS = [OLD_KEY]
    complaints = [sari_files(category) for _ in range(3)]
    settings.DATA_KEYS = [NEW_KEY, OLD_KEY]  # the new key in front
    out = io.StringIO()
    call_command("rotate_data_key", "--batch", "2", stdout=out)
    assert "3 complaints re-encrypted" in out.getvalue()
    settings.DATA_KEYS = [NEW_KEY]  # the old key removed
    for complaint in complaints:
        assert Fernet(NEW_KEY.encode()).decrypt(stored(complaint)[0].encode()).decode() == NIK
        assert Complaint.objects.get(pk=complaint.pk).nik == NIK
    assert AuditEvent.objects.get(action="data_key.rotated").data == {"complaints": 3}


def test_a_key_removed_before_rotation_stops_with_a_sentence(settings, sop_version, category):
    settings.DATA_KEYS = [OLD_KEY]
    complaint = sari_files(category)
    settings.DATA_KEYS = [NEW_KEY]
    with pytest.raises(DataKeyError, match="rotate_data_key"):
        Complaint.objects.get(pk=complaint.pk)


def test_the_demo_key_moves_to_configured_keys_by_rotation(settings, sop_version, category):
    settings.DATA_KEYS = []  # make run: a key derived from SECRET_KEY
    complaint = sari_files(category)
    settings.DATA_KEYS = [NEW_KEY]
    assert Complaint.objects.get(pk=complaint.pk).nik == NIK  # still readable
    call_command("rotate_data_key", stdout=io.StringIO())
    assert Fernet(NEW_KEY.encode()).decrypt(stored(complaint)[0].encode()).decode() == NIK


def test_a_new_key_is_printed_for_the_environment(settings):
    out = io.StringIO()
    call_command("rotate_data_key", "--new-key", stdout=out)
    Fernet(out.getvalue().strip().encode())  # a valid key


def test_deploy_check_warns_without_configured_keys(settings):
    settings.DEBUG, settings.DEMO = False, False
    settings.DATA_KEYS = []
    assert [w.id for w in data_keys_check()] == ["aduan.crypto.W001"]
    settings.DATA_KEYS = [NEW_KEY]
    assert data_keys_check() == []


def test_the_migration_encrypts_rows_stored_in_clear_once(sop_version, category):
    migration = __import__(
        "aduan.complaints.migrations.0014_personal_data_encrypted", fromlist=["encrypt_stored"]
    )
    # The models as the migration's RunPython sees them: after its first three operations
    # (the columns made text).
    state = MigrationLoader(connection).project_state(("complaints", "0013_attachment_scan_state"))
    for operation in migration.Migration.operations[:3]:
        operation.state_forwards("complaints", state)
    complaint = sari_files(category)
    with connection.cursor() as cursor:  # as stored before the migration
        cursor.execute(
            "UPDATE complaints_complaint SET nik = %s, phone = %s, email = '' WHERE id = %s",
            [NIK, PHONE, complaint.pk],
        )
    migration.encrypt_stored(state.apps, None)
    first = stored(complaint)
    assert first[0].startswith("gAAAAA") and NIK not in first[0] and first[2] == ""
    migration.encrypt_stored(state.apps, None)  # run again: left as it is
    assert stored(complaint) == first
    again = Complaint.objects.get(pk=complaint.pk)
    assert (again.nik, again.phone, again.email) == (NIK, PHONE, "")
    migration.decrypt_stored(state.apps, None)
    assert stored(complaint)[:2] == (NIK, PHONE)


def test_the_session_table_holds_no_typed_answers_or_secret_in_clear(sop_version, category):
    """The form keeps the answers in the session between the form and the check page, and
    the secret until the confirmation is read: both encrypted, as the complaint's fields."""
    import base64
    import zlib

    from django.contrib.sessions.models import Session
    from django.test import Client

    def session_rows() -> str:
        """Every session as stored, its signed payload decoded as far as anyone could."""
        texts = []
        for row in Session.objects.all():
            texts.append(row.session_data)
            payload = row.session_data.split(":")[0]
            compressed = payload.startswith(".")
            payload = payload.removeprefix(".")
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            texts.append((zlib.decompress(raw) if compressed else raw).decode(errors="replace"))
        return "\n".join(texts)

    sari = Client()
    answers = {
        "category": str(category.pk),
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": PHONE,
        "email": EMAIL,
        "nik": NIK,
    }
    assert sari.post("/lapor/", answers).status_code == 302
    stored_draft = session_rows()
    assert "lapor" in stored_draft  # the draft is there, ...
    for clear in (NIK, PHONE, EMAIL, "Sari Wulandari"):
        assert clear not in stored_draft  # ... but none of it in clear
    check = sari.get("/lapor/periksa/").content.decode()
    assert "Sari Wulandari" in check and EMAIL in check  # the check page reads it back
    sent = sari.post("/lapor/periksa/", {"kunci": sari.session["lapor"]["key"]})
    assert sent.status_code == 302
    complaint = Complaint.objects.get()
    confirmation = sari.get("/lapor/terkirim/")
    secret = confirmation.context["secret"]
    assert complaint.tracking_code in confirmation.content.decode()
    assert secret in confirmation.content.decode()  # shown to Sari, once
    stored_done = session_rows()
    assert complaint.tracking_code in stored_done
    for clear in (NIK, secret, secret.replace("-", "")):
        assert clear not in stored_done
